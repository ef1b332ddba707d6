using Cpm.Interwork.Store.Postgres;
using Cpm.Interwork.Store.Tests.Contract;
using Cpm.Interwork.Store.Tests.Infrastructure;

namespace Cpm.Interwork.Store.Tests;

/// <summary>The store contract on the private PostgreSQL cluster, a fresh database per test.</summary>
[Collection(PostgresClusterGroup.Name)]
public sealed class PostgresMessageStoreContractTests(PostgresCluster cluster) : MessageStoreContractTests
{
    private string _connectionString = "";

    protected override (string Provider, string Target) ChildProcessTarget => (StoreOptions.PostgresProvider, _connectionString);

    public override async Task InitializeAsync()
    {
        _connectionString = await cluster.CreateDatabaseAsync();
        await base.InitializeAsync();
    }

    protected override async Task<IMessageStore> OpenStoreAsync(TimeProvider time) =>
        await PostgresMessageStore.OpenAsync(
            new StoreOptions { Provider = StoreOptions.PostgresProvider, ConnectionString = _connectionString }, time, null, default);
}

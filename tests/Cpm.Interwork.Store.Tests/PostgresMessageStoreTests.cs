using Cpm.Interwork.Store.Postgres;
using Cpm.Interwork.Store.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Cpm.Interwork.Store.Tests;

/// <summary>What only the PostgreSQL store has: concurrent migration by several gateways, schema versioning.</summary>
[Collection(PostgresClusterGroup.Name)]
public sealed class PostgresMessageStoreTests(PostgresCluster cluster)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Open_ByFourGatewaysAtOnce_MigratesOnceAndAllWork()
    {
        var options = new StoreOptions { Provider = "Postgres", ConnectionString = await cluster.CreateDatabaseAsync() };

        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgresMessageStore.OpenAsync(options, _time, null, default))));
        try
        {
            var results = await Task.WhenAll(stores.Select(s => s.InsertAsync(new NewWorkItem { Kind = WorkKind.DeliverToCpm, Direction = WorkDirection.MmsToCpm, DedupKey = "shared" }, default)));
            Assert.Single(results, r => r.Created);
            Assert.Equal(1L, await ScalarAsync(options.ConnectionString!, "SELECT COUNT(*) FROM schema_version"));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Open_DatabaseFromANewerGateway_IsRefused()
    {
        var options = new StoreOptions { Provider = "Postgres", ConnectionString = await cluster.CreateDatabaseAsync() };
        await (await PostgresMessageStore.OpenAsync(options, _time, null, default)).DisposeAsync();
        await ScalarAsync(options.ConnectionString!, "INSERT INTO schema_version (version, applied_at) VALUES (99, now())");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresMessageStore.OpenAsync(options, _time, null, default));

        Assert.Contains("schema version 99", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_ServerUnreachable_IsUnhealthyNotAnException()
    {
        var options = new StoreOptions { Provider = "Postgres", ConnectionString = await cluster.CreateDatabaseAsync() };
        await using var store = await PostgresMessageStore.OpenAsync(options, _time, null, default);
        await ScalarAsync(cluster.ConnectionString("postgres"),
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + new NpgsqlConnectionStringBuilder(options.ConnectionString).Database + "'");
        await ScalarAsync(cluster.ConnectionString("postgres"),
            "ALTER DATABASE \"" + new NpgsqlConnectionStringBuilder(options.ConnectionString).Database + "\" ALLOW_CONNECTIONS false");
        NpgsqlConnection.ClearAllPools();

        var health = await store.CheckHealthAsync(default);

        Assert.False(health.IsHealthy);
        Assert.StartsWith("PostgreSQL: ", health.Description, StringComparison.Ordinal);
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}

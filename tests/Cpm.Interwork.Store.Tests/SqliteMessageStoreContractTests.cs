using Cpm.Interwork.Store.Sqlite;
using Cpm.Interwork.Store.Tests.Contract;
using Microsoft.Data.Sqlite;

namespace Cpm.Interwork.Store.Tests;

/// <summary>The store contract on an SQLite file in a fresh temp dir.</summary>
public sealed class SqliteMessageStoreContractTests : MessageStoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cpm-store-sqlite-" + Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_directory, "store.db");

    protected override (string Provider, string Target) ChildProcessTarget => (StoreOptions.SqliteProvider, DatabasePath);

    protected override async Task<IMessageStore> OpenStoreAsync(TimeProvider time) =>
        await SqliteMessageStore.OpenAsync(new StoreOptions { Path = DatabasePath }, _directory, time, null, default);

    protected override async Task AssertIntactAfterCrashAsync()
    {
        await using var connection = new SqliteConnection("Data Source=" + DatabasePath + ";Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", await command.ExecuteScalarAsync());
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

using System.Diagnostics;
using Cpm.Interwork.Store.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Cpm.Interwork.Store.Tests;

/// <summary>What only the SQLite store has: its pragmas, group commit, schema versioning, throughput.</summary>
public sealed class SqliteMessageStoreTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cpm-store-sqlite-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Open_RelativePath_CreatesTheFileUnderTheContentRootInWalModeWithFullSync()
    {
        await using var store = await SqliteMessageStore.OpenAsync(new StoreOptions { Path = "data/cpm-interwork.db", BusyTimeout = TimeSpan.FromSeconds(3) }, _directory, _time, null, default);

        var settings = await store.ReadWriterSettingsAsync(default);

        Assert.Equal(Path.Combine(_directory, "data", "cpm-interwork.db"), store.FilePath);
        Assert.True(File.Exists(store.FilePath));
        Assert.Equal("wal", settings.JournalMode);
        Assert.Equal(2, settings.Synchronous);
        Assert.Equal(3000, settings.BusyTimeoutMs);
    }

    [Fact]
    public async Task Open_SynchronousNormal_IsApplied()
    {
        await using var store = await Open(new StoreOptions { Synchronous = "Normal" });

        Assert.Equal(1, (await store.ReadWriterSettingsAsync(default)).Synchronous);
    }

    [Fact]
    public async Task Open_InvalidOptions_ThrowsNamingTheKey()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Open(new StoreOptions { MaxBatchSize = 0 }));

        Assert.Contains("Store:MaxBatchSize", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_DatabaseFromANewerGateway_IsRefused()
    {
        await (await Open(new StoreOptions())).DisposeAsync();
        await using (var connection = new SqliteConnection("Data Source=" + DatabasePath + ";Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES (99, 0)";
            await command.ExecuteNonQueryAsync();
        }

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Open(new StoreOptions()));

        Assert.Contains("schema version 99", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_Twice_MigratesOnceAndKeepsData()
    {
        await using (var first = await Open(new StoreOptions()))
        {
            await first.InsertAsync(Item("kept"), default);
        }

        await using var second = await Open(new StoreOptions());
        await using var connection = new SqliteConnection("Data Source=" + DatabasePath + ";Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM schema_version";

        Assert.Equal(1L, await command.ExecuteScalarAsync());
        Assert.NotNull(await second.FindByDedupKeyAsync("kept", default));
    }

    [Fact]
    public async Task GroupCommit_ConcurrentWrites_ShareTransactions()
    {
        await using var store = await Open(new StoreOptions());

        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => Task.Run(() => store.InsertAsync(Item("g" + i), default))));

        output.WriteLine($"500 inserts in {store.CommittedBatches} transactions");
        Assert.Equal(500, store.CommittedOperations);
        Assert.True(store.CommittedBatches < 500, $"{store.CommittedBatches} transactions for 500 concurrent inserts");
    }

    [Fact]
    public async Task GroupCommit_BatchSizeOne_CommitsEachWriteAlone()
    {
        await using var store = await Open(new StoreOptions { MaxBatchSize = 1 });

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => store.InsertAsync(Item("s" + i), default))));

        Assert.Equal(50, store.CommittedBatches);
    }

    [Fact]
    public async Task Dispose_CommitsWritesAlreadyQueued_ThenRefusesNewOnes()
    {
        var store = await Open(new StoreOptions());
        var pending = Enumerable.Range(0, 200).Select(i => store.InsertAsync(Item("q" + i), default)).ToArray();

        await store.DisposeAsync();
        await Task.WhenAll(pending);

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.InsertAsync(Item("late"), default));
        await using var reopened = await Open(new StoreOptions());
        Assert.Equal(200, (await reopened.CountByStateAsync(default))[WorkState.Pending]);
    }

    [Fact]
    public async Task LockedByAnotherConnection_WritesFailAfterBusyTimeout_HealthSaysSo_ThenTheWriterRecovers()
    {
        await using var store = await Open(new StoreOptions { BusyTimeout = TimeSpan.FromMilliseconds(300) });
        await using var other = new SqliteConnection("Data Source=" + DatabasePath + ";Pooling=False");
        await other.OpenAsync();
        await using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();
        }

        var refused = await Assert.ThrowsAsync<SqliteException>(() => store.InsertAsync(Item("while-locked"), default));
        var health = await store.CheckHealthAsync(default);
        await using (var commit = other.CreateCommand())
        {
            commit.CommandText = "COMMIT";
            await commit.ExecuteNonQueryAsync();
        }

        Assert.Equal(5, refused.SqliteErrorCode); // SQLITE_BUSY
        Assert.False(health.IsHealthy);
        Assert.True((await store.InsertAsync(Item("after-unlock"), default)).Created);
        Assert.True((await store.CheckHealthAsync(default)).IsHealthy);
        Assert.Null(await store.FindByDedupKeyAsync("while-locked", default));
    }

    [Fact]
    public async Task Backup_WhileWriting_ProducesAnOpenableCopyWithEveryCommittedItem()
    {
        await using var store = await Open(new StoreOptions());
        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => store.InsertAsync(Item("b" + i), default)));
        var writing = Task.WhenAll(Enumerable.Range(100, 200).Select(i => store.InsertAsync(Item("b" + i), default)));
        var copy = Path.Combine(_directory, "backup", "copy.db");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);

        await store.BackupToAsync(copy, default);
        await writing;

        await using var restored = await SqliteMessageStore.OpenAsync(new StoreOptions { Path = copy }, _directory, _time, null, default);
        var count = (await restored.CountByStateAsync(default))[WorkState.Pending];
        Assert.InRange(count, 100, 300);
        Assert.NotNull(await restored.FindByDedupKeyAsync("b99", default));
    }

    /// <summary>
    /// Throughput figure for the report (not a timed assertion): 64 concurrent producers run the
    /// CPM→MMS life cycle of a message for 4 s after 1 s of warm-up — insert with claim (1.5 KB MM4 payload), record the
    /// send (AwaitingResponse), record the RES (Completed) — with synchronous = FULL. Prints the
    /// machine's load average beside the figure, since the 2 cores are shared.
    /// </summary>
    [Fact]
    public async Task Throughput_MessageLifeCycles_AreMeasuredWithGroupCommit()
    {
        await using var store = await SqliteMessageStore.OpenAsync(new StoreOptions { Path = DatabasePath }, _directory, TimeProvider.System, null, default);
        var payload = new byte[1500];
        Random.Shared.NextBytes(payload);
        var producers = int.TryParse(Environment.GetEnvironmentVariable("STORE_BENCH_PRODUCERS"), out var p0) ? p0 : 64;
        var messages = 0;
        var allMessages = 0;
        var measuring = false;
        var gate = new object();
        var total = Stopwatch.StartNew();
        var warmUp = TimeSpan.FromSeconds(1);
        var end = warmUp + TimeSpan.FromSeconds(4);
        var cpuBefore = TimeSpan.Zero;
        var batchesBefore = 0L;
        var operationsBefore = 0L;
        var clock = new Stopwatch();

        // 1 s of warm-up (JIT tiering, page cache) before the measured 4 s.
        await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            for (var n = 0; total.Elapsed < end; n++)
            {
                if (!Volatile.Read(ref measuring) && total.Elapsed >= warmUp)
                {
                    lock (gate)
                    {
                        if (!measuring)
                        {
                            cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                            batchesBefore = store.CommittedBatches;
                            operationsBefore = store.CommittedOperations;
                            clock.Start();
                            Volatile.Write(ref measuring, true);
                        }
                    }
                }

                var counted = Volatile.Read(ref measuring);
                var created = await store.InsertAsync(Item($"t{p}-{n}") with { Payload = payload, LeaseOwner = "bench", LeaseDuration = TimeSpan.FromSeconds(30) }, default);
                Assert.True(created.Created);
                var sent = await store.UpdateAsync(created.Item with { State = WorkState.AwaitingResponse, Attempts = 1 }, created.Item.Version, default);
                Assert.True(sent.Succeeded);
                var answered = await store.UpdateAsync(sent.Item! with { State = WorkState.Completed, StatusCode = 200, StatusText = "Ok" }, sent.Item!.Version, default);
                Assert.True(answered.Succeeded);
                Interlocked.Increment(ref allMessages);
                if (counted)
                {
                    Interlocked.Increment(ref messages);
                }
            }
        })));
        clock.Stop();

        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var commits = store.CommittedBatches - batchesBefore;
        var writes = store.CommittedOperations - operationsBefore;
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
        output.WriteLine(
            $"SQLite (WAL, synchronous=FULL, group commit): {messages / seconds:F0} message life cycles/s " +
            $"= {messages / seconds:F0} inserts/s + {2 * messages / seconds:F0} updates/s in {commits} commits " +
            $"(avg {(double)writes / commits:F1} writes per commit) over {seconds:F1} s, {producers} producers; " +
            $"process CPU {cpu.TotalMicroseconds / messages:F0} µs per life cycle (test producers included); load average {load}");
        Assert.True(messages > 0);
        Assert.Equal(allMessages, (await store.CountByStateAsync(default))[WorkState.Completed]);
    }

    private string DatabasePath => Path.Combine(_directory, "store.db");

    private Task<SqliteMessageStore> Open(StoreOptions options)
    {
        options.Path = DatabasePath;
        return SqliteMessageStore.OpenAsync(options, _directory, _time, null, default);
    }

    private static NewWorkItem Item(string key) => new()
    {
        Kind = WorkKind.ForwardToMmse,
        Direction = WorkDirection.CpmToMms,
        DedupKey = key,
        Mm4TransactionId = "tx-" + key,
        Payload = "payload"u8.ToArray(),
    };
}

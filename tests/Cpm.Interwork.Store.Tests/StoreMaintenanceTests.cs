using Cpm.Interwork.Store.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Cpm.Interwork.Store.Tests;

public sealed class StoreMaintenanceTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cpm-store-purge-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task PurgeLoop_EachInterval_DeletesWhatRetentionNoLongerKeeps()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));
        var options = new StoreOptions { Path = Path.Combine(_directory, "s.db"), Retention = TimeSpan.FromHours(2), PurgeInterval = TimeSpan.FromHours(1) };
        await using var store = await SqliteMessageStore.OpenAsync(options, _directory, time, null, default);
        var done = (await store.InsertAsync(new NewWorkItem { Kind = WorkKind.SendForwardResponse, Direction = WorkDirection.MmsToCpm, DedupKey = "old", State = WorkState.Completed }, default)).Item;
        var active = (await store.InsertAsync(new NewWorkItem { Kind = WorkKind.DeliverToCpm, Direction = WorkDirection.MmsToCpm, DedupKey = "active" }, default)).Item;
        using var stop = new CancellationTokenSource();
        var loop = StoreMaintenance.RunPurgeLoopAsync(store, options, time, null, stop.Token);

        time.Advance(TimeSpan.FromHours(1));
        await Task.Delay(200);
        Assert.NotNull(await store.GetAsync(done.Id, default));

        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        await WaitUntil(async () => await store.GetAsync(done.Id, default) is null);
        Assert.NotNull(await store.GetAsync(active.Id, default));

        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("condition not met within 5 s");
    }
}

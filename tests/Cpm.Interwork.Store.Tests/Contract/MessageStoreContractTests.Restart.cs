using Cpm.Interwork.Store.Tests.Infrastructure;

namespace Cpm.Interwork.Store.Tests.Contract;

public abstract partial class MessageStoreContractTests
{
    [Fact]
    public async Task Restart_PendingAndLeasedItemsSurvive_AndResumeWithTheSameTransactionIds()
    {
        var pending = (await Store.InsertAsync(Forward("r1"), default)).Item;
        var inFlight = (await Store.InsertAsync(Forward("r2"), default)).Item;
        var done = (await Store.InsertAsync(Forward("r3"), default)).Item;
        await Store.UpdateAsync(done with { State = WorkState.Completed, StatusCode = 200 }, done.Version, default);
        // r1 and r2 leased by a worker that then dies with the process.
        Assert.Equal(3, (await Store.TryLeaseDueAsync(Lease("before-restart", seconds: 60), default)).Count + 1);

        await RestartAsync();
        Assert.Empty(await Store.TryLeaseDueAsync(Lease("after-restart"), default));
        Time.Advance(TimeSpan.FromSeconds(60));
        var resumed = await Store.TryLeaseDueAsync(Lease("after-restart"), default);

        Assert.Equal([pending.Id, inFlight.Id], resumed.Select(i => i.Id));
        Assert.Equal(["tx-r1", "tx-r2"], resumed.Select(i => i.Mm4TransactionId));
        Assert.Equal(pending.Payload.ToArray(), resumed[0].Payload.ToArray());
        Assert.Equal(WorkState.Completed, (await Store.GetAsync(done.Id, default))!.State);
        Assert.False((await Store.InsertAsync(Forward("r1"), default)).Created);
    }

    [Fact]
    public async Task Purge_RemovesItemsFinishedOrExpiredBeforeTheCutoff_AndKeepsTheRest()
    {
        var oldDone = (await Store.InsertAsync(Forward("p1"), default)).Item;
        await Store.UpdateAsync(oldDone with { State = WorkState.Completed }, oldDone.Version, default);
        var oldExpiredActive = (await Store.InsertAsync(Forward("p2") with { ExpiresAt = Time.GetUtcNow().AddMinutes(1) }, default)).Item;
        var activeNoExpiry = (await Store.InsertAsync(Forward("p3"), default)).Item;
        Time.Advance(TimeSpan.FromHours(2));
        var recentDone = (await Store.InsertAsync(Forward("p4"), default)).Item;
        await Store.UpdateAsync(recentDone with { State = WorkState.Failed }, recentDone.Version, default);
        var futureExpiry = (await Store.InsertAsync(Forward("p5") with { ExpiresAt = Time.GetUtcNow().AddDays(1) }, default)).Item;

        var deleted = await Store.PurgeAsync(Time.GetUtcNow().AddHours(-1), default);

        Assert.Equal(2, deleted);
        Assert.Null(await Store.GetAsync(oldDone.Id, default));
        Assert.Null(await Store.GetAsync(oldExpiredActive.Id, default));
        Assert.NotNull(await Store.GetAsync(activeNoExpiry.Id, default));
        Assert.NotNull(await Store.GetAsync(recentDone.Id, default));
        Assert.NotNull(await Store.GetAsync(futureExpiry.Id, default));
        Assert.Equal(0, await Store.PurgeAsync(Time.GetUtcNow().AddHours(-1), default));
    }

    [Fact]
    public async Task Purge_ManyItems_DeletesAllInChunks()
    {
        var items = await Task.WhenAll(Enumerable.Range(0, 2500).Select(i => Store.InsertAsync(Forward("bulk" + i) with { State = WorkState.Completed }, default)));
        Time.Advance(TimeSpan.FromDays(8));

        var deleted = await Store.PurgeExpiredAsync(new StoreOptions { Retention = TimeSpan.FromDays(7) }, Time, default);

        Assert.Equal(items.Length, deleted);
        Assert.Empty(await Store.CountByStateAsync(default));
    }

    [Fact]
    public async Task Durability_WriterProcessKilledMidFlight_EveryAcknowledgedWriteIsThereAfterReopen()
    {
        var (provider, target) = ChildProcessTarget;
        var acked = new Dictionary<string, long>(StringComparer.Ordinal);
        var updated = new Dictionary<long, long>();
        using var child = CrashWriter.Start(provider, target);
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(40));
            while (acked.Count < 400)
            {
                var line = await child.StandardOutput.ReadLineAsync(deadline.Token)
                    ?? throw new InvalidOperationException("crash writer ended early: " + await child.StandardError.ReadToEndAsync(deadline.Token));
                var parts = line.Split(' ');
                if (parts[0] == "ack")
                {
                    acked[parts[1]] = long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (parts[0] == "upd")
                {
                    updated[long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)] = long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            Assert.True(CrashWriter.IsRunning(child), "the writer must still be writing when it is killed");
        }
        finally
        {
            CrashWriter.Kill(child);
        }

        await RestartAsync();
        foreach (var (key, id) in acked)
        {
            var item = await Store.FindByDedupKeyAsync(key, default);
            Assert.NotNull(item);
            Assert.Equal(id, item.Id);
            Assert.Equal("tx-" + key, item.Mm4TransactionId);
            Assert.Equal(CrashWriter.PayloadFor(key), item.Payload.ToArray());
        }

        foreach (var (id, version) in updated)
        {
            var item = await Store.GetAsync(id, default);
            Assert.True(item!.Version >= version);
            Assert.Equal(WorkState.AwaitingResponse, item.State);
        }

        Assert.True((await Store.CheckHealthAsync(default)).IsHealthy);
        await AssertIntactAfterCrashAsync();
    }
}

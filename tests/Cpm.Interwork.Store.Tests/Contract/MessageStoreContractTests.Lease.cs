using System.Collections.Concurrent;

namespace Cpm.Interwork.Store.Tests.Contract;

public abstract partial class MessageStoreContractTests
{
    [Fact]
    public async Task Lease_ReturnsOnlyActiveItemsThatAreDue_OldestDueFirst()
    {
        var later = (await Store.InsertAsync(Forward("later") with { NextAttemptAt = Time.GetUtcNow().AddMinutes(5) }, default)).Item;
        var second = (await Store.InsertAsync(Forward("second") with { NextAttemptAt = Time.GetUtcNow().AddSeconds(-1) }, default)).Item;
        var first = (await Store.InsertAsync(Forward("first") with { NextAttemptAt = Time.GetUtcNow().AddSeconds(-9) }, default)).Item;
        await Store.InsertAsync(Forward("finished") with { State = WorkState.Failed }, default);

        var leased = await Store.TryLeaseDueAsync(Lease("w1", seconds: 600), default);

        Assert.Equal([first.Id, second.Id], leased.Select(i => i.Id));
        Assert.All(leased, i =>
        {
            Assert.Equal("w1", i.LeaseOwner);
            Assert.Equal(Time.GetUtcNow().AddSeconds(600), i.LeaseUntil);
        });
        Assert.Equal(first.Version + 1, leased[0].Version);

        Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal([later.Id], (await Store.TryLeaseDueAsync(Lease("w1"), default)).Select(i => i.Id));
    }

    [Fact]
    public async Task Lease_RespectsMaxItemsAndKindFilter()
    {
        for (var i = 0; i < 5; i++)
        {
            await Store.InsertAsync(Forward("fw" + i), default);
        }

        var delivery = (await Store.InsertAsync(Delivery("M1", "+15550100002/TYPE=PLMN", "T1"), default)).Item;

        var deliveries = await Store.TryLeaseDueAsync(Lease("cpm-worker", 10, 30, WorkKind.DeliverToCpm, WorkKind.SendForwardResponse), default);
        var forwards = await Store.TryLeaseDueAsync(Lease("mm4-worker", 3, 30, WorkKind.ForwardToMmse), default);

        Assert.Equal([delivery.Id], deliveries.Select(i => i.Id));
        Assert.Equal(3, forwards.Count);
        Assert.All(forwards, i => Assert.Equal(WorkKind.ForwardToMmse, i.Kind));
    }

    [Fact]
    public async Task Lease_HeldLease_IsNotGivenToAnotherWorkerBeforeItExpires()
    {
        await Store.InsertAsync(Forward("held"), default);
        Assert.Single(await Store.TryLeaseDueAsync(Lease("w1", seconds: 30), default));

        Time.Advance(TimeSpan.FromSeconds(29));

        Assert.Empty(await Store.TryLeaseDueAsync(Lease("w2"), default));
    }

    [Fact]
    public async Task Lease_ExpiredLeaseOfCrashedWorker_IsLeasedAgain_AndTheStaleWorkerCannotUpdate()
    {
        var item = (await Store.InsertAsync(Forward("crash"), default)).Item;
        var byCrashed = Assert.Single(await Store.TryLeaseDueAsync(Lease("crashed", seconds: 30), default));

        Time.Advance(TimeSpan.FromSeconds(30));
        var bySurvivor = Assert.Single(await Store.TryLeaseDueAsync(Lease("survivor"), default));

        Assert.Equal(item.Id, bySurvivor.Id);
        Assert.Equal("survivor", bySurvivor.LeaseOwner);
        Assert.Equal("tx-crash", bySurvivor.Mm4TransactionId);
        Assert.True(bySurvivor.Version > byCrashed.Version);
        var stale = await Store.UpdateAsync(byCrashed with { State = WorkState.AwaitingResponse }, byCrashed.Version, default);
        Assert.Equal(UpdateStatus.Conflict, stale.Status);
        Assert.Equal("survivor", stale.Item!.LeaseOwner);
    }

    [Fact]
    public async Task Lease_ConcurrentWorkers_NeverReceiveTheSameItem()
    {
        const int items = 240;
        await Task.WhenAll(Enumerable.Range(0, items).Select(i => Store.InsertAsync(Forward("c" + i), default)));
        var claimed = new ConcurrentBag<(string Worker, long Id)>();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            while (true)
            {
                var batch = await Store.TryLeaseDueAsync(Lease("worker-" + w, max: 7), default);
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var item in batch)
                {
                    Assert.Equal("worker-" + w, item.LeaseOwner);
                    claimed.Add(("worker-" + w, item.Id));
                }
            }
        })));

        Assert.Equal(items, claimed.Count);
        Assert.Equal(items, claimed.Select(c => c.Id).Distinct().Count());
    }

    [Fact]
    public async Task Lease_ItemsWaitingForAResponse_BecomeDueWhenTheWaitEnds()
    {
        var item = (await Store.InsertAsync(Forward("wait"), default)).Item;
        var leased = Assert.Single(await Store.TryLeaseDueAsync(Lease("w"), default));
        var sent = await Store.UpdateAsync(
            leased with { State = WorkState.AwaitingResponse, Attempts = 1, NextAttemptAt = Time.GetUtcNow().AddSeconds(20) },
            leased.Version,
            default);
        Assert.True(sent.Succeeded);

        Time.Advance(TimeSpan.FromSeconds(19));
        Assert.Empty(await Store.TryLeaseDueAsync(Lease("w"), default));
        Time.Advance(TimeSpan.FromSeconds(1));
        var again = Assert.Single(await Store.TryLeaseDueAsync(Lease("w"), default));

        Assert.Equal(item.Id, again.Id);
        Assert.Equal(WorkState.AwaitingResponse, again.State);
        Assert.Equal(1, again.Attempts);
    }

    [Fact]
    public async Task Insert_WithClaim_IsLeasedToTheAcceptingWorkerAtOnce()
    {
        var claimed = await Store.InsertAsync(Forward("claim") with { LeaseOwner = "sip-front", LeaseDuration = TimeSpan.FromSeconds(20) }, default);

        Assert.Equal("sip-front", claimed.Item.LeaseOwner);
        Assert.Equal(Time.GetUtcNow().AddSeconds(20), claimed.Item.LeaseUntil);
        Assert.Empty(await Store.TryLeaseDueAsync(Lease("poller"), default));
        var sent = await Store.UpdateAsync(claimed.Item with { State = WorkState.AwaitingResponse, Attempts = 1, NextAttemptAt = Time.GetUtcNow().AddSeconds(20) }, claimed.Item.Version, default);
        Assert.True(sent.Succeeded);
    }

    [Fact]
    public async Task Insert_RepeatWithClaim_DoesNotTakeOverTheExistingItem()
    {
        var first = await Store.InsertAsync(Forward("claim2"), default);

        var repeat = await Store.InsertAsync(Forward("claim2") with { LeaseOwner = "other", LeaseDuration = TimeSpan.FromSeconds(20) }, default);

        Assert.False(repeat.Created);
        Assert.Null(repeat.Item.LeaseOwner);
        Assert.Equal(first.Item.Version, repeat.Item.Version);
        Assert.Single(await Store.TryLeaseDueAsync(Lease("poller"), default));
    }

    [Fact]
    public async Task Lease_InvalidRequest_Throws()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.TryLeaseDueAsync(new LeaseRequest("w", 0, TimeSpan.FromSeconds(1)), default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.TryLeaseDueAsync(new LeaseRequest("w", StoreLimits.MaxLeaseBatch + 1, TimeSpan.FromSeconds(1)), default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.TryLeaseDueAsync(new LeaseRequest("w", 1, TimeSpan.Zero), default));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.TryLeaseDueAsync(new LeaseRequest("", 1, TimeSpan.FromSeconds(1)), default));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.TryLeaseDueAsync(new LeaseRequest("w", 1, TimeSpan.FromSeconds(1), [(WorkKind)40]), default));
    }
}

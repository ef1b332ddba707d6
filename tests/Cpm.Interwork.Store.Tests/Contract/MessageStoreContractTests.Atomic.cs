namespace Cpm.Interwork.Store.Tests.Contract;

public abstract partial class MessageStoreContractTests
{
    [Fact]
    public async Task InsertAll_SplitPerMmse_CreatesNewItemsFindsExistingOnesInInputOrder()
    {
        var existing = (await Store.InsertAsync(Forward("msg7:mmse-b", group: "msg7"), default)).Item;

        var results = await Store.InsertAllAsync([Forward("msg7:mmse-c", group: "msg7"), Forward("msg7:mmse-b", group: "msg7"), Forward("msg7:mmse-a", group: "msg7")], default);

        Assert.Equal(["msg7:mmse-c", "msg7:mmse-b", "msg7:mmse-a"], results.Select(r => r.Item.DedupKey));
        Assert.Equal([true, false, true], results.Select(r => r.Created));
        Assert.Equal(existing.Id, results[1].Item.Id);
        Assert.Equal(3, (await Store.FindByGroupAsync("msg7", default)).Count);
    }

    [Fact]
    public async Task InsertAll_OneItemRefused_PersistsNoneOfThem()
    {
        await Store.InsertAsync(Forward("taken", transactionId: "tx-taken"), default);

        await Assert.ThrowsAnyAsync<Exception>(() => Store.InsertAllAsync([Forward("n1"), Forward("n2", transactionId: "tx-taken"), Forward("n3")], default));

        Assert.Null(await Store.FindByDedupKeyAsync("n1", default));
        Assert.Null(await Store.FindByDedupKeyAsync("n3", default));
    }

    [Fact]
    public async Task InsertAll_ConcurrentOverlappingBatchesInOppositeOrders_CreateEachKeyOnce()
    {
        var keys = Enumerable.Range(0, 30).Select(i => "ov" + i).ToArray();

        var batches = await Task.WhenAll(Enumerable.Range(0, 8).Select(b => Task.Run(() =>
            Store.InsertAllAsync((b % 2 == 0 ? keys : keys.Reverse()).Select(k => Forward(k)).ToArray(), default))));

        var all = batches.SelectMany(b => b).ToArray();
        Assert.Equal(keys.Length, all.Count(r => r.Created));
        Assert.Equal(keys.Length, all.Select(r => r.Item.Id).Distinct().Count());
    }

    [Fact]
    public async Task UpdateWithFollowUps_DeliveryCompleted_OwesResponseAndReportInTheSameCommit()
    {
        var delivery = (await Store.InsertAsync(Delivery("M5", "+15550100002/TYPE=PLMN", "T5"), default)).Item;
        var leased = Assert.Single(await Store.TryLeaseDueAsync(Lease("cpm"), default));
        NewWorkItem[] followUps =
        [
            new() { Kind = WorkKind.SendForwardResponse, Direction = WorkDirection.MmsToCpm, DedupKey = "res:" + delivery.Id, ParentId = delivery.Id, Mm4TransactionId = "T5" },
            new() { Kind = WorkKind.SendDeliveryReport, Direction = WorkDirection.MmsToCpm, DedupKey = "dr:" + delivery.Id, ParentId = delivery.Id, Mm4TransactionId = "gw-dr-1", Mm4MessageId = "M5" },
        ];

        var result = await Store.UpdateWithFollowUpsAsync(leased with { State = WorkState.Completed, StatusCode = 200, Attempts = 1 }, leased.Version, followUps, default);

        Assert.Equal(UpdateStatus.Updated, result.Update.Status);
        Assert.Equal([true, true], result.FollowUps.Select(f => f.Created));
        Assert.Equal(WorkState.Completed, (await Store.GetAsync(delivery.Id, default))!.State);
        var owed = await Store.TryLeaseDueAsync(Lease("mm4", 10, 30, WorkKind.SendForwardResponse, WorkKind.SendDeliveryReport), default);
        Assert.Equal([WorkKind.SendForwardResponse, WorkKind.SendDeliveryReport], owed.Select(i => i.Kind).Order());
        Assert.All(owed, i => Assert.Equal(delivery.Id, i.ParentId));
        Assert.Equal("gw-dr-1", (await Store.FindByTransactionIdAsync(WorkKind.SendDeliveryReport, "gw-dr-1", default))!.Mm4TransactionId);
    }

    [Fact]
    public async Task UpdateWithFollowUps_StaleVersion_InsertsNothing()
    {
        var item = (await Store.InsertAsync(Delivery("M6", "+15550100002/TYPE=PLMN", "T6"), default)).Item;
        await Store.UpdateAsync(item with { State = WorkState.Retrying }, item.Version, default);

        var result = await Store.UpdateWithFollowUpsAsync(
            item with { State = WorkState.Completed },
            item.Version,
            [new NewWorkItem { Kind = WorkKind.SendForwardResponse, Direction = WorkDirection.MmsToCpm, DedupKey = "res:stale" }],
            default);

        Assert.Equal(UpdateStatus.Conflict, result.Update.Status);
        Assert.Empty(result.FollowUps);
        Assert.Null(await Store.FindByDedupKeyAsync("res:stale", default));
    }

    [Fact]
    public async Task UpdateWithFollowUps_FollowUpRefused_RollsTheUpdateBack()
    {
        await Store.InsertAsync(Forward("holder", transactionId: "dup-dr") with { Kind = WorkKind.SendDeliveryReport }, default);
        var item = (await Store.InsertAsync(Delivery("M8", "+15550100002/TYPE=PLMN", "T8"), default)).Item;

        await Assert.ThrowsAnyAsync<Exception>(() => Store.UpdateWithFollowUpsAsync(
            item with { State = WorkState.Completed },
            item.Version,
            [new NewWorkItem { Kind = WorkKind.SendDeliveryReport, Direction = WorkDirection.MmsToCpm, DedupKey = "dr:M8", Mm4TransactionId = "dup-dr" }],
            default));

        var current = await Store.GetAsync(item.Id, default);
        Assert.Equal(WorkState.Pending, current!.State);
        Assert.Equal(item.Version, current.Version);
    }
}

using System.Text;

namespace Cpm.Interwork.Store.Tests.Contract;

public abstract partial class MessageStoreContractTests
{
    [Fact]
    public async Task Insert_NewKey_PersistsEveryFieldAsPendingDueNow()
    {
        var expires = Time.GetUtcNow().AddHours(2);
        var result = await Store.InsertAsync(Forward("a1", group: "g1") with { ExpiresAt = expires, ParentId = 42 }, default);

        Assert.True(result.Created);
        var item = result.Item;
        Assert.True(item.Id > 0);
        Assert.Equal(WorkKind.ForwardToMmse, item.Kind);
        Assert.Equal(WorkDirection.CpmToMms, item.Direction);
        Assert.Equal("a1", item.DedupKey);
        Assert.Equal("g1", item.GroupKey);
        Assert.Equal(42, item.ParentId);
        Assert.Equal(WorkState.Pending, item.State);
        Assert.Equal("call-a1", item.SipCallId);
        Assert.Equal("sip:+15550100001@ims.example.net", item.Sender);
        Assert.Equal("imdn-a1", item.ImdnMessageId);
        Assert.Equal("tx-a1", item.Mm4TransactionId);
        Assert.Equal("mid-a1", item.Mm4MessageId);
        Assert.Equal(["+15550100002/TYPE=PLMN", "+15550100003/TYPE=PLMN"], item.Recipients);
        Assert.Equal("mms.example.org", item.PeerDomain);
        Assert.Equal("X-Mms-Message-Type: MM4_forward.REQ\r\n\r\nbody of a1", Encoding.UTF8.GetString(item.Payload.Span));
        Assert.Equal("MAIL FROM:<+15550100001/TYPE=PLMN@gw.example.net>", Encoding.ASCII.GetString(item.Envelope.Span));
        Assert.Equal(0, item.Attempts);
        Assert.Equal(Time.GetUtcNow(), item.CreatedAt);
        Assert.Equal(Time.GetUtcNow(), item.NextAttemptAt);
        Assert.Equal(expires, item.ExpiresAt);
        Assert.Null(item.CompletedAt);
        Assert.Null(item.LeaseOwner);
        Assert.Null(item.StatusCode);
        Assert.Equal(Scalars(item), Scalars((await Store.GetAsync(item.Id, default))!));
    }

    [Fact]
    public async Task Insert_BinaryPayloadAndEmptyEnvelope_RoundTripByteForByte()
    {
        var payload = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 31)).ToArray();
        var created = await Store.InsertAsync(Forward("bin") with { Payload = payload, Envelope = ReadOnlyMemory<byte>.Empty, Recipients = [] }, default);

        var read = await Store.GetAsync(created.Item.Id, default);

        Assert.Equal(payload, read!.Payload.ToArray());
        Assert.True(read.Envelope.IsEmpty);
        Assert.Empty(read.Recipients);
    }

    [Fact]
    public async Task Insert_SameDedupKeyAgain_ReturnsTheFirstItemUnchanged()
    {
        var first = await Store.InsertAsync(Forward("dup"), default);
        Time.Advance(TimeSpan.FromSeconds(5));

        var second = await Store.InsertAsync(Forward("dup", transactionId: "tx-other") with { Payload = new byte[] { 1, 2, 3 } }, default);

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Item.Id, second.Item.Id);
        Assert.Equal("tx-dup", second.Item.Mm4TransactionId);
        Assert.Equal(first.Item.Payload.ToArray(), second.Item.Payload.ToArray());
        Assert.Equal(first.Item.Version, second.Item.Version);
        Assert.Null(await Store.FindByTransactionIdAsync(WorkKind.ForwardToMmse, "tx-other", default));
    }

    [Fact]
    public async Task Insert_ConcurrentDuplicates_CreateExactlyOneItem()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => Store.InsertAsync(Forward("race"), default))));

        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.Item.Id).Distinct());
        Assert.Equal(1, (await Store.CountByStateAsync(default))[WorkState.Pending]);
    }

    [Fact]
    public async Task Insert_ManyConcurrentDistinctKeys_AllCreatedWithDistinctIds()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => Task.Run(() => Store.InsertAsync(Forward("many-" + i), default))));

        Assert.All(results, r => Assert.True(r.Created));
        Assert.Equal(300, results.Select(r => r.Item.Id).Distinct().Count());
    }

    [Fact]
    public async Task Insert_GatewayMintedTransactionIdReusedUnderAnotherKey_IsRefused()
    {
        await Store.InsertAsync(Forward("k1", transactionId: "tx-shared"), default);

        await Assert.ThrowsAnyAsync<Exception>(() => Store.InsertAsync(Forward("k2", transactionId: "tx-shared"), default));

        Assert.Null(await Store.FindByDedupKeyAsync("k2", default));
        // The store stays usable after the refused write.
        Assert.True((await Store.InsertAsync(Forward("k3"), default)).Created);
    }

    [Fact]
    public async Task Insert_InboundDeliveriesPerRecipient_ShareThePeersTransactionId()
    {
        var a = await Store.InsertAsync(Delivery("peer-mid-1", "+15550100002/TYPE=PLMN", "peer-tx-1"), default);
        var b = await Store.InsertAsync(Delivery("peer-mid-1", "+15550100003/TYPE=PLMN", "peer-tx-1"), default);

        Assert.True(a.Created);
        Assert.True(b.Created);
    }

    [Fact]
    public async Task Insert_RepeatedInboundMessageIdForSameRecipient_IsDetected()
    {
        var first = await Store.InsertAsync(Delivery("peer-mid-2", "+15550100002/TYPE=PLMN", "peer-tx-2"), default);
        var repeat = await Store.InsertAsync(Delivery("peer-mid-2", "+15550100002/TYPE=PLMN", "peer-tx-2-retry"), default);

        Assert.False(repeat.Created);
        Assert.Equal(first.Item.Id, repeat.Item.Id);
        Assert.Single(await Store.FindByMm4MessageIdAsync("peer-mid-2", "+15550100002/TYPE=PLMN", default));
    }

    [Fact]
    public async Task Insert_InvalidInput_ThrowsBeforeWriting()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertAsync(Forward("") , default));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertAsync(Forward(new string('k', StoreLimits.MaxKeyLength + 1)), default));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertAsync(Forward("bad-kind") with { Kind = (WorkKind)99 }, default));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertAsync(Forward("bad-rcpt") with { Recipients = ["a\nb"] }, default));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertAsync(Forward("bad-state") with { State = WorkState.Retrying }, default));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertAsync(Forward("bad-claim") with { LeaseOwner = "w" }, default));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertAsync(Forward("bad-claim2") with { LeaseOwner = "w", LeaseDuration = TimeSpan.Zero }, default));

        Assert.Empty(await Store.CountByStateAsync(default));
    }

    [Fact]
    public async Task Insert_AlreadyFinishedItem_IsTerminalWithCompletedAtAndNotLeasable()
    {
        var result = await Store.InsertAsync(Forward("done") with { State = WorkState.Completed }, default);

        Assert.Equal(Time.GetUtcNow(), result.Item.CompletedAt);
        Assert.Empty(await Store.TryLeaseDueAsync(Lease("w"), default));
    }

    [Fact]
    public async Task Lookups_FindItemsByEveryCorrelationKey()
    {
        var f1 = (await Store.InsertAsync(Forward("L1", group: "msg-1"), default)).Item;
        var f2 = (await Store.InsertAsync(Forward("L2", group: "msg-1") with { SipCallId = "call-L1", ImdnMessageId = "imdn-L1" }, default)).Item;
        var d1 = (await Store.InsertAsync(Delivery("M9", "+15550100007/TYPE=PLMN", "T9"), default)).Item;
        var d2 = (await Store.InsertAsync(Delivery("M9", "+15550100008/TYPE=PLMN", "T9"), default)).Item;

        Assert.Equal(f1.Id, (await Store.FindByDedupKeyAsync("L1", default))!.Id);
        Assert.Equal(f2.Id, (await Store.FindByTransactionIdAsync(WorkKind.ForwardToMmse, "tx-L2", default))!.Id);
        Assert.Null(await Store.FindByTransactionIdAsync(WorkKind.SendDeliveryReport, "tx-L2", default));
        Assert.Equal(d2.Id, (await Store.FindByTransactionIdAsync(WorkKind.DeliverToCpm, "T9", default))!.Id);
        Assert.Equal([d1.Id, d2.Id], (await Store.FindByMm4MessageIdAsync("M9", null, default)).Select(i => i.Id));
        Assert.Equal([d2.Id], (await Store.FindByMm4MessageIdAsync("M9", "+15550100008/type=plmn", default)).Select(i => i.Id));
        Assert.Empty(await Store.FindByMm4MessageIdAsync("M9", "+15550100001/TYPE=PLMN", default));
        Assert.Equal([f1.Id, f2.Id], (await Store.FindByImdnMessageIdAsync("imdn-L1", "sip:+15550100001@ims.example.net", default)).Select(i => i.Id));
        Assert.Empty(await Store.FindByImdnMessageIdAsync("imdn-L1", "sip:+15550100099@ims.example.net", default));
        Assert.Equal([f1.Id, f2.Id], (await Store.FindByGroupAsync("msg-1", default)).Select(i => i.Id));
        Assert.Equal([f1.Id, f2.Id], (await Store.FindBySipCallIdAsync("call-L1", default)).Select(i => i.Id));
        Assert.Null(await Store.GetAsync(999_999, default));
        Assert.Null(await Store.FindByDedupKeyAsync("nope", default));
    }

    [Fact]
    public async Task Health_OpenStore_IsHealthyAndCountsByState()
    {
        await Store.InsertAsync(Forward("h1"), default);
        await Store.InsertAsync(Forward("h2") with { State = WorkState.AwaitingResponse }, default);

        var health = await Store.CheckHealthAsync(default);
        var counts = await Store.CountByStateAsync(default);

        Assert.True(health.IsHealthy, health.Description);
        Assert.Equal(1, counts[WorkState.Pending]);
        Assert.Equal(1, counts[WorkState.AwaitingResponse]);
    }
}

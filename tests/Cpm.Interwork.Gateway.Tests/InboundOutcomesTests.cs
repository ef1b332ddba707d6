using Cpm.Interwork.Core;
using Cpm.Interwork.Gateway.Interworking.Inbound;
using Cpm.Interwork.Mm4;
using Cpm.Interwork.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cpm.Interwork.Gateway.Tests;

/// <summary>
/// The MM4_forward.RES status rule (issue 5 item 4) on a real SQLite store: the first attempt's definitive outcome, else
/// Ok (pending); nothing decided before every recipient had a first attempt.
/// </summary>
public sealed class InboundOutcomesTests : IAsyncLifetime
{
    // Whole milliseconds: the store keeps microseconds.
    private readonly DateTimeOffset _now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    private readonly string _dir = Directory.CreateTempSubdirectory("cpm-inbound-outcomes-").FullName;
    private IMessageStore _store = null!;

    public async Task InitializeAsync() =>
        _store = await MessageStoreFactory.OpenAsync(new StoreOptions { Path = Path.Combine(_dir, "t.db") }, _dir, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<(long Res, long[] Deliveries)> InsertAsync(string group, int recipients)
    {
        var items = Enumerable.Range(0, recipients).Select(i => new NewWorkItem
        {
            Kind = WorkKind.DeliverToCpm, Direction = WorkDirection.MmsToCpm, DedupKey = group + ":d" + i, GroupKey = group, Recipients = ["+1555030000" + i + "/TYPE=PLMN"],
        }).Append(new NewWorkItem
        {
            Kind = WorkKind.SendForwardResponse, Direction = WorkDirection.MmsToCpm, DedupKey = group + ":res", GroupKey = group, NextAttemptAt = _now + TimeSpan.FromSeconds(20),
        }).ToList();
        var results = await _store.InsertAllAsync(items, CancellationToken.None);
        return (results.Single(r => r.Item.Kind == WorkKind.SendForwardResponse).Item.Id, results.Where(r => r.Item.Kind == WorkKind.DeliverToCpm).Select(r => r.Item.Id).ToArray());
    }

    private async Task RecordAsync(long id, string kind, DeliveryOutcome outcome, int attempts, WorkState state)
    {
        var item = (await _store.GetAsync(id, CancellationToken.None))!;
        var r = await _store.UpdateAsync(item with { State = state, Attempts = attempts, StatusText = InboundItems.OutcomeText(kind, outcome) }, item.Version, CancellationToken.None);
        Assert.Equal(UpdateStatus.Updated, r.Status);
    }

    private async Task<WorkItem> ResAfterDecisionAsync(string group, long res)
    {
        await InboundOutcomes.DecideResponsesAsync(_store, group, _now, NullLogger.Instance, CancellationToken.None);
        return (await _store.GetAsync(res, CancellationToken.None))!;
    }

    [Fact]
    public async Task FirstAttemptDelivered_ResOkNow_WithoutPendingText()
    {
        var (res, d) = await InsertAsync("g1", 1);
        await RecordAsync(d[0], "Delivered", DeliveryOutcomes.Classify(200, "OK"), 1, WorkState.Completed);
        var item = await ResAfterDecisionAsync("g1", res);
        Assert.Equal("status:Ok|", item.StatusText);
        Assert.Equal(_now, item.NextAttemptAt);
    }

    [Fact]
    public async Task FirstAttempt404_ResCarriesTheFailure()
    {
        var (res, d) = await InsertAsync("g2", 1);
        await RecordAsync(d[0], "Failed", DeliveryOutcomes.Classify(404, "Not Found"), 1, WorkState.Failed);
        var item = await ResAfterDecisionAsync("g2", res);
        Assert.StartsWith("status:" + Mm4RequestStatus.From(RequestStatusCode.ErrorSendingAddressUnresolved).Text + "|SIP 404", item.StatusText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstAttemptNotDefinitive_ResOkPendingNow()
    {
        var (res, d) = await InsertAsync("g3", 1);
        await RecordAsync(d[0], "Retry", DeliveryOutcomes.Classify(480, "Temporarily Unavailable"), 1, WorkState.Retrying);
        var item = await ResAfterDecisionAsync("g3", res);
        Assert.Equal("status:Ok|" + InboundAnswerSender.PendingText, item.StatusText);
    }

    [Fact]
    public async Task ARecipientWithoutItsFirstAttempt_LeavesTheResWaiting()
    {
        var (res, d) = await InsertAsync("g4", 2);
        await RecordAsync(d[0], "Delivered", DeliveryOutcomes.Classify(200, "OK"), 1, WorkState.Completed);
        var item = await ResAfterDecisionAsync("g4", res);
        Assert.Null(item.StatusText);
        Assert.Equal(_now + TimeSpan.FromSeconds(20), item.NextAttemptAt);
    }

    [Fact]
    public void OutcomeText_RoundTrips()
    {
        var o = DeliveryOutcomes.Classify(603, "Decline");
        var parsed = InboundItems.ParseOutcome(InboundItems.OutcomeText("Failed", o));
        Assert.NotNull(parsed);
        Assert.Equal("Failed", parsed.Value.Kind);
        Assert.Equal(o.RequestStatus, parsed.Value.Status);
        Assert.Equal(o.MmStatus, parsed.Value.MmStatus);
        Assert.Equal(o.StatusText, parsed.Value.Text);
    }
}

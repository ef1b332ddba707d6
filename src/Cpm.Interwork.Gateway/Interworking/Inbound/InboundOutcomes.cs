using Cpm.Interwork.Mm4;
using Cpm.Interwork.Store;

namespace Cpm.Interwork.Gateway.Interworking.Inbound;

/// <summary>
/// Decides the X-Mms-Request-Status-Code of the MM4_forward.RES of one received REQ (its group of DeliverToCpm items):
/// once every recipient had its first attempt, the RES is made due at once with — a definitive failure of a first
/// attempt: that failure's status; otherwise Ok (all delivered, or delivery pending after a non-definitive first attempt).
/// Until then the RES waits; at Mm4:ResponseWait it goes with Ok (accepted, delivery pending).
/// </summary>
internal static class InboundOutcomes
{
    public static async Task DecideResponsesAsync(IMessageStore store, string group, DateTimeOffset now, ILogger logger, CancellationToken cancellationToken, long? only = null)
    {
        var items = await store.FindByGroupAsync(group, cancellationToken).ConfigureAwait(false);
        var deliveries = items.Where(i => i.Kind == WorkKind.DeliverToCpm).ToList();
        if (deliveries.Count == 0 || deliveries.Any(d => d.Attempts == 0 && !d.IsTerminal))
        {
            return; // a recipient's first attempt has not been made yet
        }

        var status = Mm4RequestStatus.Ok;
        var pending = deliveries.Any(d => InboundItems.ParseOutcome(d.StatusText) is not { Kind: "Delivered" });
        string? text = pending ? InboundAnswerSender.PendingText : null;
        foreach (var d in deliveries.OrderBy(d => d.Id))
        {
            if (InboundItems.ParseOutcome(d.StatusText) is { } o && o.Kind == "Failed" && d.Attempts <= 1 && o.Status.Code != RequestStatusCode.Ok)
            {
                status = o.Status;
                text = o.Text;
                break;
            }
        }

        foreach (var res in items.Where(i => i.Kind == WorkKind.SendForwardResponse && i.State == WorkState.Pending && i.StatusText is null && (only is null || i.Id == only)))
        {
            if (res.LeaseUntil is { } until && until > now)
            {
                continue; // a worker is sending it (with Ok) right now
            }

            var updated = await store.UpdateAsync(res with { StatusText = InboundItems.StatusPrefix + status.Text + "|" + text, NextAttemptAt = now }, res.Version, cancellationToken).ConfigureAwait(false);
            if (updated.Status == UpdateStatus.Updated)
            {
                InboundLog.ResponseDecided(logger, res.Mm4TransactionId ?? string.Empty, status.Text);
            }
        }
    }
}

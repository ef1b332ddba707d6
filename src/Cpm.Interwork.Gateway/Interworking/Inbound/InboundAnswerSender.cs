using System.Globalization;
using Cpm.Interwork.Core;
using Cpm.Interwork.Dns.Routing;
using Cpm.Interwork.Mm4;
using Cpm.Interwork.Smtp.Client;
using Cpm.Interwork.Store;

namespace Cpm.Interwork.Gateway.Interworking.Inbound;

/// <summary>
/// Sends the MMS side's answers as separate SMTP mails through the routing (static routes, ENUM, MX) and the SMTP client
/// pool: the MM4_forward.RES to X-Mms-Originator-System (else Sender) echoing X-Mms-Transaction-ID, and the
/// MM4_delivery_report.REQ to the original sender's MMSE. 4xx and unreachable relays are retried (Mm4:AnswerRetry) until
/// the item's expiry; 5xx and no route end it as Failed.
/// </summary>
public sealed class InboundAnswerSender
{
    private readonly GatewayStore _store;
    private readonly SmtpClientPool _pool;
    private readonly IMm4Router _router;
    private readonly Mm4ReplyFactory _replies;
    private readonly InterworkSettings _settings;
    private readonly TimeProvider _time;
    private readonly InboundMetrics _metrics;
    private readonly ILogger _logger;
    private readonly RetryPolicy _retry;

    public InboundAnswerSender(GatewayStore store, SmtpClientPool pool, IMm4Router router, IMm4IdGenerator ids, InterworkSettings settings, TimeProvider time, InboundMetrics metrics, ILogger<InboundAnswerSender> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _store = store;
        _pool = pool;
        _router = router;
        _settings = settings;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _replies = new Mm4ReplyFactory(ids, time, settings.Interwork.OriginatorSystem, settings.Interwork.MmsVersion);
        _retry = new RetryPolicy(settings.Inbound.AnswerRetry);
    }

    /// <summary>X-Mms-Status-Text of an Ok RES sent before every recipient had a definitive delivery.</summary>
    public const string PendingText = "accepted, delivery to the CPM user pending";

    private string SystemAddress => _settings.Interwork.OriginatorSystem.AddressSpec;

    /// <summary>The MM4_delivery_report.REQ owed for one recipient (null when the REQ names nowhere to send it).</summary>
    public NewWorkItem? DeliveryReportItem(WorkItem delivery, Mm4ForwardRequest request, Mm4Address recipient, Mm4MmStatus status, string statusText)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(request);
        if (Mm4ReplyFactory.ReportDestination(request) is not { } destination || request.From is null)
        {
            return null;
        }

        var report = _replies.DeliveryReport(request, recipient, status, statusText);
        var now = _time.GetUtcNow();
        return new NewWorkItem
        {
            Kind = WorkKind.SendDeliveryReport,
            Direction = WorkDirection.MmsToCpm,
            DedupKey = "dr:" + delivery.Id.ToString(CultureInfo.InvariantCulture),
            GroupKey = delivery.GroupKey,
            ParentId = delivery.Id,
            Mm4TransactionId = report.TransactionId,
            Mm4MessageId = request.MessageId,
            ImdnMessageId = delivery.ImdnMessageId,
            Recipients = [destination.AddressSpec],
            PeerDomain = destination.Domain,
            Payload = Mm4Writer.ToBytes(report),
            Envelope = InboundItems.EncodeEnvelope(new SmtpEnvelope(SystemAddress, [destination.AddressSpec])),
            NextAttemptAt = now,
            ExpiresAt = now + TimeSpan.FromDays(2),
        };
    }

    /// <summary>Sends (or, after Mm4:ReportResponseWait without a .RES, closes) one MM4_delivery_report.REQ.</summary>
    public async Task SendReportAsync(WorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.State == WorkState.AwaitingResponse)
        {
            // Sent, and no MM4_delivery_report.RES came within the wait: the report stays delivered to the relay.
            await _store.Store.UpdateAsync(item with { State = WorkState.Expired, StatusText = item.StatusText + "|no MM4_delivery_report.RES" }, item.Version, cancellationToken).ConfigureAwait(false);
            return;
        }

        var envelope = InboundItems.DecodeEnvelope(item.Envelope);
        var (outcome, detail) = await SendAsync(envelope, item.Payload, cancellationToken).ConfigureAwait(false);
        await RecordAsync(item, "MM4_delivery_report.REQ", outcome, detail, envelope.Recipients[0], "report",
            sent: i => i with { State = WorkState.AwaitingResponse, Attempts = i.Attempts + 1, NextAttemptAt = _time.GetUtcNow() + _settings.Inbound.ReportResponseWait, StatusText = InboundItems.SentPrefix + detail },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends one MM4_forward.RES: status decided by <see cref="InboundOutcomes"/>, or Ok (accepted, delivery pending) at the end of Mm4:ResponseWait.</summary>
    public async Task SendResponseAsync(WorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        byte[] mail;
        SmtpEnvelope envelope;
        string statusText;
        if (!item.Envelope.IsEmpty)
        {
            // Ready-made RES for an unreadable REQ.
            mail = item.Payload.ToArray();
            envelope = InboundItems.DecodeEnvelope(item.Envelope);
            statusText = item.StatusText ?? InboundItems.StatusPrefix + "(read error)|";
        }
        else
        {
            var request = InboundItems.Request(item);
            if (request is null || Mm4ReplyFactory.ReplyAddress(request) is not { } to)
            {
                await _store.Store.UpdateAsync(item with { State = WorkState.Failed, StatusText = "stored REQ unreadable" }, item.Version, cancellationToken).ConfigureAwait(false);
                return;
            }

            statusText = item.StatusText ?? InboundItems.StatusPrefix + Mm4RequestStatus.Ok.Text + "|";
            var body = statusText[InboundItems.StatusPrefix.Length..];
            var bar = body.IndexOf('|', StringComparison.Ordinal);
            var status = Mm4RequestStatus.Parse(bar < 0 ? body : body[..bar]);
            var text = bar < 0 || bar == body.Length - 1 ? null : body[(bar + 1)..];
            if (status.IsOk && item.StatusText is null) { text = PendingText; }
            var response = _replies.ForwardResponse(request, status, text);
            mail = Mm4Writer.ToBytes(response);
            envelope = new SmtpEnvelope(SystemAddress, [to.WithDisplayName(null).AddressSpec]);
        }

        var (outcome, detail) = await SendAsync(envelope, mail, cancellationToken).ConfigureAwait(false);
        await RecordAsync(item with { StatusText = statusText }, "MM4_forward.RES", outcome, detail, envelope.Recipients[0], statusText,
            sent: i => i with { State = WorkState.Completed, Attempts = i.Attempts + 1, StatusText = InboundItems.SentPrefix + statusText[InboundItems.StatusPrefix.Length..] + "|" + detail },
            cancellationToken).ConfigureAwait(false);
    }

    private enum SendOutcome { Sent, Transient, Permanent }

    private async Task<(SendOutcome Outcome, string Detail)> SendAsync(SmtpEnvelope envelope, ReadOnlyMemory<byte> mail, CancellationToken cancellationToken)
    {
        var route = await _router.RouteAsync(envelope.Recipients[0], cancellationToken).ConfigureAwait(false);
        if (route.Status == RouteStatus.NotFound)
        {
            return (SendOutcome.Permanent, "no route: " + route.Reason);
        }

        if (route.Status != RouteStatus.Routed)
        {
            return (SendOutcome.Transient, "routing: " + (route.Reason ?? route.Status.ToString()));
        }

        var problem = "no relay address";
        foreach (var relay in route.Relays)
        {
            foreach (var addr in relay.Addresses)
            {
                var endpoint = new SmtpEndpoint(addr.ToString(), relay.Port);
                var result = await _pool.SendAsync(endpoint, envelope, mail, cancellationToken).ConfigureAwait(false);
                for (var retry = 0; retry < 4 && result.Kind == SmtpSendResultKind.TransientFailure && result.FinalReply is null; retry++)
                {
                    // No reply at all: most likely a pooled connection the peer had closed; fresh tries before backing off.
                    result = await _pool.SendAsync(endpoint, envelope, mail, cancellationToken).ConfigureAwait(false);
                }

                if (result.IsSuccess)
                {
                    return (SendOutcome.Sent, result.FinalReply?.ToString() ?? "250");
                }

                if (result.Kind == SmtpSendResultKind.PermanentFailure)
                {
                    return (SendOutcome.Permanent, result.ToString());
                }

                problem = result.ToString();
            }
        }

        return (SendOutcome.Transient, problem);
    }

    private async Task RecordAsync(WorkItem item, string type, SendOutcome outcome, string detail, string to, string status, Func<WorkItem, WorkItem> sent, CancellationToken cancellationToken)
    {
        WorkItem next;
        switch (outcome)
        {
            case SendOutcome.Sent:
                next = sent(item);
                InboundLog.AnswerSent(_logger, type, item.Mm4TransactionId ?? string.Empty, item.Mm4MessageId ?? string.Empty, to, status, detail);
                break;
            case SendOutcome.Permanent:
                next = item with { State = WorkState.Failed, Attempts = item.Attempts + 1, StatusText = item.StatusText + "|failed: " + detail };
                InboundLog.AnswerFailed(_logger, type, item.Mm4TransactionId ?? string.Empty, item.Mm4MessageId ?? string.Empty, detail, true);
                break;
            default:
                var now = _time.GetUtcNow();
                var decision = _retry.Next(item.Attempts + 1, now, item.ExpiresAt);
                next = decision.Retry
                    ? item with { State = WorkState.Retrying, Attempts = item.Attempts + 1, NextAttemptAt = decision.At }
                    : item with { State = WorkState.Failed, Attempts = item.Attempts + 1, StatusText = item.StatusText + "|gave up: " + detail };
                InboundLog.AnswerFailed(_logger, type, item.Mm4TransactionId ?? string.Empty, item.Mm4MessageId ?? string.Empty, detail, !decision.Retry);
                break;
        }

        _metrics.Answer(type, outcome.ToString());
        await _store.Store.UpdateAsync(next, item.Version, cancellationToken).ConfigureAwait(false);
    }
}

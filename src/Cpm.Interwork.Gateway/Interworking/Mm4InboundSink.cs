using System.Text;
using Cpm.Interwork.Core;
using Cpm.Interwork.Mm4;
using Cpm.Interwork.Smtp;
using Cpm.Interwork.Smtp.Server;
using Cpm.Interwork.Store;

namespace Cpm.Interwork.Gateway.Interworking;

/// <summary>
/// What the gateway's SMTP server does with each mail (answered only after the store write):
/// <list type="bullet">
/// <item>MM4_forward.RES: matched to its forward by X-Mms-Transaction-ID; the outcome is recorded (Completed) and the
/// waiting SIP transaction completed with the core's RES→SIP answer; a RES after the wait is recorded as the late outcome;</item>
/// <item>MM4_forward.REQ: persisted per RCPT TO recipient as a DeliverToCpm item (deduplicated by X-Mms-Message-ID and
/// recipient) and accepted; delivery to CPM users (issue 5) is not wired yet, so nothing claims a delivery;</item>
/// <item>MM4_delivery_report.REQ and MM4_read_reply_report.REQ: refused with 554 5.3.3 (not handled yet: the peer keeps
/// or bounces them rather than believing they reached the CPM user);</item>
/// <item>other .RES: accepted and dropped (the gateway sends no such request yet);</item>
/// <item>unreadable MM4: 554 5.6.0 naming the fault.</item>
/// </list>
/// </summary>
public sealed class Mm4InboundSink : IMessageSink
{
    private readonly GatewayStore _store;
    private readonly ForwardOutcomeRegistry _registry;
    private readonly InterworkOptions _options;
    private readonly InterworkMetrics _metrics;
    private readonly NumberMask _mask;
    private readonly ILogger _logger;
    private readonly Inbound.InboundForwardService? _inbound;
    private readonly Mm4ReplyFactory? _replies;

    public Mm4InboundSink(GatewayStore store, ForwardOutcomeRegistry registry, InterworkSettings settings, InterworkMetrics metrics, NumberMask mask, ILogger<Mm4InboundSink> logger,
        Inbound.InboundForwardService? inbound = null, IMm4IdGenerator? ids = null, TimeProvider? time = null)
    {
        _inbound = inbound;
        _replies = inbound is null || ids is null || settings is null ? null : new Mm4ReplyFactory(ids, time ?? TimeProvider.System, settings.Interwork.OriginatorSystem, settings.Interwork.MmsVersion);
        ArgumentNullException.ThrowIfNull(settings);
        _store = store;
        _registry = registry;
        _options = settings.Interwork;
        _metrics = metrics;
        _mask = mask;
        _logger = logger;
    }

    public async ValueTask<SmtpReply> DeliverAsync(SmtpReceivedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var read = Mm4Reader.Read(message.Data);
        if (read.Message is not { } mm4)
        {
            var error = read.Error!;
            if (_inbound is not null && _replies?.ForwardResponse(error) is { } corruptRes)
            {
                // MMS→CPM (docs/inbound.md): a forward.REQ missing a mandatory header is answered by MM4_forward.RES.
                _metrics.Inbound("MM4_forward.REQ", "refused-corrupt");
                return (await _inbound.AcceptCorruptForwardAsync(error, message, corruptRes, cancellationToken).ConfigureAwait(false))!;
            }

            InterworkLog.InboundRefused(_logger, _mask.Apply(message.MailFrom), error.ToString());
            _metrics.Inbound(error.MessageTypeText ?? "unknown", "refused-unreadable");
            return new SmtpReply(554, new SmtpEnhancedStatusCode(5, 6, 0), "MM4 message not readable: " + Sanitize(error.ToString()));
        }

        switch (mm4)
        {
            case Mm4ForwardResponse response:
                return await ForwardResponseAsync(response, cancellationToken).ConfigureAwait(false);
            case Mm4ForwardRequest request when _inbound is not null:
                _metrics.Inbound("MM4_forward.REQ", "accepted");
                return await _inbound.AcceptForwardAsync(request, message, cancellationToken).ConfigureAwait(false);
            case Mm4DeliveryReportResponse reportResponse when _inbound is not null:
                _metrics.Inbound("MM4_delivery_report.RES", "recorded");
                return await _inbound.AcceptReportResponseAsync(reportResponse, cancellationToken).ConfigureAwait(false);
            case Mm4ForwardRequest request:
                return await ForwardRequestAsync(request, message, cancellationToken).ConfigureAwait(false);
            case Mm4DeliveryReportRequest or Mm4ReadReplyReportRequest:
                if (_logger.IsEnabled(LogLevel.Information))
                {
                    InterworkLog.Inbound(_logger, Mm4Values.Format(mm4.MessageType), mm4.TransactionId, mm4.MessageId, _mask.Apply(message.MailFrom), "refused (not handled yet)");
                }

                _metrics.Inbound(Mm4Values.Format(mm4.MessageType), "refused-unsupported");
                return new SmtpReply(554, new SmtpEnhancedStatusCode(5, 3, 3), Mm4Values.Format(mm4.MessageType) + " is not handled by this gateway yet");
            default:
                if (_logger.IsEnabled(LogLevel.Information))
                {
                    InterworkLog.Inbound(_logger, Mm4Values.Format(mm4.MessageType), mm4.TransactionId, mm4.MessageId, _mask.Apply(message.MailFrom), "dropped (no request of ours)");
                }

                _metrics.Inbound(Mm4Values.Format(mm4.MessageType), "dropped");
                return new SmtpReply(250, new SmtpEnhancedStatusCode(2, 0, 0), "OK");
        }
    }

    private async Task<SmtpReply> ForwardResponseAsync(Mm4ForwardResponse response, CancellationToken cancellationToken)
    {
        var store = _store.Store;
        var status = response.RequestStatus.Text;
        // The forward's last snapshot when a SIP transaction waits for it (no lookup on the hot path), else the store.
        var item = _registry.Latest(response.TransactionId)
            ?? await store.FindByTransactionIdAsync(WorkKind.ForwardToMmse, response.TransactionId, cancellationToken).ConfigureAwait(false);
        if (item is null)
        {
            InterworkLog.UnknownResponse(_logger, response.TransactionId, response.MessageId, status);
            _metrics.Inbound("MM4_forward.RES", "unknown-transaction");
            return new SmtpReply(250, new SmtpEnhancedStatusCode(2, 0, 0), "OK (no forward with this X-Mms-Transaction-ID)");
        }

        var text = ForwardItems.ResText(response) + ForwardItems.RefusalsOf(item.StatusText);
        var answer = ForwardItems.AnswerOf(item with { State = WorkState.Completed, StatusText = text }, _options) ?? ForwardOutcomes.ToSip(response, _options);
        if (item.StatusText is { } first && first.StartsWith(ForwardItems.ResPrefix, StringComparison.Ordinal))
        {
            // A repeated RES (the peer resent it): the first one is the outcome.
            _metrics.Inbound("MM4_forward.RES", "repeated");
            return new SmtpReply(250, new SmtpEnhancedStatusCode(2, 0, 0), "OK MM4_forward.RES already recorded");
        }

        for (var i = 0; i < 5; i++)
        {
            if (item.StatusText is { } old && old.StartsWith(ForwardItems.ResPrefix, StringComparison.Ordinal))
            {
                break; // recorded by a concurrent copy of this RES
            }

            var result = await store.UpdateAsync(item with { State = WorkState.Completed, StatusCode = answer.StatusCode, StatusText = text }, item.Version, cancellationToken).ConfigureAwait(false);
            if (result.Status == UpdateStatus.Updated || result.Item is null)
            {
                break;
            }

            // Changed meanwhile (e.g. "sent" with refused recipients recorded just now): decide again on the fresh row.
            item = result.Item;
            text = ForwardItems.ResText(response) + ForwardItems.RefusalsOf(item.StatusText);
            answer = ForwardItems.AnswerOf(item with { State = WorkState.Completed, StatusText = text }, _options) ?? answer;
        }

        // Answered on time when a SIP transaction (or a repeat of it) still waits; otherwise the late outcome is in the store.
        var onTime = _registry.Complete(response.TransactionId, answer);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            InterworkLog.ResponseReceived(_logger, item.SipCallId, item.ImdnMessageId, response.TransactionId, item.Mm4MessageId, status, _mask.Apply(response.StatusText), !onTime);
        }

        if (!onTime)
        {
            if (_logger.IsEnabled(LogLevel.Information))
            {
                InterworkLog.LateOutcome(_logger, item.SipCallId, item.ImdnMessageId, response.TransactionId, item.Mm4MessageId, status);
            }

        }

        _metrics.ResponseReceived(status, !onTime);
        return new SmtpReply(250, new SmtpEnhancedStatusCode(2, 0, 0), "OK MM4_forward.RES recorded");
    }

    private async Task<SmtpReply> ForwardRequestAsync(Mm4ForwardRequest request, SmtpReceivedMessage message, CancellationToken cancellationToken)
    {
        var items = message.RcptTo.Select(rcpt => new NewWorkItem
        {
            Kind = WorkKind.DeliverToCpm,
            Direction = WorkDirection.MmsToCpm,
            DedupKey = "mm4:" + request.MessageId + ":" + rcpt.ToLowerInvariant(),
            GroupKey = "mm4:" + request.MessageId,
            Mm4TransactionId = request.TransactionId,
            Mm4MessageId = request.MessageId,
            Sender = request.From?.ToString(),
            Recipients = [rcpt],
            PeerDomain = request.OriginatorSystem?.Domain ?? request.Sender?.Domain,
            Payload = message.Data,
            Envelope = Encoding.UTF8.GetBytes(message.MailFrom + "\n" + rcpt),
            ExpiresAt = request.Expiry?.ResolveAgainst(request.Date ?? DateTimeOffset.UtcNow),
        }).ToList();
        await _store.Store.InsertAllAsync(items, cancellationToken).ConfigureAwait(false);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            InterworkLog.Inbound(_logger, "MM4_forward.REQ", request.TransactionId, request.MessageId, _mask.Apply(message.MailFrom), "stored for delivery to CPM (not delivered yet)");
        }

        _metrics.Inbound("MM4_forward.REQ", "stored");
        return new SmtpReply(250, new SmtpEnhancedStatusCode(2, 0, 0), "OK stored");
    }

    private static string Sanitize(string text) =>
        new(text.Select(c => c is < ' ' or > '~' ? '?' : c).Take(200).ToArray());
}

using Cpm.Interwork.Core;
using Cpm.Interwork.Mm4;
using Cpm.Interwork.Smtp;
using Cpm.Interwork.Smtp.Server;
using Cpm.Interwork.Store;

namespace Cpm.Interwork.Gateway.Interworking.Inbound;

/// <summary>
/// Accepts MM4 mails of the MMS → CPM direction on the gateway's SMTP server (called by <see cref="Mm4InboundSink"/>):
/// <list type="bullet">
/// <item>MM4_forward.REQ: one DeliverToCpm item per RCPT TO recipient (the envelope defines delivery, not To:) and one
/// SendForwardResponse item when X-Mms-Ack-Request is Yes, all committed in one transaction before the 250. A repeated
/// X-Mms-Message-ID for the same recipient keeps the first item (the CPM user gets it once) while a new RES item is added
/// (the peer gets its RES again, with the outcome known by then);</item>
/// <item>an unreadable forward.REQ that still names its Transaction-ID, Message-ID and reply address (a mandatory header
/// missing or malformed): a SendForwardResponse item carrying the reader's status (Error-message-format-corrupt…), 250;</item>
/// <item>MM4_delivery_report.RES: recorded against the SendDeliveryReport item with that Transaction-ID.</item>
/// </list>
/// </summary>
public sealed class InboundForwardService
{
    private readonly GatewayStore _store;
    private readonly InterworkSettings _settings;
    private readonly TimeProvider _time;
    private readonly InboundSignal _signal;
    private readonly ILogger _logger;

    public InboundForwardService(GatewayStore store, InterworkSettings settings, TimeProvider time, InboundSignal signal, ILogger<InboundForwardService> logger)
    {
        _store = store;
        _settings = settings;
        _time = time;
        _signal = signal;
        _logger = logger;
    }

    public async Task<SmtpReply> AcceptForwardAsync(Mm4ForwardRequest request, SmtpReceivedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(message);
        var now = _time.GetUtcNow();
        // An expiry already passed is stored as "now" (the worker still finds it expired): a date in the past would let the
        // store's purge delete the item before its Expired report was sent.
        var deadline = DeliveryOutcomes.Deadline(request, now, _settings.Mm4);
        var expires = deadline > now ? deadline : now;
        var group = InboundItems.GroupKey(request.MessageId);
        var items = new List<NewWorkItem>();
        foreach (var rcpt in message.RcptTo.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            items.Add(new NewWorkItem
            {
                Kind = WorkKind.DeliverToCpm,
                Direction = WorkDirection.MmsToCpm,
                DedupKey = InboundItems.DeliverKey(request.MessageId, rcpt),
                GroupKey = group,
                Mm4TransactionId = request.TransactionId,
                Mm4MessageId = request.MessageId,
                ImdnMessageId = NewImdnId(),
                Sender = request.From?.AddressSpec,
                Recipients = [rcpt],
                PeerDomain = (Mm4ReplyFactory.ReplyAddress(request))?.Domain ?? DomainOf(message.MailFrom),
                Payload = message.Data,
                NextAttemptAt = now,
                ExpiresAt = expires,
            });
        }

        var wantsRes = request.AckRequest == true && Mm4ReplyFactory.ReplyAddress(request) is not null;
        if (wantsRes)
        {
            items.Add(new NewWorkItem
            {
                Kind = WorkKind.SendForwardResponse,
                Direction = WorkDirection.MmsToCpm,
                DedupKey = "res:" + request.TransactionId + ":" + Guid.NewGuid().ToString("N"),
                GroupKey = group,
                Mm4TransactionId = request.TransactionId,
                Mm4MessageId = request.MessageId,
                Sender = request.From?.AddressSpec,
                Recipients = message.RcptTo.ToArray(),
                PeerDomain = Mm4ReplyFactory.ReplyAddress(request)?.Domain,
                Payload = message.Data,
                NextAttemptAt = now + _settings.Mm4.ResponseWait,
                ExpiresAt = expires > now + TimeSpan.FromDays(1) ? expires : now + TimeSpan.FromDays(1),
            });
        }

        var results = await _store.Store.InsertAllAsync(items, cancellationToken).ConfigureAwait(false);
        var repeated = results.Count(r => r.Item.Kind == WorkKind.DeliverToCpm && !r.Created);
        InboundLog.Accepted(_logger, request.TransactionId, request.MessageId, message.RcptTo.Count, repeated, wantsRes);

        // A repeated REQ whose recipients all have a definitive outcome: its RES goes now, with that outcome.
        if (wantsRes && repeated > 0)
        {
            var res = results.Last(r => r.Item.Kind == WorkKind.SendForwardResponse).Item;
            await InboundOutcomes.DecideResponsesAsync(_store.Store, group, now, _logger, cancellationToken, only: res.Id).ConfigureAwait(false);
        }

        _signal.Wake();
        return new SmtpReply(250, new SmtpEnhancedStatusCode(2, 0, 0), repeated > 0 ? "OK already accepted (repeated X-Mms-Message-ID)" : "OK accepted for delivery to CPM");
    }

    /// <summary>An unreadable mail that still identifies a forward.REQ: answered with an MM4_forward.RES carrying the read error's status.</summary>
    public async Task<SmtpReply?> AcceptCorruptForwardAsync(Mm4ReadError error, SmtpReceivedMessage message, Mm4ForwardResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(response);
        var now = _time.GetUtcNow();
        var to = error.ReplyAddress!;
        await _store.Store.InsertAsync(new NewWorkItem
        {
            Kind = WorkKind.SendForwardResponse,
            Direction = WorkDirection.MmsToCpm,
            DedupKey = "res:" + error.TransactionId + ":" + Guid.NewGuid().ToString("N"),
            Mm4TransactionId = error.TransactionId,
            Mm4MessageId = error.MessageId,
            Recipients = message.RcptTo.ToArray(),
            PeerDomain = to.Domain,
            // A ready-made RES: the payload is the RES mail itself (the REQ cannot be read again).
            Payload = Mm4Writer.ToBytes(response),
            Envelope = InboundItems.EncodeEnvelope(new Smtp.Client.SmtpEnvelope(_settings.Interwork.OriginatorSystem.AddressSpec, [to.AddressSpec])),
            NextAttemptAt = now,
            ExpiresAt = now + TimeSpan.FromDays(1),
        }, cancellationToken).ConfigureAwait(false);
        InboundLog.Corrupt(_logger, error.TransactionId!, error.MessageId!, error.ToString());
        _signal.Wake();
        return new SmtpReply(250, new SmtpEnhancedStatusCode(2, 0, 0), "OK MM4_forward.RES " + error.RequestStatus.Text + " will follow");
    }

    /// <summary>MM4_delivery_report.RES: recorded against the report with its Transaction-ID (a repeat keeps the first).</summary>
    public async Task<SmtpReply> AcceptReportResponseAsync(Mm4DeliveryReportResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var store = _store.Store;
        var item = await store.FindByTransactionIdAsync(WorkKind.SendDeliveryReport, response.TransactionId, cancellationToken).ConfigureAwait(false);
        if (item is null)
        {
            InboundLog.ReportResponse(_logger, response.TransactionId, response.RequestStatus.Text, false);
            return new SmtpReply(250, new SmtpEnhancedStatusCode(2, 0, 0), "OK (no delivery report with this X-Mms-Transaction-ID)");
        }

        var text = InboundItems.ResPrefix + response.RequestStatus.Text + (string.IsNullOrWhiteSpace(response.StatusText) ? string.Empty : "|" + response.StatusText);
        for (var i = 0; i < 5 && item is not null && !(item.StatusText?.StartsWith(InboundItems.ResPrefix, StringComparison.Ordinal) ?? false); i++)
        {
            var result = await store.UpdateAsync(item with { State = WorkState.Completed, StatusText = text }, item.Version, cancellationToken).ConfigureAwait(false);
            if (result.Status == UpdateStatus.Updated) { break; }
            item = result.Item;
        }

        InboundLog.ReportResponse(_logger, response.TransactionId, response.RequestStatus.Text, true);
        return new SmtpReply(250, new SmtpEnhancedStatusCode(2, 0, 0), "OK MM4_delivery_report.RES recorded");
    }

    private static string NewImdnId() => Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', 'A').Replace('/', 'B');

    private static string? DomainOf(string mailbox)
    {
        var at = mailbox.LastIndexOf('@');
        return at < 0 ? null : mailbox[(at + 1)..];
    }
}

/// <summary>Wakes the inbound workers when new work was stored (they also poll).</summary>
public sealed class InboundSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Wake()
    {
        try
        {
            if (_semaphore.CurrentCount == 0) { _semaphore.Release(); }
        }
        catch (SemaphoreFullException)
        {
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _semaphore.Dispose();
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Cpm.Interwork.Core;
using Cpm.Interwork.Mm4;
using Cpm.Interwork.Smtp.Client;
using Cpm.Interwork.Store;

namespace Cpm.Interwork.Gateway.Interworking;

/// <summary>
/// How a CPM→MMS forward is kept in the store (one <see cref="WorkKind.ForwardToMmse"/> item per receiving MMSE) and how
/// its recorded outcome becomes a SIP answer again. StatusText holds the outcome's kind and data:
/// <c>res:&lt;X-Mms-Request-Status-Code&gt;[|&lt;X-Mms-Status-Text&gt;]</c>, <c>smtp:&lt;code&gt; &lt;text&gt;</c> (5xx),
/// <c>transient:&lt;detail&gt;</c>, <c>noroute:&lt;detail&gt;</c>, <c>sent:&lt;reply&gt;</c> (250 seen, RES awaited), <c>expired</c>.
/// StatusCode holds the SIP status of a definitive outcome.
/// </summary>
internal static class ForwardItems
{
    public const string ResPrefix = "res:";
    public const string SmtpPrefix = "smtp:";
    public const string TransientPrefix = "transient:";
    public const string NoRoutePrefix = "noroute:";
    public const string SentPrefix = "sent:";
    public const string ExpiredText = "expired";

    /// <summary>
    /// Appended to StatusText (after a line feed) when the relay accepted only some recipients (SMTP partial success):
    /// <c>refused:&lt;numbers, comma-separated&gt; &lt;code&gt; &lt;text&gt;</c>. Kept when the RES is recorded, so the answer
    /// (now or to a repeat) covers the refused recipients too.
    /// </summary>
    public const string RefusedMarker = "\nrefused:";

    public static string Refusals(IReadOnlyList<string> numbers, int code, string text) =>
        RefusedMarker + string.Join(",", numbers) + " " + code.ToString(CultureInfo.InvariantCulture) + " " + text.Replace('\n', ' ');

    /// <summary>The refusal suffix of a StatusText, or empty.</summary>
    public static string RefusalsOf(string? statusText)
    {
        var at = statusText?.IndexOf(RefusedMarker, StringComparison.Ordinal) ?? -1;
        return at < 0 ? string.Empty : statusText![at..];
    }

    public static string GroupKey(CpmForward forward, SipRequestKeys keys) =>
        forward.Correlation.ImdnMessageId is { Length: > 0 } imdn
            ? "cpm:" + forward.Correlation.SenderE164 + ":" + imdn
            : "sip:" + keys.CallId + ":" + keys.CSeq.ToString(CultureInfo.InvariantCulture);

    public static byte[] EncodeEnvelope(Mm4Envelope envelope) =>
        Encoding.UTF8.GetBytes(envelope.MailFrom + "\n" + string.Join("\n", envelope.RcptTo));

    public static SmtpEnvelope DecodeEnvelope(ReadOnlyMemory<byte> bytes)
    {
        var lines = Encoding.UTF8.GetString(bytes.Span).Split('\n');
        return new SmtpEnvelope(lines[0], lines.Skip(1).Where(l => l.Length > 0).ToArray());
    }

    /// <summary>The E.164 numbers of RCPT TO entries like <c>+15550100002/TYPE=PLMN@mms.example.net</c>.</summary>
    public static IReadOnlyList<string> NumbersOf(IReadOnlyList<string> rcptTo) =>
        rcptTo.Select(r => Mm4Address.TryParse(r, out var a) && a.Kind == Mm4AddressKind.Plmn ? a.Value : r).ToArray();

    public static string ResText(Mm4ForwardResponse response) =>
        ResPrefix + response.RequestStatus.Text + (string.IsNullOrWhiteSpace(response.StatusText) ? string.Empty : "|" + response.StatusText);

    /// <summary>The SIP answer of a recorded definitive outcome; null while the outcome is not known.</summary>
    public static SipAnswer? AnswerOf(WorkItem item, InterworkOptions options)
    {
        var full = item.StatusText ?? string.Empty;
        var at = full.IndexOf(RefusedMarker, StringComparison.Ordinal);
        if (at < 0)
        {
            return MainAnswerOf(item, full, NumbersOf(item.Recipients), options);
        }

        // Partial success at the relay: the accepted recipients' outcome, aggregated with the refusal of the others.
        var refusal = full[(at + RefusedMarker.Length)..];
        var space = refusal.IndexOf(' ', StringComparison.Ordinal);
        var refused = (space < 0 ? refusal : refusal[..space]).Split(',', StringSplitOptions.RemoveEmptyEntries);
        var reply = space < 0 ? "554" : refusal[(space + 1)..];
        var code = reply.Length >= 3 && int.TryParse(reply.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : 554;
        var accepted = NumbersOf(item.Recipients).Except(refused, StringComparer.Ordinal).ToArray();
        var main = MainAnswerOf(item, full[..at], accepted, options);
        if (main is null)
        {
            return null;
        }

        var refusedAnswer = ForwardOutcomes.ForTransport(Mm4TransportFailure.SmtpPermanent, refused, options, code, reply.Length > 4 ? reply[4..] : null);
        return ForwardOutcomes.Aggregate([new ForwardOutcome(main, accepted), new ForwardOutcome(refusedAnswer, refused)], options.WarnAgent);
    }

    private static SipAnswer? MainAnswerOf(WorkItem item, string text, IReadOnlyList<string> numbers, InterworkOptions options)
    {
        if (text.StartsWith(ResPrefix, StringComparison.Ordinal))
        {
            var body = text[ResPrefix.Length..];
            var bar = body.IndexOf('|', StringComparison.Ordinal);
            var token = bar < 0 ? body : body[..bar];
            var statusText = bar < 0 ? null : body[(bar + 1)..];
            return ForwardOutcomes.ToSip(Mm4RequestStatus.Parse(token), statusText, options.WarnAgent, options.RetryAfter);
        }

        if (text.StartsWith(SmtpPrefix, StringComparison.Ordinal))
        {
            var reply = text[SmtpPrefix.Length..];
            var code = reply.Length >= 3 && int.TryParse(reply.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : 554;
            return ForwardOutcomes.ForTransport(Mm4TransportFailure.SmtpPermanent, numbers, options, code, reply.Length > 4 ? reply[4..] : null);
        }

        if (text.StartsWith(TransientPrefix, StringComparison.Ordinal))
        {
            return ForwardOutcomes.ForTransport(Mm4TransportFailure.RelayUnreachable, numbers, options);
        }

        if (text.StartsWith(NoRoutePrefix, StringComparison.Ordinal))
        {
            return ForwardOutcomes.ForTransport(Mm4TransportFailure.NoRoute, numbers, options);
        }

        if (item.State == WorkState.Expired)
        {
            return ForwardOutcomes.NoResponse(options);
        }

        return null;
    }

    /// <summary>Transient failures: a repeat of the MESSAGE may try again with a new generation of items.</summary>
    public static bool IsRetryableFailure(WorkItem item) =>
        item.State == WorkState.Failed && (item.StatusText?.StartsWith(TransientPrefix, StringComparison.Ordinal) ?? false);
}

/// <summary>The SIP keys of the MESSAGE that caused a forward.</summary>
internal readonly record struct SipRequestKeys(string CallId, long CSeq);

/// <summary>
/// Wakes whoever waits for a forward's outcome (the SIP transaction that sent it, or a repeat of that MESSAGE) when the
/// MM4_forward.RES arrives or the send fails. Keyed by X-Mms-Transaction-ID. The store stays the source of truth: a waiter
/// registers, then re-reads the store, so an outcome recorded in between is not missed.
/// </summary>
public sealed class ForwardOutcomeRegistry
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<SipAnswer>> _waiting = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WorkItem> _latest = new(StringComparer.Ordinal);

    /// <summary>
    /// The last stored snapshot of a forward someone waits for, so the RES handler can update it without a lookup. Only
    /// a hint: a stale version makes the store answer Conflict with the current row.
    /// </summary>
    public WorkItem? Latest(string transactionId) => _latest.TryGetValue(transactionId, out var item) ? item : null;

    public void Remember(WorkItem item)
    {
        if (item.Mm4TransactionId is not { } tx)
        {
            return;
        }

        if (item.IsTerminal || !_waiting.ContainsKey(tx))
        {
            _latest.TryRemove(tx, out _);
        }
        else
        {
            _latest[tx] = item;
        }
    }

    public int Count => _waiting.Count;

    public int SnapshotCount => _latest.Count;

    public Task<SipAnswer> Watch(string transactionId) =>
        _waiting.GetOrAdd(transactionId, static _ => new TaskCompletionSource<SipAnswer>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>True when someone was waiting (the outcome is on time for a SIP transaction).</summary>
    public bool Complete(string transactionId, SipAnswer answer)
    {
        _latest.TryRemove(transactionId, out _);
        if (_waiting.TryRemove(transactionId, out var tcs))
        {
            return tcs.TrySetResult(answer);
        }

        return false;
    }

    public bool IsWatched(string transactionId) => _waiting.ContainsKey(transactionId);

    /// <summary>The wait ended without an outcome: nobody needs waking any more (a late outcome goes to the store only).</summary>
    public void Forget(string transactionId)
    {
        _waiting.TryRemove(transactionId, out _);
        _latest.TryRemove(transactionId, out _);
    }
}

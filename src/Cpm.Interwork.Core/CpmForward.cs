using Cpm.Interwork.Mime.Cpim;
using Cpm.Interwork.Mime.Imdn;
using Cpm.Interwork.Mm4;

namespace Cpm.Interwork.Core;

/// <summary>How a recipient was addressed (RFC 5365 copyControl; the Request-URI recipient is To).</summary>
public enum RecipientRole
{
    To = 0,
    Cc,
    /// <summary>Blind copy: in RCPT TO only, never in To/Cc headers.</summary>
    Bcc,
}

/// <summary>One recipient of a CPM message: its E.164 number, the URI it was addressed with and its role.</summary>
public sealed record CpmRecipient(string E164, string Uri, RecipientRole Role)
{
    /// <summary><c>+E164/TYPE=PLMN</c>.</summary>
    public Mm4Address Address => Mm4Address.Plmn(E164);
}

/// <summary>The CPM keys the store keeps to correlate retransmissions, repeats and reports with a forward.</summary>
public sealed record CpmCorrelation(string CallId, string? ImdnMessageId, string SenderUri, string SenderE164);

/// <summary>
/// A CPM MESSAGE translated into MM terms (Table 1), before routing: one per MESSAGE. <see cref="Mm4ForwardSplitter"/>
/// turns it into one MM4_forward.REQ per receiving MMSE.
/// </summary>
public sealed record CpmForward
{
    public required CpmCorrelation Correlation { get; init; }

    /// <summary>X-Mms-Message-ID (and RFC 5322 Message-ID) assigned by the gateway; the same on every split REQ.</summary>
    public required string Mm4MessageId { get; init; }

    /// <summary>From: <c>+E164/TYPE=PLMN</c> of the sender (also when hidden: the MMSE hides it, Sender-Visibility Hide).</summary>
    public required Mm4Address Sender { get; init; }

    public required IReadOnlyList<CpmRecipient> Recipients { get; init; }

    public required Mm4Content Content { get; init; }

    /// <summary>Date: SIP Date, else CPIM DateTime, else the gateway's clock.</summary>
    public required DateTimeOffset Date { get; init; }

    /// <summary>X-Mms-Expiry (absolute), or null to omit.</summary>
    public DateTimeOffset? Expiry { get; init; }

    /// <summary>The dispositions the CPM sender asked for (imdn.Disposition-Notification); kept for the report path.</summary>
    public DispositionNotification RequestedNotifications { get; init; }

    /// <summary>X-Mms-Delivery-Report: Yes when positive- or negative-delivery was requested.</summary>
    public bool DeliveryReport => (RequestedNotifications & (DispositionNotification.PositiveDelivery | DispositionNotification.NegativeDelivery)) != 0;

    /// <summary>X-Mms-Read-Reply: Yes when display was requested.</summary>
    public bool ReadReply => RequestedNotifications.HasFlag(DispositionNotification.Display);

    public Priority? Priority { get; init; }

    /// <summary>Hide when the sender is anonymous; null (header omitted) otherwise (Table 1: set only if anonymous).</summary>
    public SenderVisibility? SenderVisibility { get; init; }

    public string? Subject { get; init; }

    /// <summary>X-Mms-Forward-Counter = InitialMaxForwards − Max-Forwards (≥ 0), null when Max-Forwards is absent.</summary>
    public int? ForwardCounter { get; init; }
}

/// <summary>An IMDN (RFC 5438) a CPM user sent about a message that came from MMS: to become an MM4 report.</summary>
public sealed record CpmNotificationReceived(ImdnDocument Imdn, CpmCorrelation Correlation, string? RecipientE164);

/// <summary>Every reason a CPM MESSAGE cannot become an MM4_forward.REQ.</summary>
public enum CpmMappingError
{
    None = 0,
    /// <summary>No usable From (and no trusted P-Asserted-Identity).</summary>
    MissingSender,
    /// <summary>The sender is not an E.164 number (MM4 From must be a PLMN address).</summary>
    SenderNotE164,
    /// <summary>Anonymous From and no trusted P-Asserted-Identity to take the real sender from.</summary>
    AnonymousWithoutIdentity,
    /// <summary>A recipient URI that is not a telephone number (e.g. sip:bob@example.com).</summary>
    NotE164Recipient,
    /// <summary>A recipient that is a local number without '+' (RFC 3966 local number).</summary>
    IncompleteRecipient,
    /// <summary>No recipient at all (empty URI list).</summary>
    NoRecipients,
    TooManyRecipients,
    /// <summary>A Content-Type the gateway cannot carry into MMS.</summary>
    UnsupportedContent,
    EmptyBody,
    MalformedCpim,
    MalformedRecipientList,
    MalformedContent,
}

/// <summary>A mapping failure as data: the reason, a detail for logs and Warning, and the URI at fault when there is one.</summary>
public sealed record CpmMappingFailure(CpmMappingError Error, string Detail, string? Uri = null)
{
    /// <summary>The SIP final response for this failure (the one table: <see cref="CpmMappingErrors.ToSip"/>).</summary>
    public SipAnswer ToSipAnswer(string warnAgent) => CpmMappingErrors.ToSip(this, warnAgent);
}

/// <summary>Map result: a forward (an MM to send), a notification (an IMDN to turn into an MM4 report), or a failure.</summary>
public sealed record CpmMappingResult
{
    private CpmMappingResult() { }
    public CpmForward? Forward { get; private init; }
    public CpmNotificationReceived? Notification { get; private init; }
    public CpmMappingFailure? Failure { get; private init; }
    public bool IsSuccess => Failure is null;

    public static CpmMappingResult Ok(CpmForward forward) => new() { Forward = forward };
    public static CpmMappingResult Ok(CpmNotificationReceived notification) => new() { Notification = notification };
    public static CpmMappingResult Fail(CpmMappingError error, string detail, string? uri = null) => new() { Failure = new CpmMappingFailure(error, detail, uri) };
}

/// <summary>The one table from <see cref="CpmMappingError"/> to the SIP final response.</summary>
public static class CpmMappingErrors
{
    /// <summary>Types the gateway accepts in a MESSAGE body (for the Accept header of a 415).</summary>
    public const string AcceptedTypes = "message/cpim, text/plain, text/*, multipart/mixed";

    public static (int StatusCode, string ReasonPhrase) ToStatus(CpmMappingError error) => error switch
    {
        CpmMappingError.MissingSender => (400, "Bad Request"),
        CpmMappingError.SenderNotE164 => (403, "Forbidden"),
        CpmMappingError.AnonymousWithoutIdentity => (403, "Forbidden"),
        CpmMappingError.NotE164Recipient => (404, "Not Found"),
        CpmMappingError.IncompleteRecipient => (484, "Address Incomplete"),
        CpmMappingError.NoRecipients => (400, "Bad Request"),
        CpmMappingError.TooManyRecipients => (403, "Forbidden"),
        CpmMappingError.UnsupportedContent => (415, "Unsupported Media Type"),
        CpmMappingError.EmptyBody => (400, "Bad Request"),
        CpmMappingError.MalformedCpim => (400, "Bad Request"),
        CpmMappingError.MalformedRecipientList => (400, "Bad Request"),
        CpmMappingError.MalformedContent => (400, "Bad Request"),
        _ => (500, "Server Internal Error"),
    };

    public static SipAnswer ToSip(CpmMappingFailure failure, string warnAgent)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var (code, reason) = ToStatus(failure.Error);
        return new SipAnswer(code, reason)
        {
            Warnings = [SipAnswer.FormatWarning(warnAgent, failure.Detail)],
            Accept = failure.Error == CpmMappingError.UnsupportedContent ? AcceptedTypes : null,
        };
    }
}

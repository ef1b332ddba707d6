using Cpm.Interwork.Mm4;

namespace Cpm.Interwork.Core;

/// <summary>What one SIP delivery attempt towards a CPM user means for the MMS side.</summary>
public enum DeliveryOutcomeKind
{
    /// <summary>Definitive delivery (200 OK: the client has the message, per the OMA liaison).</summary>
    Delivered,
    /// <summary>Accepted by a store-and-forward element (202): not yet delivered.</summary>
    Accepted,
    /// <summary>Definitive failure: no retry.</summary>
    Failed,
    /// <summary>Worth another attempt (408, 480, 486, 5xx, Timer F).</summary>
    Retry,
}

/// <summary>
/// One row of the SIP outcome → MM4 table: the MM4_forward.RES status and the MM4_delivery_report X-Mms-MM-Status-Code
/// (for <see cref="DeliveryOutcomeKind.Retry"/>: the ones used when retries are exhausted or the expiry passed).
/// </summary>
public sealed record DeliveryOutcome(DeliveryOutcomeKind Kind, Mm4RequestStatus RequestStatus, Mm4MmStatus? MmStatus, string StatusText, TimeSpan? RetryAfter = null)
{
    public bool IsDefinitive => Kind != DeliveryOutcomeKind.Retry;
}

/// <summary>SIP final status of a delivery towards a CPM user → MM4 (issue 5 item 4; docs/mapping.md).</summary>
public static class DeliveryOutcomes
{
    /// <summary>The status text when SIP retries end without a definitive answer.</summary>
    public const string ExhaustedText = "CPM user not reachable; delivery attempts exhausted";

    /// <summary>
    /// Classifies a final response (<paramref name="statusCode"/>) or its absence (null: Timer F fired or the transport
    /// failed). <paramref name="retryAfter"/> is the response's Retry-After when it had one.
    /// </summary>
    public static DeliveryOutcome Classify(int? statusCode, string? reasonPhrase = null, TimeSpan? retryAfter = null)
    {
        var text = statusCode is { } c ? $"SIP {c} {reasonPhrase}".TrimEnd() : "SIP timeout (Timer F)";
        Mm4RequestStatus S(RequestStatusCode code) => Mm4RequestStatus.From(code);
        Mm4MmStatus M(MmStatusCode code) => Mm4MmStatus.From(code);
        return statusCode switch
        {
            null => new(DeliveryOutcomeKind.Retry, S(RequestStatusCode.ErrorNetworkProblem), M(MmStatusCode.Expired), text),
            202 => new(DeliveryOutcomeKind.Accepted, S(RequestStatusCode.Ok), M(MmStatusCode.Forwarded), text),
            >= 200 and < 300 => new(DeliveryOutcomeKind.Delivered, S(RequestStatusCode.Ok), M(MmStatusCode.Retrieved), text),
            404 or 604 => new(DeliveryOutcomeKind.Failed, S(RequestStatusCode.ErrorSendingAddressUnresolved), M(MmStatusCode.Rejected), text),
            403 or 603 or 401 or 407 => new(DeliveryOutcomeKind.Failed, S(RequestStatusCode.ErrorServiceDenied), M(MmStatusCode.Rejected), text),
            415 or 488 or 413 or 606 => new(DeliveryOutcomeKind.Failed, S(RequestStatusCode.ErrorContentNotAccepted), M(MmStatusCode.Rejected), text),
            408 or 480 or 486 or 600 => new(DeliveryOutcomeKind.Retry, S(RequestStatusCode.ErrorNetworkProblem), M(MmStatusCode.Expired), text, retryAfter),
            >= 500 and < 600 => new(DeliveryOutcomeKind.Retry, S(RequestStatusCode.ErrorNetworkProblem), M(MmStatusCode.Expired), text, retryAfter),
            _ => new(DeliveryOutcomeKind.Failed, S(RequestStatusCode.ErrorUnspecified), M(MmStatusCode.Rejected), text),
        };
    }

    /// <summary>The outcome once retries are exhausted or X-Mms-Expiry passed: Error-network-problem / Expired.</summary>
    public static DeliveryOutcome Exhausted(DeliveryOutcome last)
    {
        ArgumentNullException.ThrowIfNull(last);
        return new(DeliveryOutcomeKind.Failed, Mm4RequestStatus.From(RequestStatusCode.ErrorNetworkProblem), Mm4MmStatus.From(MmStatusCode.Expired), ExhaustedText + " (last: " + last.StatusText + ")");
    }

    /// <summary>
    /// The retry deadline of a delivery to a CPM user: X-Mms-Expiry (a relative one resolved against the REQ's Date, else
    /// against <paramref name="receivedAt"/>), else <paramref name="receivedAt"/> + Mm4:DefaultExpiry.
    /// </summary>
    public static DateTimeOffset Deadline(Mm4ForwardRequest request, DateTimeOffset receivedAt, Mm4InboundOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        return request.Expiry is { } e ? e.ResolveAgainst(request.Date ?? receivedAt) : receivedAt + options.DefaultExpiry;
    }

    /// <summary>
    /// The MM4_forward.RES status to send: the first attempt's outcome when it was definitive within Mm4:ResponseWait,
    /// else Ok (accepted, delivery pending: the delivery report tells the rest).
    /// </summary>
    public static Mm4RequestStatus ResponseStatus(DeliveryOutcome? firstAttempt) =>
        firstAttempt is { IsDefinitive: true } o ? o.RequestStatus : Mm4RequestStatus.Ok;
}

using Cpm.Interwork.Mm4;

namespace Cpm.Interwork.Core;

/// <summary>Why a forward towards an MMSE could not be handed over (the transport outcomes of issue 4 item 3).</summary>
public enum Mm4TransportFailure
{
    /// <summary>No route: ENUM NXDOMAIN / no NAPTR, no static route.</summary>
    NoRoute = 1,
    /// <summary>DNS unreachable or SERVFAIL.</summary>
    DnsUnavailable,
    /// <summary>No MMSE/relay could be connected to.</summary>
    RelayUnreachable,
    /// <summary>The SMTP peer answered 5xx (at MAIL, RCPT or DATA).</summary>
    SmtpPermanent,
    /// <summary>The SMTP peer answered 4xx.</summary>
    SmtpTransient,
}

/// <summary>Outcome of one forward (one MMSE) as the SIP side sees it, with the recipients it covers.</summary>
public sealed record ForwardOutcome(SipAnswer Answer, IReadOnlyList<string> RecipientsE164);

/// <summary>
/// CPM → MMS outcome tables (PROTOCOLS.md §6, docs/mapping.md): MM4_forward.RES status → SIP final response,
/// transport failures, the no-RES policy, and the aggregation over several MMSEs.
/// </summary>
public static class ForwardOutcomes
{
    /// <summary>The SIP final response for an MM4_forward.RES: status per <see cref="ToSip(Mm4RequestStatus, string?, string, TimeSpan)"/>.</summary>
    public static SipAnswer ToSip(Mm4ForwardResponse response, InterworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(options);
        return ToSip(response.RequestStatus, response.StatusText, options.WarnAgent, options.RetryAfter);
    }

    /// <summary>
    /// The RES → SIP table. X-Mms-Status-Text, when present, goes into <c>Warning: 399 &lt;host&gt; "text"</c>; the reason phrase
    /// stays the standard one. Transient statuses carry Retry-After.
    /// </summary>
    public static SipAnswer ToSip(Mm4RequestStatus status, string? statusText, string warnAgent, TimeSpan retryAfter)
    {
        var (code, reason) = StatusOf(status);
        return new SipAnswer(code, reason)
        {
            Warnings = string.IsNullOrWhiteSpace(statusText) ? [] : [SipAnswer.FormatWarning(warnAgent, statusText)],
            RetryAfter = code == 503 ? retryAfter : null,
        };
    }

    /// <summary>Status code and reason phrase for an X-Mms-Request-Status-Code.</summary>
    public static (int StatusCode, string ReasonPhrase) StatusOf(Mm4RequestStatus status) => status.Code switch
    {
        RequestStatusCode.Ok => (200, "OK"),
        RequestStatusCode.ErrorSendingAddressUnresolved or RequestStatusCode.ErrorPermanentSendingAddressUnresolved => (404, "Not Found"),
        RequestStatusCode.ErrorServiceDenied or RequestStatusCode.ErrorPermanentServiceDenied => (403, "Forbidden"),
        RequestStatusCode.ErrorContentNotAccepted or RequestStatusCode.ErrorPermanentContentNotAccepted
            or RequestStatusCode.ErrorUnsupportedMessage => (415, "Unsupported Media Type"),
        RequestStatusCode.ErrorMessageFormatCorrupt or RequestStatusCode.ErrorPermanentMessageFormatCorrupt => (400, "Bad Request"),
        RequestStatusCode.ErrorPermanentAddressHidingNotSupported => (433, "Anonymity Disallowed"),
        RequestStatusCode.ErrorPermanentReplyChargingLimitationsNotMet or RequestStatusCode.ErrorPermanentReplyChargingRequestNotAccepted
            or RequestStatusCode.ErrorPermanentReplyChargingForwardingDenied or RequestStatusCode.ErrorPermanentReplyChargingNotSupported
            or RequestStatusCode.ErrorPermanentLackOfPrepaid => (403, "Forbidden"),
        _ when status.IsTransient => (503, "Service Unavailable"),
        _ => (500, "Server Internal Error"),
    };

    /// <summary>
    /// A transport failure towards an MMSE. NoRoute → 404 naming the numbers; DNS or relay unreachable → 503 +
    /// Retry-After; SMTP 5xx → 404 (550/551/553: mailbox unknown), 413 (552: too large), 403 (521/530/535/554: refused), else 500;
    /// SMTP 4xx → 503 + Retry-After (only once the retries inside the wait are spent: see <see cref="IsRetryable"/>).
    /// </summary>
    public static SipAnswer ForTransport(Mm4TransportFailure failure, IReadOnlyList<string> recipientsE164, InterworkOptions options, int? smtpCode = null, string? smtpText = null)
    {
        ArgumentNullException.ThrowIfNull(recipientsE164);
        ArgumentNullException.ThrowIfNull(options);
        var who = string.Join(", ", recipientsE164);
        var agent = options.WarnAgent;
        string Smtp() => $"MMSE refused {who}: {smtpCode} {smtpText}".TrimEnd();
        return failure switch
        {
            Mm4TransportFailure.NoRoute => new SipAnswer(404, "Not Found") { Warnings = [SipAnswer.FormatWarning(agent, "No MMS route for " + who)] },
            Mm4TransportFailure.DnsUnavailable => new SipAnswer(503, "Service Unavailable") { RetryAfter = options.RetryAfter, Warnings = [SipAnswer.FormatWarning(agent, "DNS unavailable while routing " + who)] },
            Mm4TransportFailure.RelayUnreachable => new SipAnswer(503, "Service Unavailable") { RetryAfter = options.RetryAfter, Warnings = [SipAnswer.FormatWarning(agent, "MMSE unreachable for " + who)] },
            Mm4TransportFailure.SmtpTransient => new SipAnswer(503, "Service Unavailable") { RetryAfter = options.RetryAfter, Warnings = [SipAnswer.FormatWarning(agent, Smtp())] },
            Mm4TransportFailure.SmtpPermanent => smtpCode switch
            {
                550 or 551 or 553 => new SipAnswer(404, "Not Found") { Warnings = [SipAnswer.FormatWarning(agent, Smtp())] },
                552 => new SipAnswer(413, "Request Entity Too Large") { Warnings = [SipAnswer.FormatWarning(agent, Smtp())] },
                521 or 530 or 535 or 554 => new SipAnswer(403, "Forbidden") { Warnings = [SipAnswer.FormatWarning(agent, Smtp())] },
                _ => new SipAnswer(500, "Server Internal Error") { Warnings = [SipAnswer.FormatWarning(agent, Smtp())] },
            },
            _ => throw new ArgumentOutOfRangeException(nameof(failure)),
        };
    }

    /// <summary>True for the transport failures worth another attempt inside the wait (SMTP 4xx, relay unreachable, DNS unavailable).</summary>
    public static bool IsRetryable(Mm4TransportFailure failure) =>
        failure is Mm4TransportFailure.SmtpTransient or Mm4TransportFailure.RelayUnreachable or Mm4TransportFailure.DnsUnavailable;

    /// <summary>The answer when no MM4_forward.RES arrived within Interwork:ResponseWait (the forward stays pending; its late outcome is recorded).</summary>
    public static SipAnswer NoResponse(InterworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var warn = SipAnswer.FormatWarning(options.WarnAgent, "No MM4_forward.RES within " + ((int)options.ResponseWait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) + " s; delivery pending");
        return options.NoResponsePolicy switch
        {
            NoResponsePolicy.Accepted => new SipAnswer(202, "Accepted") { Warnings = [warn] },
            NoResponsePolicy.RequestTimeout => new SipAnswer(408, "Request Timeout") { Warnings = [warn] },
            NoResponsePolicy.ServerTimeout => new SipAnswer(504, "Server Time-out") { Warnings = [warn] },
            NoResponsePolicy.ServerError => new SipAnswer(500, "Server Internal Error") { Warnings = [warn] },
            NoResponsePolicy.ServiceUnavailable => new SipAnswer(503, "Service Unavailable") { Warnings = [warn], RetryAfter = options.RetryAfter },
            _ => throw new ArgumentOutOfRangeException(nameof(options)),
        };
    }

    /// <summary>
    /// One SIP answer for a MESSAGE whose recipients were served by several forwards (docs/mapping.md, "Aggregation"):
    /// <list type="bullet">
    /// <item>one outcome: itself;</item>
    /// <item>all 2xx: 200 OK if every one is 200, else 202 Accepted (some delivery still unconfirmed);</item>
    /// <item>some 2xx and some failures: 202 Accepted (RFC 3428 §7: accepted, delivery to every recipient not confirmed), with the
    /// failures' Warnings naming their numbers — 200 would claim a delivery that did not happen, an error would make the client
    /// resend to recipients who already got the message;</item>
    /// <item>all failed: the best failure as a forking proxy picks it (RFC 3261 §16.7 step 6): 6xx first, else the lowest class
    /// (4xx before 5xx), 415/484/433 preferred inside 4xx because the client can act on them, else the first in recipient order;
    /// Retry-After is the largest of the failures'. Warnings of every failure are kept.</item>
    /// </list>
    /// </summary>
    public static SipAnswer Aggregate(IReadOnlyList<ForwardOutcome> outcomes, string warnAgent)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0) { throw new ArgumentException("no outcome to aggregate", nameof(outcomes)); }
        if (outcomes.Count == 1) { return outcomes[0].Answer; }
        var failed = outcomes.Where(o => !o.Answer.IsSuccess).ToList();
        if (failed.Count == 0)
        {
            return outcomes.All(o => o.Answer.StatusCode == 200)
                ? new SipAnswer(200, "OK")
                : new SipAnswer(202, "Accepted") { Warnings = outcomes.SelectMany(o => o.Answer.Warnings).ToArray() };
        }
        var warnings = failed.SelectMany(o => o.Answer.Warnings.Count > 0
            ? o.Answer.Warnings
            : [SipAnswer.FormatWarning(warnAgent, $"{string.Join(", ", o.RecipientsE164)}: {o.Answer}")]).ToArray();
        if (failed.Count < outcomes.Count)
        {
            var partial = failed.Select(o => SipAnswer.FormatWarning(warnAgent, $"not delivered to {string.Join(", ", o.RecipientsE164)}: {o.Answer}"));
            return new SipAnswer(202, "Accepted") { Warnings = partial.Concat(warnings).ToArray() };
        }
        var best = failed.OrderBy(o => Rank(o.Answer.StatusCode)).First().Answer;
        var retry = failed.Select(o => o.Answer.RetryAfter).Max();
        return best with { Warnings = warnings, RetryAfter = best.StatusCode == 503 || best.RetryAfter is not null ? retry : null };
    }

    private static int Rank(int code) => code switch
    {
        >= 600 => 0,
        415 or 484 or 433 => 1,
        >= 400 and < 500 => 2,
        _ => 3,
    };
}

using System.Collections.Frozen;

namespace Cpm.Interwork.Smtp.Server;

/// <summary>Why the server refused something a client sent. Bad peer input is data: each reason maps
/// to one reply in <see cref="SmtpRejections"/>.</summary>
public enum SmtpRejectionReason
{
    None,
    UnknownCommand,
    LineTooLong,
    SyntaxError,
    InvalidArguments,
    InvalidReversePath,
    InvalidForwardPath,
    UnsupportedParameter,
    BadSequence,
    HelloFirst,
    NoValidRecipients,
    RelayDenied,
    TooManyRecipients,
    DeclaredSizeTooLarge,
    MessageTooLarge,
    TlsNotAvailable,
    TlsAlreadyActive,
    PeerNotAllowed,
    TooManyErrors,
    TooManyConnections,
    Timeout,
    ShuttingDown,
    SinkFailed,
    SinkUnavailable,
}

/// <summary>The one table from rejection reason to SMTP reply (RFC 5321 §4.2, RFC 3463 codes).</summary>
public static class SmtpRejections
{
    private static readonly FrozenDictionary<SmtpRejectionReason, SmtpReply> s_replies = new Dictionary<SmtpRejectionReason, SmtpReply>
    {
        [SmtpRejectionReason.UnknownCommand] = new(500, new(5, 5, 2), "Syntax error, command unrecognized"),
        [SmtpRejectionReason.LineTooLong] = new(500, new(5, 5, 2), "Line too long"),
        [SmtpRejectionReason.SyntaxError] = new(501, new(5, 5, 2), "Syntax error: expected FROM:<path> or TO:<path>"),
        [SmtpRejectionReason.InvalidArguments] = new(501, new(5, 5, 4), "Syntax error in parameters or arguments"),
        [SmtpRejectionReason.InvalidReversePath] = new(501, new(5, 1, 7), "Bad sender address syntax"),
        [SmtpRejectionReason.InvalidForwardPath] = new(501, new(5, 1, 3), "Bad recipient address syntax"),
        [SmtpRejectionReason.UnsupportedParameter] = new(555, new(5, 5, 4), "MAIL FROM/RCPT TO parameters not recognized or not implemented"),
        [SmtpRejectionReason.BadSequence] = new(503, new(5, 5, 1), "Bad sequence of commands"),
        [SmtpRejectionReason.HelloFirst] = new(503, new(5, 5, 1), "Bad sequence of commands: send EHLO or HELO first"),
        [SmtpRejectionReason.NoValidRecipients] = new(554, new(5, 5, 1), "No valid recipients"),
        [SmtpRejectionReason.RelayDenied] = new(550, new(5, 7, 1), "Relay denied: not a local MMSE domain"),
        [SmtpRejectionReason.TooManyRecipients] = new(452, new(4, 5, 3), "Too many recipients"),
        [SmtpRejectionReason.DeclaredSizeTooLarge] = new(552, new(5, 3, 4), "Message size exceeds fixed maximum message size"),
        [SmtpRejectionReason.MessageTooLarge] = new(552, new(5, 3, 4), "Message size exceeds fixed maximum message size"),
        [SmtpRejectionReason.TlsNotAvailable] = new(502, new(5, 5, 1), "STARTTLS not available"),
        [SmtpRejectionReason.TlsAlreadyActive] = new(503, new(5, 5, 1), "TLS already active"),
        [SmtpRejectionReason.PeerNotAllowed] = new(554, new(5, 7, 1), "Access denied: your network is not an allowed MM4 peer"),
        [SmtpRejectionReason.TooManyErrors] = new(421, new(4, 7, 0), "Too many errors, closing connection"),
        [SmtpRejectionReason.TooManyConnections] = new(421, new(4, 7, 0), "Too many connections, try again later"),
        [SmtpRejectionReason.Timeout] = new(421, new(4, 4, 2), "Timeout, closing connection"),
        [SmtpRejectionReason.ShuttingDown] = new(421, new(4, 3, 2), "Service shutting down, closing connection"),
        [SmtpRejectionReason.SinkFailed] = new(451, new(4, 3, 0), "Local error in processing, message not accepted"),
        [SmtpRejectionReason.SinkUnavailable] = new(451, new(4, 3, 0), "Message store gave no valid answer, message not accepted"),
    }.ToFrozenDictionary();

    public static SmtpReply ToReply(SmtpRejectionReason reason) =>
        s_replies.TryGetValue(reason, out var reply) ? reply : throw new ArgumentOutOfRangeException(nameof(reason), reason, "No reply for this reason.");

    /// <summary>Reasons that count toward <see cref="SmtpServerOptions.MaxErrors"/> (the client's mistakes).</summary>
    public static bool CountsAsError(SmtpRejectionReason reason) => reason is
        SmtpRejectionReason.UnknownCommand or SmtpRejectionReason.LineTooLong or SmtpRejectionReason.SyntaxError or
        SmtpRejectionReason.InvalidArguments or SmtpRejectionReason.InvalidReversePath or SmtpRejectionReason.InvalidForwardPath or
        SmtpRejectionReason.UnsupportedParameter or SmtpRejectionReason.BadSequence or SmtpRejectionReason.HelloFirst or
        SmtpRejectionReason.NoValidRecipients or SmtpRejectionReason.RelayDenied or SmtpRejectionReason.TlsNotAvailable or
        SmtpRejectionReason.TlsAlreadyActive;
}

/// <summary>Session states of RFC 5321 §3.3 / §4.1.4.</summary>
public enum SmtpSessionState
{
    /// <summary>Greeted; waiting for EHLO/HELO.</summary>
    Connected,

    /// <summary>After EHLO/HELO, RSET or a finished transaction: MAIL may start one.</summary>
    Ready,

    /// <summary>MAIL accepted, no RCPT accepted yet.</summary>
    MailFrom,

    /// <summary>At least one RCPT accepted: DATA may follow.</summary>
    RcptTo,
}

/// <summary>The commands allowed in each state, as data (after cosullivan/SmtpServer's
/// SmtpStateTable). A command outside its state's set is 503 (or "EHLO first" / "no valid
/// recipients" where that says more).</summary>
public static class SmtpStateTable
{
    private static readonly SmtpVerb[] s_always = [SmtpVerb.Ehlo, SmtpVerb.Helo, SmtpVerb.Noop, SmtpVerb.Rset, SmtpVerb.Quit, SmtpVerb.Vrfy, SmtpVerb.Help];

    private static readonly FrozenDictionary<SmtpSessionState, FrozenSet<SmtpVerb>> s_table = new Dictionary<SmtpSessionState, FrozenSet<SmtpVerb>>
    {
        [SmtpSessionState.Connected] = s_always.ToFrozenSet(),
        [SmtpSessionState.Ready] = s_always.Append(SmtpVerb.Mail).Append(SmtpVerb.StartTls).ToFrozenSet(),
        [SmtpSessionState.MailFrom] = s_always.Append(SmtpVerb.Rcpt).ToFrozenSet(),
        [SmtpSessionState.RcptTo] = s_always.Append(SmtpVerb.Rcpt).Append(SmtpVerb.Data).ToFrozenSet(),
    }.ToFrozenDictionary();

    public static bool IsAllowed(SmtpSessionState state, SmtpVerb verb) => s_table[state].Contains(verb);

    public static IReadOnlySet<SmtpVerb> Allowed(SmtpSessionState state) => s_table[state];

    /// <summary>The rejection for a verb not allowed in a state.</summary>
    public static SmtpRejectionReason Refusal(SmtpSessionState state, SmtpVerb verb) => (state, verb) switch
    {
        (SmtpSessionState.Connected, SmtpVerb.Mail or SmtpVerb.StartTls) => SmtpRejectionReason.HelloFirst,
        (SmtpSessionState.MailFrom, SmtpVerb.Data) => SmtpRejectionReason.NoValidRecipients,
        _ => SmtpRejectionReason.BadSequence,
    };
}

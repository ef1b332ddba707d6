using System.Globalization;

namespace Cpm.Interwork.Smtp.Client;

/// <summary>Whether the client upgrades a connection with STARTTLS (RFC 3207).</summary>
public enum SmtpTlsPolicy
{
    /// <summary>Never send STARTTLS.</summary>
    Off,

    /// <summary>STARTTLS when the server offers it (RFC 7435 opportunistic security: the certificate
    /// is not validated); plain text when it does not.</summary>
    Opportunistic,

    /// <summary>STARTTLS or no mail: a server that does not offer it, refuses it, or whose certificate
    /// fails validation (when <see cref="SmtpClientOptions.ValidateServerCertificate"/>) is a
    /// <see cref="SmtpSendResultKind.ConnectFailure"/>.</summary>
    Required,
}

/// <summary>A relay to send to. <see cref="Tls"/> null means the policy from
/// <see cref="SmtpClientOptions.TlsPolicies"/> for <see cref="Host"/>, else
/// <see cref="SmtpClientOptions.DefaultTlsPolicy"/>. Equal endpoints share a pool.</summary>
public sealed record SmtpEndpoint(string Host, int Port = 25, SmtpTlsPolicy? Tls = null)
{
    /// <summary>Parses <c>host:port</c>, <c>[v6]:port</c> or a bare host (port 25).</summary>
    public static bool TryParse(string? text, out SmtpEndpoint endpoint)
    {
        endpoint = null!;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        string host;
        var port = 25;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0) return false;
            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0 && (rest[0] != ':' || !TryPort(rest[1..], out port))) return false;
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon >= 0 && text.IndexOf(':', StringComparison.Ordinal) != colon) { host = text; }
            else if (colon >= 0) { host = text[..colon]; if (!TryPort(text[(colon + 1)..], out port)) return false; }
            else host = text;
        }

        if (host.Length == 0) return false;
        endpoint = new SmtpEndpoint(host, port);
        return true;
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}");
}

/// <summary>The SMTP envelope: the reverse-path (empty for the null sender <c>&lt;&gt;</c>) and the
/// forward-paths, as <c>local-part@domain</c> without angle brackets.</summary>
public sealed record SmtpEnvelope(string MailFrom, IReadOnlyList<string> Recipients)
{
    public SmtpEnvelope(string mailFrom, params string[] recipients) : this(mailFrom, (IReadOnlyList<string>)recipients) { }
}

public enum SmtpSendResultKind
{
    /// <summary>The server took responsibility for the message for every recipient.</summary>
    Sent,

    /// <summary>The message was accepted for some recipients; see <see cref="SmtpSendResult.Recipients"/>.</summary>
    PartiallySent,

    /// <summary>Not sent; a retry later may succeed (4yz replies, a broken connection, a timeout).</summary>
    TransientFailure,

    /// <summary>Not sent and retrying will not help (5yz replies, a message the peer cannot take).</summary>
    PermanentFailure,

    /// <summary>No usable session: connect, greeting, EHLO/HELO or required STARTTLS failed.</summary>
    ConnectFailure,
}

/// <summary>What the server answered to one RCPT TO.</summary>
public sealed record SmtpRecipientResult(string Recipient, SmtpReply Reply)
{
    public bool Accepted => Reply.IsPositiveCompletion;
}

/// <summary>The outcome of one send. <see cref="FinalReply"/> is the reply that decided it (the reply
/// to the end of data when the data was sent, else the refusing reply; a reply synthesized by the
/// client when <see cref="IsLocal"/>). <see cref="Error"/> describes local and connection failures.</summary>
public sealed class SmtpSendResult
{
    public SmtpSendResult(SmtpSendResultKind kind, IReadOnlyList<SmtpRecipientResult> recipients, SmtpReply? finalReply, string? error = null, bool isLocal = false)
    {
        Kind = kind;
        Recipients = recipients ?? [];
        FinalReply = finalReply;
        Error = error;
        IsLocal = isLocal;
    }

    public SmtpSendResultKind Kind { get; }

    public IReadOnlyList<SmtpRecipientResult> Recipients { get; }

    /// <summary>Recipients the message was delivered to (RCPT accepted and the data accepted).</summary>
    public IReadOnlyList<string> AcceptedRecipients =>
        Kind is SmtpSendResultKind.Sent or SmtpSendResultKind.PartiallySent
            ? [.. Recipients.Where(r => r.Accepted).Select(r => r.Recipient)]
            : [];

    public SmtpReply? FinalReply { get; }

    public string? Error { get; }

    /// <summary>True when the client refused before sending (e.g. over the peer's SIZE, 8-bit data
    /// without 8BITMIME, a bare LF).</summary>
    public bool IsLocal { get; }

    /// <summary>The connect failed in the TLS handshake after STARTTLS.</summary>
    internal bool IsTlsFailure { get; init; }

    public bool IsSuccess => Kind is SmtpSendResultKind.Sent or SmtpSendResultKind.PartiallySent;

    public override string ToString() => $"{Kind}: {FinalReply?.ToString() ?? Error}";
}

/// <summary>What a server announced in its EHLO reply (RFC 5321 §4.1.1.1).</summary>
public sealed record SmtpServerCapabilities(bool Esmtp, bool Pipelining, bool EightBitMime, bool StartTls, bool EnhancedStatusCodes, long? MaxSize)
{
    public static readonly SmtpServerCapabilities Helo = new(false, false, false, false, false, null);

    /// <summary>Reads the ehlo-lines after the greeting line; unknown keywords are ignored.</summary>
    public static SmtpServerCapabilities FromEhlo(SmtpReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        bool pipelining = false, eightBit = false, startTls = false, enhanced = false;
        long? size = null;
        foreach (var line in reply.Lines.Skip(1))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0) continue;
            switch (parts[0].ToUpperInvariant())
            {
                case "PIPELINING": pipelining = true; break;
                case "8BITMIME": eightBit = true; break;
                case "STARTTLS": startTls = true; break;
                case "ENHANCEDSTATUSCODES": enhanced = true; break;
                case "SIZE":
                    // RFC 1870 §4: "SIZE" alone or "SIZE 0" declares no fixed limit.
                    if (parts.Length > 1 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0) size = n;
                    else size ??= 0;
                    break;
            }
        }

        return new SmtpServerCapabilities(true, pipelining, eightBit, startTls, enhanced, size);
    }
}

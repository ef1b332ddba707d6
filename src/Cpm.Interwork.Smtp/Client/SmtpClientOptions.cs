using System.Net.Security;

namespace Cpm.Interwork.Smtp.Client;

/// <summary>Client and pool settings, bound from <c>Smtp:Client</c>. Timeouts default to RFC 5321
/// §4.5.3.2.</summary>
public sealed class SmtpClientOptions
{
    public const string Section = "Smtp:Client";

    /// <summary>The name sent in EHLO/HELO: a FQDN or an address literal (<c>Smtp:Client:HeloName</c>).</summary>
    public string HeloName { get; set; } = "localhost";

    /// <summary>TLS policy for endpoints without one and without an entry in <see cref="TlsPolicies"/>.</summary>
    public SmtpTlsPolicy DefaultTlsPolicy { get; set; } = SmtpTlsPolicy.Opportunistic;

    /// <summary>Per relay host (case-insensitive) TLS policy (<c>Smtp:Client:TlsPolicies:HOST</c>).</summary>
    public Dictionary<string, SmtpTlsPolicy> TlsPolicies { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Validate the server certificate under <see cref="SmtpTlsPolicy.Required"/>.</summary>
    public bool ValidateServerCertificate { get; set; } = true;

    /// <summary>Replaces the platform's validation under <see cref="SmtpTlsPolicy.Required"/> when set (code only).</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>RFC 5321 §4.5.3.2.1: initial 220 message, 5 minutes (also used for EHLO, STARTTLS, RSET).</summary>
    public TimeSpan GreetingTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>RFC 5321 §4.5.3.2.2: MAIL, 5 minutes.</summary>
    public TimeSpan MailTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>RFC 5321 §4.5.3.2.3: RCPT, 5 minutes.</summary>
    public TimeSpan RcptTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>RFC 5321 §4.5.3.2.4: DATA initiation, 2 minutes.</summary>
    public TimeSpan DataInitiationTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>RFC 5321 §4.5.3.2.5: each data block write, 3 minutes.</summary>
    public TimeSpan DataBlockTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>RFC 5321 §4.5.3.2.6: DATA termination, 10 minutes.</summary>
    public TimeSpan DataTerminationTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Open connections per endpoint, in use or idle.</summary>
    public int MaxConnectionsPerEndpoint { get; set; } = 4;

    /// <summary>An idle pooled connection is closed (QUIT) after this long.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A connection is closed after this many transactions (0 = no limit).</summary>
    public int MaxMessagesPerConnection { get; set; } = 1000;

    /// <summary>Longest reply line accepted, CRLF included (RFC 5321 says 512; servers exceed it).</summary>
    public int MaxReplyLineLength { get; set; } = 2048;

    /// <summary>Every problem as <c>Smtp:Client:Key = 'value' reason</c>; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(HeloName) || HeloName.Any(c => c <= ' ' || c > '~'))
            errors.Add($"{Section}:HeloName = '{HeloName}' must be a domain name or address literal without spaces.");
        foreach (var (name, value) in Timeouts())
        {
            if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
                errors.Add($"{Section}:{name} = '{value}' must be positive.");
        }

        if (MaxConnectionsPerEndpoint < 1) errors.Add($"{Section}:MaxConnectionsPerEndpoint = '{MaxConnectionsPerEndpoint}' must be at least 1.");
        if (MaxMessagesPerConnection < 0) errors.Add($"{Section}:MaxMessagesPerConnection = '{MaxMessagesPerConnection}' must be 0 (no limit) or more.");
        if (MaxReplyLineLength < 512) errors.Add($"{Section}:MaxReplyLineLength = '{MaxReplyLineLength}' must be at least 512 (RFC 5321 §4.5.3.1.5).");
        foreach (var (host, policy) in TlsPolicies)
        {
            if (!Enum.IsDefined(policy)) errors.Add($"{Section}:TlsPolicies:{host} = '{policy}' is not Off, Opportunistic or Required.");
        }

        if (!Enum.IsDefined(DefaultTlsPolicy)) errors.Add($"{Section}:DefaultTlsPolicy = '{DefaultTlsPolicy}' is not Off, Opportunistic or Required.");
        return errors;
    }

    private IEnumerable<(string, TimeSpan)> Timeouts() =>
    [
        (nameof(ConnectTimeout), ConnectTimeout), (nameof(GreetingTimeout), GreetingTimeout), (nameof(MailTimeout), MailTimeout),
        (nameof(RcptTimeout), RcptTimeout), (nameof(DataInitiationTimeout), DataInitiationTimeout), (nameof(DataBlockTimeout), DataBlockTimeout),
        (nameof(DataTerminationTimeout), DataTerminationTimeout), (nameof(IdleTimeout), IdleTimeout),
    ];

    internal SmtpTlsPolicy PolicyFor(SmtpEndpoint endpoint) =>
        endpoint.Tls ?? (TlsPolicies.TryGetValue(endpoint.Host, out var p) ? p : DefaultTlsPolicy);
}

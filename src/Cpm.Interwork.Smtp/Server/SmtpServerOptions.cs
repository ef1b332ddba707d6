using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Cpm.Interwork.Smtp.Server;

/// <summary>Server settings, bound by the host from <c>Smtp</c> (and <see cref="LocalDomains"/> from
/// <c>Mm4:Domains</c>). Limits and timeouts default to RFC 5321 §4.5.3.</summary>
public sealed class SmtpServerOptions
{
    public const string Section = "Smtp";
    public const string DomainsKey = "Mm4:Domains";

    /// <summary><c>Smtp:Listen</c>: <c>ADDRESS:PORT</c> entries (IPv6 as <c>[ADDRESS]:PORT</c>).</summary>
    public List<string> Listen { get; set; } = ["127.0.0.1:2525"];

    /// <summary><c>Smtp:AllowedPeers</c>: CIDR entries (a bare address is one host); others get 554 at connect.</summary>
    public List<string> AllowedPeers { get; set; } = ["127.0.0.0/8", "::1/128"];

    /// <summary><c>Mm4:Domains</c>: the gateway's own MMSE domains; RCPT for any other domain is 550 5.7.1.</summary>
    public List<string> LocalDomains { get; set; } = [];

    /// <summary><c>Smtp:ServerName</c>: the name in the greeting and the EHLO reply.</summary>
    public string ServerName { get; set; } = "localhost";

    /// <summary><c>Smtp:MaxMessageSize</c>: bytes after un-stuffing; advertised as SIZE; 552 above it.</summary>
    public long MaxMessageSize { get; set; } = 10 * 1024 * 1024;

    /// <summary><c>Smtp:MaxRecipients</c>: RCPT commands accepted per transaction (RFC 5321 §4.5.3.1.8: at least 100).</summary>
    public int MaxRecipients { get; set; } = 100;

    /// <summary><c>Smtp:MaxCommandLineLength</c>: bytes including CRLF (RFC 5321 §4.5.3.1.4: 512).</summary>
    public int MaxCommandLineLength { get; set; } = 512;

    /// <summary><c>Smtp:MaxErrors</c>: refused commands in one session before 421 and close.</summary>
    public int MaxErrors { get; set; } = 10;

    /// <summary><c>Smtp:MaxConnections</c>: concurrent sessions; more get 421 at connect.</summary>
    public int MaxConnections { get; set; } = 256;

    /// <summary><c>Smtp:CommandTimeout</c>: wait for the next command (RFC 5321 §4.5.3.2.7: 5 minutes).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary><c>Smtp:DataTimeout</c>: wait for each block of DATA (RFC 5321 §4.5.3.2.5: 3 minutes).</summary>
    public TimeSpan DataTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary><c>Smtp:CertificatePath</c>: PKCS#12 file; when set, STARTTLS is offered.</summary>
    public string? CertificatePath { get; set; }

    /// <summary><c>Smtp:CertificatePassword</c>: password of <see cref="CertificatePath"/>.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>A certificate given in code (with private key); takes precedence over <see cref="CertificatePath"/>.</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>Every problem as <c>Key = 'value' reason</c>; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Listen.Count == 0) errors.Add($"{Section}:Listen must have at least one ADDRESS:PORT entry.");
        for (var i = 0; i < Listen.Count; i++)
        {
            if (!TryParseListen(Listen[i], out _))
                errors.Add($"{Section}:Listen:{i} = '{Listen[i]}' is not ADDRESS:PORT (an IP address and a port 0-65535; IPv6 in brackets).");
        }

        for (var i = 0; i < AllowedPeers.Count; i++)
        {
            if (!TryParseNetwork(AllowedPeers[i], out _))
                errors.Add($"{Section}:AllowedPeers:{i} = '{AllowedPeers[i]}' is not a CIDR (ADDRESS/PREFIX with no host bits set, or one address).");
        }

        if (LocalDomains.Count == 0) errors.Add($"{DomainsKey} must name at least one MMSE domain the gateway accepts mail for.");
        for (var i = 0; i < LocalDomains.Count; i++)
        {
            if (!SmtpCommandParser.IsDomain(LocalDomains[i]))
                errors.Add($"{DomainsKey}:{i} = '{LocalDomains[i]}' is not a domain name (RFC 5321 §4.1.2 Domain).");
        }

        if (string.IsNullOrWhiteSpace(ServerName) || ServerName.Any(c => c <= ' ' || c > '~'))
            errors.Add($"{Section}:ServerName = '{ServerName}' must be a domain name without spaces.");
        if (MaxMessageSize < 1) errors.Add($"{Section}:MaxMessageSize = '{MaxMessageSize}' must be at least 1.");
        if (MaxMessageSize > Array.MaxLength) errors.Add($"{Section}:MaxMessageSize = '{MaxMessageSize}' must be at most {Array.MaxLength}.");
        if (MaxRecipients < 1) errors.Add($"{Section}:MaxRecipients = '{MaxRecipients}' must be at least 1.");
        if (MaxCommandLineLength < 512) errors.Add($"{Section}:MaxCommandLineLength = '{MaxCommandLineLength}' must be at least 512 (RFC 5321 §4.5.3.1.4).");
        if (MaxErrors < 1) errors.Add($"{Section}:MaxErrors = '{MaxErrors}' must be at least 1.");
        if (MaxConnections < 1) errors.Add($"{Section}:MaxConnections = '{MaxConnections}' must be at least 1.");
        if (CommandTimeout <= TimeSpan.Zero) errors.Add($"{Section}:CommandTimeout = '{CommandTimeout}' must be positive.");
        if (DataTimeout <= TimeSpan.Zero) errors.Add($"{Section}:DataTimeout = '{DataTimeout}' must be positive.");
        if (Certificate is null && CertificatePath is not null && !File.Exists(CertificatePath))
            errors.Add($"{Section}:CertificatePath = '{CertificatePath}' does not exist.");
        return errors;
    }

    internal static bool TryParseListen(string? text, out IPEndPoint endPoint)
    {
        endPoint = null!;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        var colon = text.LastIndexOf(':');
        if (colon < 0 || (text.Contains(':', StringComparison.Ordinal) && text.IndexOf(':', StringComparison.Ordinal) != colon && !text.StartsWith('['))) return false;
        return IPEndPoint.TryParse(text, out endPoint!) &&
            int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }

    internal static bool TryParseNetwork(string? text, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        if (!text.Contains('/', StringComparison.Ordinal))
        {
            if (!IPAddress.TryParse(text, out var address)) return false;
            network = new IPNetwork(address, address.GetAddressBytes().Length * 8);
            return true;
        }

        // Host bits set ("10.0.0.1/8") are refused: the operator probably meant something else.
        return IPNetwork.TryParse(text, out network) &&
            IPAddress.TryParse(text.AsSpan(0, text.IndexOf('/', StringComparison.Ordinal)), out var given) &&
            given.Equals(network.BaseAddress);
    }

    internal X509Certificate2? LoadCertificate() =>
        Certificate ?? (CertificatePath is null ? null : X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, CertificatePassword));
}

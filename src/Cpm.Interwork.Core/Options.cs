using System.Globalization;
using Cpm.Interwork.Mm4;

namespace Cpm.Interwork.Core;

/// <summary>What the gateway answers a CPM sender when no MM4_forward.RES arrives within <see cref="InterworkOptions.ResponseWait"/>.</summary>
public enum NoResponsePolicy
{
    /// <summary>202 Accepted: the forward is on its way, its outcome unknown (RFC 3428 §7: accepted, delivery not confirmed).</summary>
    Accepted = 0,
    /// <summary>408 Request Timeout.</summary>
    RequestTimeout,
    /// <summary>504 Server Time-out (the MMSE, a server the gateway depends on, did not answer).</summary>
    ServerTimeout,
    /// <summary>500 Server Internal Error.</summary>
    ServerError,
    /// <summary>503 Service Unavailable with Retry-After.</summary>
    ServiceUnavailable,
}

/// <summary>How a PLMN number is written as a URI towards the IMS core.</summary>
public enum ImsUriForm
{
    /// <summary><c>sip:+E164@&lt;Ims:Domain&gt;;user=phone</c>.</summary>
    Sip = 0,
    /// <summary><c>tel:+E164</c>.</summary>
    Tel,
}

/// <summary>What to do with an MM4_read_reply_report.REQ "Deleted without being read" (IMDN has no such display status).</summary>
public enum DeletedWithoutReadingPolicy
{
    /// <summary>Send nothing to the CPM sender.</summary>
    Drop = 0,
    /// <summary>Send an IMDN display-notification with status &lt;error/&gt;.</summary>
    Error,
}

/// <summary>Section <c>Interwork</c>: the CPM → MMS direction and the gateway's own identity.</summary>
public sealed class InterworkOptions
{
    public const string Section = "Interwork";

    /// <summary>Interwork:GatewayDomains — the gateway's own MMSE domain(s); the first qualifies MAIL FROM, Sender and the Originator-System. Required.</summary>
    public IList<string> GatewayDomains { get; init; } = [];

    /// <summary>Interwork:SystemUser — local part of X-Mms-Originator-System (<c>system-user@&lt;first domain&gt;</c>).</summary>
    public string SystemUser { get; set; } = "system-user";

    /// <summary>Interwork:GatewayHost — the warn-agent of Warning headers; default the first gateway domain.</summary>
    public string? GatewayHost { get; set; }

    /// <summary>Interwork:MmsVersion — X-Mms-3GPP-MMS-Version written (x.y.z).</summary>
    public string MmsVersion { get; set; } = Mm4ForwardRequestBuilder.DefaultMmsVersion;

    /// <summary>Interwork:TrustPAssertedIdentity — take the sender from P-Asserted-Identity (the IMS core is trusted, RFC 3325).</summary>
    public bool TrustPAssertedIdentity { get; set; }

    /// <summary>Interwork:DefaultExpiry — X-Mms-Expiry when the MESSAGE has no Expires (null: omit the header).</summary>
    public TimeSpan? DefaultExpiry { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Interwork:MaxExpiry — an Expires above this is capped.</summary>
    public TimeSpan MaxExpiry { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Interwork:InitialMaxForwards — the Max-Forwards a UA starts with (RFC 3261 §8.1.1.6); Forward-Counter = this − Max-Forwards.</summary>
    public int InitialMaxForwards { get; set; } = 70;

    /// <summary>Interwork:MaxRecipients — most recipients in one MESSAGE (URI list).</summary>
    public int MaxRecipients { get; set; } = 100;

    /// <summary>Interwork:ResponseWait — how long the MESSAGE transaction waits for MM4_forward.RES; below Timer F (32 s).</summary>
    public TimeSpan ResponseWait { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Interwork:NoResponsePolicy — the answer when no RES came within ResponseWait.</summary>
    public NoResponsePolicy NoResponsePolicy { get; set; } = NoResponsePolicy.Accepted;

    /// <summary>Interwork:RetryAfter — Retry-After on 503 answers (transient MM4 errors, DNS/relay unreachable).</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Interwork:SmtpRetry — back-off for SMTP 4xx / unreachable relays inside ResponseWait (deadline = end of the wait).</summary>
    public RetryPolicyOptions SmtpRetry { get; init; } = RetryPolicyOptions.SmtpInsideWait();

    /// <summary>The largest ResponseWait allowed: safely below the client's Timer F (64·T1 = 32 s, RFC 3261 §17.1.2.2).</summary>
    public static readonly TimeSpan MaxResponseWait = TimeSpan.FromSeconds(30);

    public string PrimaryDomain => GatewayDomains.Count > 0 ? GatewayDomains[0] : string.Empty;

    public string WarnAgent => string.IsNullOrWhiteSpace(GatewayHost) ? PrimaryDomain : GatewayHost;

    /// <summary><c>system-user@&lt;first domain&gt;</c>: where MM4_forward.RES and reports come back.</summary>
    public Mm4Address OriginatorSystem => Mm4Address.Email(SystemUser + "@" + PrimaryDomain);

    public IReadOnlyList<string> Validate()
    {
        var e = new List<string>();
        if (GatewayDomains.Count == 0) { e.Add($"{Section}:GatewayDomains: at least one MMSE domain is required"); }
        for (var i = 0; i < GatewayDomains.Count; i++)
        {
            if (!OptionChecks.IsDomain(GatewayDomains[i])) { e.Add($"{Section}:GatewayDomains:{i}: '{GatewayDomains[i]}' is not a domain name"); }
        }
        if (!OptionChecks.IsLocalPart(SystemUser)) { e.Add($"{Section}:SystemUser: '{SystemUser}' is not a mailbox local part"); }
        if (GatewayHost is not null && !OptionChecks.IsDomain(GatewayHost)) { e.Add($"{Section}:GatewayHost: '{GatewayHost}' is not a host name"); }
        if (!OptionChecks.IsVersion(MmsVersion)) { e.Add($"{Section}:MmsVersion: '{MmsVersion}' is not x.y.z"); }
        if (DefaultExpiry is { } d && (d <= TimeSpan.Zero || d > MaxExpiry)) { e.Add($"{Section}:DefaultExpiry: must be > 0 and ≤ {Section}:MaxExpiry"); }
        if (MaxExpiry <= TimeSpan.Zero || MaxExpiry > TimeSpan.FromDays(365)) { e.Add($"{Section}:MaxExpiry: must be > 0 and ≤ 365 days"); }
        if (InitialMaxForwards is < 1 or > 255) { e.Add($"{Section}:InitialMaxForwards: must be 1..255"); }
        if (MaxRecipients is < 1 or > 1000) { e.Add($"{Section}:MaxRecipients: must be 1..1000"); }
        if (ResponseWait <= TimeSpan.Zero || ResponseWait > MaxResponseWait) { e.Add($"{Section}:ResponseWait: must be > 0 and ≤ 30 s (below Timer F, 32 s)"); }
        if (!Enum.IsDefined(NoResponsePolicy)) { e.Add($"{Section}:NoResponsePolicy: unknown value"); }
        if (RetryAfter < TimeSpan.FromSeconds(1) || RetryAfter > TimeSpan.FromDays(1)) { e.Add($"{Section}:RetryAfter: must be 1 s..1 day"); }
        e.AddRange(SmtpRetry.Validate(Section + ":SmtpRetry"));
        return e;
    }
}

/// <summary>Section <c>Cpm</c>: the MMS → CPM direction (content towards CPM users).</summary>
public sealed class CpmOptions
{
    public const string Section = "Cpm";

    /// <summary>Cpm:PagerModeMaxBytes — largest message/cpim body sent in pager mode (RFC 3428 §9: ~1300 bytes unless congestion controlled; RCS uses the same bound). Larger content needs Large Message mode (MSRP, not implemented yet).</summary>
    public int PagerModeMaxBytes { get; set; } = 1300;

    /// <summary>Cpm:DeletedWithoutReading — IMDN sent for MM4 read status "Deleted without being read".</summary>
    public DeletedWithoutReadingPolicy DeletedWithoutReading { get; set; } = DeletedWithoutReadingPolicy.Drop;

    /// <summary>Cpm:TextOnlyMmAsText — send an MM whose only content besides SMIL is one text/plain part as that text/plain (what CPM clients render), instead of the whole multipart.</summary>
    public bool TextOnlyMmAsText { get; set; }

    public const int MaxPagerModeBytes = 1024 * 1024;

    public IReadOnlyList<string> Validate()
    {
        var e = new List<string>();
        if (PagerModeMaxBytes < 256 || PagerModeMaxBytes > MaxPagerModeBytes) { e.Add($"{Section}:PagerModeMaxBytes: must be 256..{MaxPagerModeBytes.ToString(CultureInfo.InvariantCulture)}"); }
        if (!Enum.IsDefined(DeletedWithoutReading)) { e.Add($"{Section}:DeletedWithoutReading: unknown value"); }
        return e;
    }
}

/// <summary>Section <c>Ims</c>: how the gateway addresses CPM users in the IMS core.</summary>
public sealed class ImsOptions
{
    public const string Section = "Ims";

    /// <summary>Ims:Domain — the IMS home domain of CPM users (host of <c>sip:+E164@domain;user=phone</c>). Required.</summary>
    public string Domain { get; set; } = string.Empty;

    /// <summary>Ims:UriForm — Sip or Tel for Request-URI, To and From.</summary>
    public ImsUriForm UriForm { get; set; } = ImsUriForm.Sip;

    /// <summary>Ims:AssertIdentity — add P-Asserted-Identity with the MMS sender (and Privacy: id when hidden); the gateway is in the trust domain.</summary>
    public bool AssertIdentity { get; set; } = true;

    /// <summary>Ims:Retry — back-off for deliveries to CPM users (408, 480, 5xx, Timer F), never past X-Mms-Expiry.</summary>
    public RetryPolicyOptions Retry { get; init; } = RetryPolicyOptions.SipDelivery();

    public IReadOnlyList<string> Validate()
    {
        var e = new List<string>();
        if (!OptionChecks.IsDomain(Domain)) { e.Add($"{Section}:Domain: '{Domain}' is not a domain name (required)"); }
        if (!Enum.IsDefined(UriForm)) { e.Add($"{Section}:UriForm: unknown value"); }
        e.AddRange(Retry.Validate(Section + ":Retry"));
        return e;
    }
}

/// <summary>Section <c>Mm4</c>: the inbound MM4 side of the MMS → CPM direction.</summary>
public sealed class Mm4InboundOptions
{
    public const string Section = "Mm4";

    /// <summary>Mm4:ResponseWait — how long MM4_forward.RES waits for the first SIP outcome before answering Ok (pending).</summary>
    public TimeSpan ResponseWait { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Mm4:DefaultExpiry — delivery attempts stop this long after receipt when the REQ has no X-Mms-Expiry.</summary>
    public TimeSpan DefaultExpiry { get; set; } = TimeSpan.FromDays(3);

    public IReadOnlyList<string> Validate()
    {
        var e = new List<string>();
        if (ResponseWait <= TimeSpan.Zero || ResponseWait > TimeSpan.FromMinutes(10)) { e.Add($"{Section}:ResponseWait: must be > 0 and ≤ 10 min"); }
        if (DefaultExpiry <= TimeSpan.Zero || DefaultExpiry > TimeSpan.FromDays(30)) { e.Add($"{Section}:DefaultExpiry: must be > 0 and ≤ 30 days"); }
        return e;
    }
}

internal static class OptionChecks
{
    public static bool IsDomain(string? s)
    {
        if (string.IsNullOrWhiteSpace(s) || s.Length > 253) { return false; }
        foreach (var label in s.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-') { return false; }
            if (!label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')) { return false; }
        }
        return true;
    }

    public static bool IsLocalPart(string? s) =>
        !string.IsNullOrEmpty(s) && s.Length <= 64 && s.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.".Contains(c, StringComparison.Ordinal));

    public static bool IsVersion(string? s)
    {
        var parts = s?.Split('.');
        return parts is { Length: 3 } && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit));
    }
}

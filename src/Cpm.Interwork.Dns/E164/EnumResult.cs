using Cpm.Interwork.Dns.Client;
using Cpm.Interwork.Dns.Wire;

namespace Cpm.Interwork.Dns.E164;

public enum EnumResultStatus
{
    /// <summary>An E2U+mms:mailto rule gave a mailto: URI; see <see cref="EnumResult.MailtoAddress"/> and <see cref="EnumResult.MailtoDomain"/>.</summary>
    Mailto,
    /// <summary>Only E2U+mms:tel was published: MMS is possible but ENUM names no relay (informational).</summary>
    TelOnly,
    /// <summary>The domain exists but has no usable NAPTR for mms:mailto (NODATA, other services, or rules that do not apply).</summary>
    NoRecord,
    /// <summary>The ENUM domain does not exist (NXDOMAIN).</summary>
    NXDomain,
    /// <summary>DNS could not answer (timeout, SERVFAIL, REFUSED, network or format error): try later.</summary>
    DnsFailure,
    /// <summary>The input is not an E.164 number (no digits, or more than 15).</summary>
    InvalidNumber,
}

/// <summary>The outcome of an ENUM lookup, as data.</summary>
public sealed record EnumResult
{
    public required EnumResultStatus Status { get; init; }

    /// <summary>The Application Unique String: "+" and the digits (RFC 6116 §2.4).</summary>
    public required string Number { get; init; }

    /// <summary>The ENUM domain first queried.</summary>
    public string? Domain { get; init; }

    /// <summary>The URI the rule produced (mailto: for Mailto, tel: for TelOnly).</summary>
    public string? Uri { get; init; }

    /// <summary>The addr-spec of the mailto: URI, e.g. "+15550100002/TYPE=PLMN@mms.example.net".</summary>
    public string? MailtoAddress { get; init; }

    /// <summary>The domain of <see cref="MailtoAddress"/>: the MMSE domain to look up MX for.</summary>
    public string? MailtoDomain { get; init; }

    /// <summary>The NAPTR rule that produced the URI.</summary>
    public NaptrRecord? Record { get; init; }

    /// <summary>Non-terminal rewrites followed.</summary>
    public int Rewrites { get; init; }

    /// <summary>The DNS result behind a DnsFailure or NXDomain.</summary>
    public DnsResult? Dns { get; init; }

    /// <summary>Why (for logs): skipped rules, the failing step.</summary>
    public string? Detail { get; init; }

    /// <summary>"Not found" as opposed to "DNS failure": NoRecord, NXDomain, TelOnly, InvalidNumber.</summary>
    public bool IsNotFound => Status is EnumResultStatus.NoRecord or EnumResultStatus.NXDomain or EnumResultStatus.TelOnly or EnumResultStatus.InvalidNumber;
}

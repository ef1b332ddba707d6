using System.Collections.Immutable;
using System.Net;

namespace Cpm.Interwork.Dns.Routing;

public enum RouteStatus
{
    /// <summary>At least one relay endpoint with addresses was found.</summary>
    Routed,
    /// <summary>Definitively no route: no static route and ENUM says NXDOMAIN / no mms:mailto NAPTR, the domain does not exist, null MX, no address. SIP 404.</summary>
    NotFound,
    /// <summary>DNS could not tell (timeout, SERVFAIL, REFUSED, network or format error) at some step. SIP 503: try later.</summary>
    DnsFailure,
}

/// <summary>Which step chose the MMSE domain (or relay).</summary>
public enum RouteSource
{
    None,
    /// <summary>A static route whose key is exactly the number.</summary>
    StaticMsisdn,
    /// <summary>The static route with the longest matching prefix.</summary>
    StaticPrefix,
    /// <summary>A static route keyed by the recipient's domain.</summary>
    StaticDomain,
    /// <summary>ENUM (E2U+mms:mailto).</summary>
    Enum,
    /// <summary>The domain written in the recipient address itself.</summary>
    RecipientDomain,
}

/// <summary>One SMTP relay to try: host name, its addresses (IPv4 first), port, and MX preference.</summary>
public sealed record RelayEndpoint(string Host, ImmutableArray<IPAddress> Addresses, int Port, int Preference)
{
    public override string ToString() => $"{Host}[{string.Join(",", Addresses)}]:{Port} pref {Preference}";
}

/// <summary>The routing outcome for one recipient, as data.</summary>
public sealed record RouteResult
{
    public required RouteStatus Status { get; init; }

    /// <summary>The recipient as given.</summary>
    public required string Recipient { get; init; }

    /// <summary>The number ("+digits") when the recipient is one.</summary>
    public string? Msisdn { get; init; }

    /// <summary>The MMSE domain (RCPT TO domain).</summary>
    public string? Domain { get; init; }

    /// <summary>The RCPT TO address ("+15550100002/TYPE=PLMN@mms.example.net").</summary>
    public string? RcptTo { get; init; }

    /// <summary>Relays in the order to try (MX preference ascending, equal preferences shuffled).</summary>
    public ImmutableArray<RelayEndpoint> Relays { get; init; } = [];

    public RouteSource Source { get; init; }

    /// <summary>Why there is no route (names the number / domain and the failing step), or null when routed.</summary>
    public string? Reason { get; init; }

    /// <summary>The SIP final response for a failure: 404 Not Found, 503 Service Unavailable; 0 when routed.</summary>
    public int SipStatusCode => ToSipStatusCode(Status);

    /// <summary>The one table mapping a route status to the SIP answer the gateway gives.</summary>
    public static int ToSipStatusCode(RouteStatus status) => status switch
    {
        RouteStatus.Routed => 0,
        RouteStatus.NotFound => 404,
        RouteStatus.DnsFailure => 503,
        _ => 500,
    };
}

using System.Collections.Immutable;
using System.Net;
using Cpm.Interwork.Dns.Wire;

namespace Cpm.Interwork.Dns.Client;

/// <summary>How a query ended.</summary>
public enum DnsResultStatus
{
    /// <summary>A server answered; see <see cref="DnsResult.Rcode"/>.</summary>
    Response,
    /// <summary>No server answered within the timeout on any attempt.</summary>
    Timeout,
    /// <summary>Sending or receiving failed (refused, unreachable, connection reset).</summary>
    NetworkError,
    /// <summary>The answer could not be parsed (see <see cref="DnsResult.ParseError"/>) or did not match the query over TCP.</summary>
    FormatError,
    /// <summary>The name asked for is not a valid domain name; nothing was sent.</summary>
    InvalidName,
}

/// <summary>The outcome of one question: DNS errors are data here, never exceptions.</summary>
public sealed record DnsResult
{
    public required DnsQuestion Question { get; init; }
    public required DnsResultStatus Status { get; init; }

    /// <summary>The server's RCODE; meaningful when <see cref="Status"/> is <see cref="DnsResultStatus.Response"/>.</summary>
    public DnsResponseCode Rcode { get; init; }

    public ImmutableArray<DnsRecord> Answers { get; init; } = [];
    public ImmutableArray<DnsRecord> Authorities { get; init; } = [];
    public ImmutableArray<DnsRecord> Additionals { get; init; } = [];

    /// <summary>Set when <see cref="Status"/> is <see cref="DnsResultStatus.FormatError"/> from parsing.</summary>
    public DnsParseError? ParseError { get; init; }

    /// <summary>Human-readable detail for logs (error text, which server).</summary>
    public string? Detail { get; init; }

    /// <summary>The server that gave this result (null from the cache or when none answered).</summary>
    public IPEndPoint? Server { get; init; }

    /// <summary>True when the answer came over TCP after a truncated UDP answer.</summary>
    public bool UsedTcp { get; init; }

    public bool FromCache { get; init; }

    /// <summary>NOERROR.</summary>
    public bool IsSuccess => Status == DnsResultStatus.Response && Rcode == DnsResponseCode.NoError;

    /// <summary>NXDOMAIN: the name does not exist (RFC 2308 §2.1).</summary>
    public bool IsNameError => Status == DnsResultStatus.Response && Rcode == DnsResponseCode.NXDomain;

    /// <summary>NOERROR without records of the type asked (RFC 2308 §2.2), CNAMEs aside.</summary>
    public bool IsNoData => IsSuccess && !Answers.Any(r => r.Type == Question.Type);

    /// <summary>Anything but a definitive answer (NOERROR or NXDOMAIN): timeouts, SERVFAIL, REFUSED, parse errors.</summary>
    public bool IsFailure => !IsSuccess && !IsNameError;

    public static DnsResult Failure(DnsQuestion question, DnsResultStatus status, string detail, IPEndPoint? server = null) =>
        new() { Question = question, Status = status, Detail = detail, Server = server };

    public override string ToString() => Status == DnsResultStatus.Response
        ? $"{Question}: {Rcode}, {Answers.Length} answer(s){(FromCache ? " (cached)" : "")}"
        : $"{Question}: {Status} {Detail}";
}

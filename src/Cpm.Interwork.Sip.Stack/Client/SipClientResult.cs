namespace Cpm.Interwork.Sip.Stack.Client;

/// <summary>How a client transaction ended.</summary>
public enum SipClientOutcome
{
    /// <summary>A final response arrived (<see cref="SipClientResult.Response"/>).</summary>
    Response,
    /// <summary>Timer F fired: no final response within 64·T1.</summary>
    Timeout,
    /// <summary>The request could not be sent (connection refused or reset, unreachable proxy).</summary>
    TransportError,
}

/// <summary>The result of <see cref="ISipClient.SendAsync"/>.</summary>
public sealed record SipClientResult(SipClientOutcome Outcome, SipResponse? Response, string? Error, SipClientTransport Transport)
{
    public int? StatusCode => Response?.StatusCode;

    /// <summary>Retry-After in seconds of the final response (RFC 3261 §20.33), when present and numeric.</summary>
    public TimeSpan? RetryAfter
    {
        get
        {
            var text = Response?.GetHeader("Retry-After");
            if (text is null) { return null; }
            var end = 0;
            while (end < text.Length && char.IsAsciiDigit(text[end])) { end++; }
            return end > 0 && int.TryParse(text.AsSpan(0, end), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s)
                ? TimeSpan.FromSeconds(s) : null;
        }
    }

    public override string ToString() => Outcome switch
    {
        SipClientOutcome.Response => $"{Response!.StatusCode} {Response.ReasonPhrase} over {Transport}",
        SipClientOutcome.Timeout => $"Timer F over {Transport}",
        _ => $"transport error over {Transport}: {Error}",
    };
}

/// <summary>Transport used for one request.</summary>
public enum SipClientTransport
{
    Udp,
    Tcp,
}

/// <summary>
/// A request to send: the client decides the transport and the branch, then asks for the bytes with the top Via it
/// chose (<c>SIP/2.0/UDP host:port;branch=z9hG4bK…;rport</c>).
/// </summary>
public sealed record SipClientRequest(Func<string, byte[]> Build);

/// <summary>Sends non-INVITE requests through the outbound proxy with RFC 3261 §17.1.2 client transactions.</summary>
public interface ISipClient
{
    Task<SipClientResult> SendAsync(SipClientRequest request, CancellationToken cancellationToken);
}

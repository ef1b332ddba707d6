using System.Net;
using Cpm.Interwork.Sip.Stack.Transport;

namespace Cpm.Interwork.Sip.Stack;

/// <summary>
/// Settings of the SIP stack (configuration section <c>Sip</c>). Every limit has a safe default; the host
/// validates the values at start (docs/configuration.md lists keys, defaults and validation).
/// </summary>
public sealed class SipStackOptions
{
    /// <summary>Default listeners: UDP and TCP on 127.0.0.1:5060.</summary>
    public static IReadOnlyList<SipListenEndpoint> DefaultListen { get; } =
    [
        new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5060)),
        new(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, 5060)),
    ];

    /// <summary>Where to listen (<c>Sip:Listen:N</c>).</summary>
    public IReadOnlyList<SipListenEndpoint> Listen { get; init; } = DefaultListen;

    /// <summary>RFC 3261 T1, the round-trip estimate (default 500 ms).</summary>
    public TimeSpan T1 { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>RFC 3261 T2, the maximum retransmit interval for non-INVITE requests (default 4 s).</summary>
    public TimeSpan T2 { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Largest header block (start line and headers, CRLFs included) accepted, in bytes.</summary>
    public int MaxHeaderBytes { get; init; } = 16 * 1024;

    /// <summary>Largest body accepted (Content-Length), in bytes; larger requests are answered 413.</summary>
    public int MaxBodyBytes { get; init; } = 64 * 1024;

    /// <summary>Simultaneous inbound TCP connections; more are closed at accept.</summary>
    public int MaxTcpConnections { get; init; } = 1024;

    /// <summary>A TCP connection with no complete message for this long is closed.</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Server transactions kept at once; a new request beyond this is answered 503 statelessly.</summary>
    public int MaxTransactions { get; init; } = 50_000;

    /// <summary>How long a MESSAGE handler may take before the stack answers 504 itself.</summary>
    public TimeSpan MessageHandlerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>At shutdown, how long in-flight transactions may take to get their answer before they are answered 503.</summary>
    public TimeSpan ShutdownDrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Retry-After (seconds) on the 503 answered to requests cut off by shutdown or overload.</summary>
    public int RetryAfterSeconds { get; init; } = 30;

    /// <summary>Content types a MESSAGE may carry (answered 415 with Accept otherwise); also the Accept of OPTIONS.</summary>
    public IReadOnlyList<string> AcceptedContentTypes { get; init; } = ["message/cpim", "text/plain", "message/imdn+xml"];

    /// <summary>Option tags the gateway supports (RFC 3261 §8.2.2.3): a Require naming only these is accepted, any other
    /// gets 420 with Unsupported; also the Supported header of OPTIONS. Empty by default.</summary>
    public IReadOnlyList<string> SupportedOptionTags { get; init; } = [];

    /// <summary>Value of the Server header on every response (default "Cpm.Interwork").</summary>
    public string ServerName { get; init; } = "Cpm.Interwork";

    /// <summary>The time a UDP client's Timer E needs to reach T2 (RFC 4320 §4.1): T1 + 2·T1 + 4·T1 … while the interval is below T2.
    /// 3.5 s with the default timers. A 100 Trying over UDP is sent only if the final answer takes longer.</summary>
    public TimeSpan UdpTryingDelay
    {
        get
        {
            var elapsed = TimeSpan.Zero;
            var interval = T1;
            while (interval < T2)
            {
                elapsed += interval;
                interval += interval;
            }

            return elapsed;
        }
    }

    /// <summary>Timer J: 64·T1 over UDP, zero over TCP (RFC 3261 §17.2.2).</summary>
    public TimeSpan TimerJ(SipTransportKind transport) =>
        transport == SipTransportKind.Udp ? T1 * 64 : TimeSpan.Zero;
}

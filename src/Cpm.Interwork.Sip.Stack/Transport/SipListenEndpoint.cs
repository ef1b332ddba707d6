using System.Globalization;
using System.Net;

namespace Cpm.Interwork.Sip.Stack.Transport;

/// <summary>The transport protocols the stack listens on.</summary>
public enum SipTransportKind
{
    Udp,
    Tcp,
}

/// <summary>
/// One entry of <c>Sip:Listen</c>: <c>udp:ADDRESS:PORT</c> or <c>tcp:ADDRESS:PORT</c>, IPv6 addresses in
/// brackets (<c>udp:[::1]:5060</c>). Port 0 asks the OS for a free port (tests use it).
/// </summary>
public sealed record SipListenEndpoint(SipTransportKind Transport, IPEndPoint EndPoint)
{
    /// <summary>Parses one listen entry; on failure <paramref name="problem"/> says what is wrong, for the operator.</summary>
    public static bool TryParse(string? text, out SipListenEndpoint? endpoint, out string problem)
    {
        endpoint = null;
        problem = "is not udp:ADDRESS:PORT or tcp:ADDRESS:PORT";
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "is empty (expected udp:ADDRESS:PORT or tcp:ADDRESS:PORT)";
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        SipTransportKind kind;
        var scheme = text.AsSpan(0, colon);
        if (scheme.Equals("udp", StringComparison.OrdinalIgnoreCase))
        {
            kind = SipTransportKind.Udp;
        }
        else if (scheme.Equals("tcp", StringComparison.OrdinalIgnoreCase))
        {
            kind = SipTransportKind.Tcp;
        }
        else
        {
            problem = $"has transport '{scheme.ToString()}' (only udp and tcp are supported)";
            return false;
        }

        var hostPort = text.AsSpan(colon + 1);
        ReadOnlySpan<char> host;
        ReadOnlySpan<char> port;
        if (hostPort.Length > 0 && hostPort[0] == '[')
        {
            var close = hostPort.IndexOf(']');
            if (close < 0 || close + 1 >= hostPort.Length || hostPort[close + 1] != ':')
            {
                problem = "is not ADDRESS:PORT (IPv6 is written [ADDRESS]:PORT)";
                return false;
            }

            host = hostPort[1..close];
            port = hostPort[(close + 2)..];
        }
        else
        {
            var last = hostPort.LastIndexOf(':');
            if (last <= 0 || hostPort[..last].Contains(':'))
            {
                problem = last <= 0 ? "is not ADDRESS:PORT" : "is not ADDRESS:PORT (IPv6 is written [ADDRESS]:PORT)";
                return false;
            }

            host = hostPort[..last];
            port = hostPort[(last + 1)..];
        }

        if (!IPAddress.TryParse(host, out var address) || host.Contains('%'))
        {
            problem = $"is not ADDRESS:PORT ('{host.ToString()}' is not an IP address)";
            return false;
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var portNumber) || portNumber > IPEndPoint.MaxPort)
        {
            problem = $"is not ADDRESS:PORT ('{port.ToString()}' is not a port 0-65535)";
            return false;
        }

        endpoint = new SipListenEndpoint(kind, new IPEndPoint(address, portNumber));
        problem = string.Empty;
        return true;
    }

    /// <summary>The configuration form of this endpoint.</summary>
    public override string ToString() =>
        $"{(Transport == SipTransportKind.Udp ? "udp" : "tcp")}:{EndPoint}";
}

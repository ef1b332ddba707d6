using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Cpm.Interwork.Dns.Client;

/// <summary>Parses server entries: "ADDRESS:PORT" with IPv6 in brackets ("[::1]:53"), and resolv.conf.</summary>
public static class DnsServerAddress
{
    public const int DefaultPort = 53;

    /// <summary>"192.0.2.1:53" or "[2001:db8::1]:53"; the port is required and must be 1–65535.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        string host;
        string port;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf("]:", StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            host = text[1..close];
            port = text[(close + 2)..];
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            return TryPort(port, v6, out endPoint);
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || text.IndexOf(':', StringComparison.Ordinal) != colon)
        {
            return false;
        }

        host = text[..colon];
        port = text[(colon + 1)..];
        if (!IPAddress.TryParse(host, out var v4) || v4.AddressFamily != AddressFamily.InterNetwork
            || host.Count(c => c == '.') != 3)
        {
            return false;
        }

        return TryPort(port, v4, out endPoint);
    }

    private static bool TryPort(string port, IPAddress address, [NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (port.Length is 0 or > 5 || !port.All(char.IsAsciiDigit)
            || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
        {
            return false;
        }

        endPoint = new IPEndPoint(address, p);
        return true;
    }

    /// <summary>
    /// The "nameserver ADDRESS" lines of a resolv.conf text (resolv.conf(5)), each on port 53, in file
    /// order. Lines that do not hold an IP address are skipped.
    /// </summary>
    public static IReadOnlyList<IPEndPoint> ParseResolvConf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var servers = new List<IPEndPoint>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            var parts = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && parts[0] == "nameserver" && IPAddress.TryParse(parts[1], out var address))
            {
                servers.Add(new IPEndPoint(address, DefaultPort));
            }
        }

        return servers;
    }
}

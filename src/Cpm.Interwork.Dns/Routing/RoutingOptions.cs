using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Cpm.Interwork.Dns.E164;
using Cpm.Interwork.Dns.Wire;

namespace Cpm.Interwork.Dns.Routing;

/// <summary>
/// One static route, bound from <c>Routing:Routes:N</c>. Key: an exact MSISDN ("+15550100002"), a
/// prefix ("+1555*") or a domain ("mms.example.net"). Domain: the MMSE domain for RCPT TO (required
/// for MSISDN and prefix keys; defaults to the key for domain keys). Relay: "host:port" (or "host",
/// port <see cref="RoutingOptions.SmtpPort"/>) to connect to instead of the domain's MX.
/// </summary>
public sealed class RouteEntry
{
    public string Key { get; set; } = "";
    public string? Domain { get; set; }
    public string? Relay { get; set; }
}

/// <summary>Routing settings, bound from the configuration section <c>Routing</c>.</summary>
public sealed class RoutingOptions
{
    public const string SectionName = "Routing";

    public IList<RouteEntry> Routes { get; } = new List<RouteEntry>();

    /// <summary>Port for relays found through MX or A/AAAA, and for a Relay given without a port.</summary>
    public int SmtpPort { get; set; } = 25;

    /// <summary>Whether numbers without a static route are looked up in ENUM.</summary>
    public bool UseEnum { get; set; } = true;

    /// <summary>How many CNAMEs are followed for one MX or address lookup.</summary>
    public int MaxCnameDepth { get; set; } = 8;

    /// <summary>At most this many MX hosts are resolved to addresses (lowest preferences first).</summary>
    public int MaxMxHosts { get; set; } = 10;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Routes.Count; i++)
        {
            var r = Routes[i];
            var at = $"{SectionName}:Routes:{i}";
            if (!RouteKey.TryParse(r.Key, out var key))
            {
                errors.Add($"{at}:Key = '{r.Key}' is not an MSISDN (+15550100002), a prefix (+1555*) or a domain (mms.example.net)");
                continue;
            }

            if (!seen.Add(key.Kind + ":" + key.Value))
            {
                errors.Add($"{at}:Key = '{r.Key}' repeats an earlier route key");
            }

            if (r.Domain is not null && !IsDomain(r.Domain))
            {
                errors.Add($"{at}:Domain = '{r.Domain}' is not a domain name");
            }

            if (key.Kind != RouteKeyKind.Domain && string.IsNullOrWhiteSpace(r.Domain))
            {
                errors.Add($"{at}:Domain is required for an MSISDN or prefix key (the MMSE domain for RCPT TO)");
            }

            if (r.Relay is not null && !TryParseRelay(r.Relay, SmtpPort is >= 1 and <= 65535 ? SmtpPort : 25, out _, out _))
            {
                errors.Add($"{at}:Relay = '{r.Relay}' is not HOST[:PORT] (IPv6 as [ADDRESS]:PORT)");
            }

            if (key.Kind == RouteKeyKind.Domain && string.IsNullOrWhiteSpace(r.Domain) && string.IsNullOrWhiteSpace(r.Relay))
            {
                errors.Add($"{at} ('{r.Key}') needs a Domain or a Relay");
            }
        }

        if (SmtpPort is < 1 or > 65535)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:SmtpPort = {SmtpPort} must be between 1 and 65535"));
        }

        if (MaxCnameDepth is < 0 or > 16)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:MaxCnameDepth = {MaxCnameDepth} must be between 0 and 16"));
        }

        if (MaxMxHosts is < 1 or > 100)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:MaxMxHosts = {MaxMxHosts} must be between 1 and 100"));
        }

        return errors;
    }

    internal static bool IsDomain(string text) =>
        !string.IsNullOrWhiteSpace(text) && DnsName.TryGetLabels(text, out var labels, out _) && labels.Count > 0
        && !text.Contains('@', StringComparison.Ordinal) && !text.Contains(':', StringComparison.Ordinal);

    /// <summary>"host", "host:port", "192.0.2.1:2525", "[2001:db8::1]:25".</summary>
    public static bool TryParseRelay(string text, int defaultPort, [NotNullWhen(true)] out string? host, out int port)
    {
        ArgumentNullException.ThrowIfNull(text);
        host = null;
        port = defaultPort;
        text = text.Trim();
        string portText = "";
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !IPAddress.TryParse(text[1..close], out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    host = null;
                    return false;
                }

                portText = rest[1..];
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon >= 0)
            {
                if (text.IndexOf(':', StringComparison.Ordinal) != colon)
                {
                    return false;
                }

                portText = text[(colon + 1)..];
                text = text[..colon];
            }

            if (!IsDomain(text))
            {
                return false;
            }

            host = text;
        }

        if (portText.Length > 0)
        {
            if (portText.Length > 5 || !portText.All(char.IsAsciiDigit) || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                host = null;
                return false;
            }
        }

        return true;
    }
}

public enum RouteKeyKind
{
    Msisdn,
    Prefix,
    Domain,
}

/// <summary>A parsed route key: MSISDN and prefix values normalized to "+digits", domains lower-cased.</summary>
public readonly record struct RouteKey(RouteKeyKind Kind, string Value)
{
    public static bool TryParse(string? text, out RouteKey key)
    {
        key = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (text.EndsWith('*'))
        {
            var aus = EnumResolver.ToAus(text[..^1]);
            if (aus is null || !text.StartsWith('+'))
            {
                return false;
            }

            key = new RouteKey(RouteKeyKind.Prefix, aus);
            return true;
        }

        if (text.StartsWith('+'))
        {
            var aus = EnumResolver.ToAus(text);
            if (aus is null)
            {
                return false;
            }

            key = new RouteKey(RouteKeyKind.Msisdn, aus);
            return true;
        }

        if (RoutingOptions.IsDomain(text) && !text.All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            key = new RouteKey(RouteKeyKind.Domain, DnsName.Normalize(text));
            return true;
        }

        return false;
    }
}

using System.Globalization;
using System.Net;

namespace Cpm.Interwork.Dns.Client;

/// <summary>Resolver settings, bound from the configuration section <c>Dns</c>.</summary>
public sealed class DnsOptions
{
    public const string SectionName = "Dns";

    /// <summary>Servers as "ADDRESS:PORT" ("[::1]:53" for IPv6). Empty: the nameservers of <see cref="ResolvConfPath"/> on port 53.</summary>
    public IList<string> Servers { get; } = new List<string>();

    /// <summary>Where the system resolver configuration is read when <see cref="Servers"/> is empty.</summary>
    public string ResolvConfPath { get; set; } = "/etc/resolv.conf";

    /// <summary>How long one query to one server may take (UDP wait, or the whole TCP exchange).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Rounds over the server list; each round tries every server once.</summary>
    public int Attempts { get; set; } = 2;

    /// <summary>Cache size bound in entries (a question and its result). 0 disables the cache.</summary>
    public int CacheMaxEntries { get; set; } = 10_000;

    /// <summary>Cap on a positive answer's cache lifetime (the TTL otherwise rules).</summary>
    public TimeSpan MaxPositiveTtl { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Cap on a negative answer's cache lifetime (RFC 2308 §5: min(SOA TTL, SOA MINIMUM) otherwise).</summary>
    public TimeSpan MaxNegativeTtl { get; set; } = TimeSpan.FromMinutes(15);

    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(60);
    public const int MaxAttempts = 10;

    /// <summary>Configuration errors, each naming its key ("Dns:Servers:0 = 'x' is not ADDRESS:PORT"). Empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        for (var i = 0; i < Servers.Count; i++)
        {
            if (!DnsServerAddress.TryParse(Servers[i], out _))
            {
                errors.Add($"{SectionName}:Servers:{i} = '{Servers[i]}' is not ADDRESS:PORT (IPv6 as [ADDRESS]:PORT, port 1-65535)");
            }
        }

        if (Servers.Count == 0 && string.IsNullOrWhiteSpace(ResolvConfPath))
        {
            errors.Add($"{SectionName}:ResolvConfPath is empty and {SectionName}:Servers has no entry");
        }

        if (Timeout < MinTimeout || Timeout > MaxTimeout)
        {
            errors.Add(Invariant($"{SectionName}:Timeout = '{Timeout}' must be between {MinTimeout} and {MaxTimeout}"));
        }

        if (Attempts is < 1 or > MaxAttempts)
        {
            errors.Add(Invariant($"{SectionName}:Attempts = {Attempts} must be between 1 and {MaxAttempts}"));
        }

        if (CacheMaxEntries < 0)
        {
            errors.Add(Invariant($"{SectionName}:CacheMaxEntries = {CacheMaxEntries} must be 0 (no cache) or more"));
        }

        if (MaxPositiveTtl < TimeSpan.Zero)
        {
            errors.Add(Invariant($"{SectionName}:MaxPositiveTtl = '{MaxPositiveTtl}' must not be negative"));
        }

        if (MaxNegativeTtl < TimeSpan.Zero)
        {
            errors.Add(Invariant($"{SectionName}:MaxNegativeTtl = '{MaxNegativeTtl}' must not be negative"));
        }

        return errors;
    }

    /// <summary>
    /// The server list to use: <see cref="Servers"/> when set, else the resolv.conf nameservers, else
    /// 127.0.0.1:53 (the glibc default when resolv.conf names none).
    /// </summary>
    public IReadOnlyList<IPEndPoint> GetServerEndPoints()
    {
        if (Servers.Count > 0)
        {
            return [.. Servers.Select(s => DnsServerAddress.TryParse(s, out var ep)
                ? ep
                : throw new InvalidOperationException($"{SectionName}:Servers entry '{s}' is not ADDRESS:PORT"))];
        }

        IReadOnlyList<IPEndPoint> fromFile = [];
        if (File.Exists(ResolvConfPath))
        {
            fromFile = DnsServerAddress.ParseResolvConf(File.ReadAllText(ResolvConfPath));
        }

        return fromFile.Count > 0 ? fromFile : [new IPEndPoint(IPAddress.Loopback, DnsServerAddress.DefaultPort)];
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

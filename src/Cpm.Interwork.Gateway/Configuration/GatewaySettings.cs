using Cpm.Interwork.Sip.Stack;
using Cpm.Interwork.Sip.Stack.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Cpm.Interwork.Gateway.Configuration;

/// <summary>Console log format (<c>Logging:Format</c>).</summary>
public enum LogFormat
{
    Text,
    Json,
}

/// <summary>
/// Everything the host reads from configuration, validated. <see cref="Read"/> returns the problems found; the
/// host prints the first one as one line and exits with code 2.
/// </summary>
public sealed class GatewaySettings
{
    public const string DefaultUrls = "http://127.0.0.1:8080";

    public required SipStackOptions Sip { get; init; }

    public required LogFormat LogFormat { get; init; }

    public required string Urls { get; init; }

    public static GatewaySettings Read(IConfiguration configuration, out IReadOnlyList<ConfigurationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var found = new List<ConfigurationProblem>();
        var sip = ReadSip(configuration, found);
        var format = ReadLogging(configuration, found);
        var urls = ReadUrls(configuration, found);
        problems = found;
        return new GatewaySettings { Sip = sip, LogFormat = format, Urls = urls };
    }

    private static SipStackOptions ReadSip(IConfiguration configuration, List<ConfigurationProblem> problems)
    {
        var reader = new ConfigurationReader(configuration, "Sip", problems);
        var defaults = new SipStackOptions();

        IReadOnlyList<SipListenEndpoint> listen = SipStackOptions.DefaultListen;
        var problemsBefore = problems.Count;
        var entries = reader.ReadList("Listen");
        if (entries is not null)
        {
            var parsed = new List<SipListenEndpoint>();
            foreach (var (key, value) in entries)
            {
                if (SipListenEndpoint.TryParse(value, out var endpoint, out var problem))
                {
                    if (parsed.Contains(endpoint!))
                    {
                        problems.Add(new ConfigurationProblem(key, value, "is listed twice"));
                    }

                    parsed.Add(endpoint!);
                }
                else
                {
                    problems.Add(new ConfigurationProblem(key, value, problem));
                }
            }

            if (parsed.Count == 0 && problems.Count == problemsBefore)
            {
                reader.Fail("Listen", null, "has no entry (at least one udp:ADDRESS:PORT or tcp:ADDRESS:PORT is needed)");
            }

            listen = parsed;
        }

        var t1 = reader.ReadInt("T1Milliseconds", (int)defaults.T1.TotalMilliseconds, 50, 10_000);
        var t2 = reader.ReadInt("T2Milliseconds", (int)defaults.T2.TotalMilliseconds, 100, 60_000);
        if (t2 < t1)
        {
            reader.Fail("T2Milliseconds", t2.ToString(System.Globalization.CultureInfo.InvariantCulture), "is smaller than Sip:T1Milliseconds");
        }

        var options = new SipStackOptions
        {
            Listen = listen,
            T1 = TimeSpan.FromMilliseconds(t1),
            T2 = TimeSpan.FromMilliseconds(t2),
            MaxHeaderBytes = reader.ReadInt("MaxHeaderBytes", defaults.MaxHeaderBytes, 1024, 1024 * 1024),
            MaxBodyBytes = reader.ReadInt("MaxBodyBytes", defaults.MaxBodyBytes, 0, 16 * 1024 * 1024),
            MaxTcpConnections = reader.ReadInt("MaxTcpConnections", defaults.MaxTcpConnections, 1, 1_000_000),
            TcpIdleTimeout = TimeSpan.FromSeconds(reader.ReadInt("TcpIdleTimeoutSeconds", (int)defaults.TcpIdleTimeout.TotalSeconds, 1, 86_400)),
            MaxTransactions = reader.ReadInt("MaxTransactions", defaults.MaxTransactions, 1, 10_000_000),
            MessageHandlerTimeout = TimeSpan.FromSeconds(reader.ReadInt("MessageHandlerTimeoutSeconds", (int)defaults.MessageHandlerTimeout.TotalSeconds, 1, 600)),
            ShutdownDrainTimeout = TimeSpan.FromSeconds(reader.ReadInt("ShutdownDrainTimeoutSeconds", (int)defaults.ShutdownDrainTimeout.TotalSeconds, 0, 600)),
            RetryAfterSeconds = reader.ReadInt("RetryAfterSeconds", defaults.RetryAfterSeconds, 0, 86_400),
            // URI-list MESSAGEs (RFC 5365) carry multipart/mixed: the interworking core reads them.
            AcceptedContentTypes = [.. defaults.AcceptedContentTypes, "multipart/mixed"],
            ServerName = reader.ReadString("ServerName", defaults.ServerName, static v =>
                v.Length is > 0 and <= 128 && v.All(c => c is >= ' ' and <= '~') ? null : "must be 1-128 printable ASCII characters"),
        };
        reader.RejectUnknownKeys();
        return options;
    }

    private static LogFormat ReadLogging(IConfiguration configuration, List<ConfigurationProblem> problems)
    {
        var section = configuration.GetSection("Logging");
        var format = LogFormat.Text;
        var text = section["Format"];
        if (text is not null)
        {
            if (!Enum.TryParse(text, ignoreCase: true, out format) || !Enum.IsDefined(format) || int.TryParse(text, out _))
            {
                problems.Add(new ConfigurationProblem("Logging:Format", text, "is not 'text' or 'json'"));
                format = LogFormat.Text;
            }
        }

        foreach (var level in section.GetSection("LogLevel").GetChildren())
        {
            if (level.Value is null || !Enum.TryParse<LogLevel>(level.Value, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(level.Value, out _))
            {
                problems.Add(new ConfigurationProblem(level.Path, level.Value, "is not a log level (Trace, Debug, Information, Warning, Error, Critical, None)"));
            }
        }

        return format;
    }

    private static string ReadUrls(IConfiguration configuration, List<ConfigurationProblem> problems)
    {
        var urls = configuration["Urls"];
        if (string.IsNullOrWhiteSpace(urls))
        {
            return DefaultUrls;
        }

        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                || uri.Scheme is not ("http" or "https"))
            {
                problems.Add(new ConfigurationProblem("Urls", urls, $"has '{url}', which is not http://ADDRESS:PORT"));
                return DefaultUrls;
            }
        }

        return urls;
    }
}

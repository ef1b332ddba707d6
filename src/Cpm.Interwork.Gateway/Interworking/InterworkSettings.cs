using System.Reflection;
using Cpm.Interwork.Core;
using Cpm.Interwork.Dns.Client;
using Cpm.Interwork.Dns.E164;
using Cpm.Interwork.Dns.Routing;
using Cpm.Interwork.Gateway.Configuration;
using Cpm.Interwork.Smtp.Client;
using Cpm.Interwork.Smtp.Server;
using Cpm.Interwork.Store;
using Microsoft.Extensions.Configuration;

namespace Cpm.Interwork.Gateway.Interworking;

/// <summary>Host-only settings of the CPM→MMS flow, bound from <c>Interwork</c> beside the core's <see cref="InterworkOptions"/>.</summary>
public sealed class InterworkHostOptions
{
    /// <summary>Interwork:LeaseDuration — how long one worker owns a forward while it attempts it; after a crash the forward is resumed once this ran out.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Interwork:WorkerPollInterval — how often the worker looks for due forwards (resumed after a restart, retries, expiries).</summary>
    public TimeSpan WorkerPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Interwork:BackgroundRetry — back-off of the worker for forwards whose SIP answer was already given (after a restart), until their expiry.</summary>
    public RetryPolicyOptions BackgroundRetry { get; set; } = new() { InitialDelay = TimeSpan.FromSeconds(5), MaxDelay = TimeSpan.FromMinutes(10), MaxAttempts = 20 };

    public IReadOnlyList<string> Validate()
    {
        var e = new List<string>();
        if (LeaseDuration < TimeSpan.FromSeconds(1) || LeaseDuration > TimeSpan.FromHours(1)) { e.Add("Interwork:LeaseDuration: must be 1 s..1 h"); }
        if (WorkerPollInterval < TimeSpan.FromMilliseconds(50) || WorkerPollInterval > TimeSpan.FromMinutes(10)) { e.Add("Interwork:WorkerPollInterval: must be 50 ms..10 min"); }
        e.AddRange(BackgroundRetry.Validate("Interwork:BackgroundRetry"));
        return e;
    }
}

/// <summary>
/// Every section the CPM→MMS flow reads (Mm4, Smtp, Smtp:Client, Dns, Enum, Routing, Store, Interwork, Cpm, Ims,
/// Logging:MaskNumbers), bound and validated at start. Unknown keys are errors, like under <c>Sip</c>.
/// Interworking is on when <c>Mm4:Domains</c> names at least one domain (the gateway cannot be an MMSE without its own domain:
/// X-Mms-Originator-System must come back to it); otherwise MESSAGE keeps the honest 480 answer.
/// </summary>
public sealed class InterworkSettings
{
    public bool Enabled => Domains.Count > 0;

    public required IReadOnlyList<string> Domains { get; init; }

    public required InterworkOptions Interwork { get; init; }

    public required InterworkHostOptions Host { get; init; }

    public required Mm4InboundOptions Mm4 { get; init; }

    public required CpmOptions Cpm { get; init; }

    public ImsOptions? Ims { get; init; }

    public required SmtpServerOptions SmtpServer { get; init; }

    public required SmtpClientOptions SmtpClient { get; init; }

    public required DnsOptions Dns { get; init; }

    public required EnumOptions Enum { get; init; }

    public required RoutingOptions Routing { get; init; }

    public required StoreOptions Store { get; init; }

    /// <summary>The MMS → CPM direction's own settings (Ims:OutboundProxy, Ims:Retry, Mm4:AnswerRetry…; docs/inbound.md).</summary>
    public global::Cpm.Interwork.Gateway.Interworking.Inbound.InboundSettings Inbound { get; init; } = new();

    /// <summary>Logging:MaskNumbers — phone numbers in lifecycle log events keep their first 5 and last 2 digits only.</summary>
    public bool MaskNumbers { get; init; } = true;

    public static InterworkSettings Read(IConfiguration configuration, List<ConfigurationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(problems);

        // Mm4: Domains (the gateway's MMSE domains) plus the core's inbound options.
        var mm4Section = configuration.GetSection("Mm4");
        var domains = ReadList(mm4Section.GetSection("Domains"));
        var mm4 = new Mm4InboundOptions();
        Bind(mm4Section, mm4, problems, ["Domains", .. global::Cpm.Interwork.Gateway.Interworking.Inbound.InboundSettings.Mm4Keys]);

        var interwork = new InterworkOptions();
        var host = new InterworkHostOptions();
        var iwSection = configuration.GetSection(InterworkOptions.Section);
        Bind(iwSection, interwork, problems, typeof(InterworkHostOptions).GetProperties().Select(p => p.Name).ToArray());
        Bind(iwSection, host, problems, typeof(InterworkOptions).GetProperties().Select(p => p.Name).ToArray());
        if (interwork.GatewayDomains.Count == 0)
        {
            foreach (var domain in domains)
            {
                interwork.GatewayDomains.Add(domain);
            }
        }

        var cpm = new CpmOptions();
        Bind(configuration.GetSection(CpmOptions.Section), cpm, problems);
        ImsOptions? ims = null;
        if (configuration.GetSection(ImsOptions.Section).Exists())
        {
            ims = new ImsOptions();
            Bind(configuration.GetSection(ImsOptions.Section), ims, problems, global::Cpm.Interwork.Gateway.Interworking.Inbound.InboundSettings.ImsKeys);
        }

        var smtpSection = configuration.GetSection(SmtpServerOptions.Section);
        var server = new SmtpServerOptions();
        Bind(smtpSection, server, problems, "Client", nameof(SmtpServerOptions.LocalDomains));
        if (smtpSection.GetSection("Listen").Exists()) { server.Listen = ReadList(smtpSection.GetSection("Listen")).ToList(); }
        if (smtpSection.GetSection("AllowedPeers").Exists()) { server.AllowedPeers = ReadList(smtpSection.GetSection("AllowedPeers")).ToList(); }
        server.LocalDomains = [.. domains];
        var client = new SmtpClientOptions();
        Bind(smtpSection.GetSection("Client"), client, problems);

        var dns = new DnsOptions();
        Bind(configuration.GetSection(DnsOptions.SectionName), dns, problems);
        var enumOptions = new EnumOptions();
        Bind(configuration.GetSection(EnumOptions.SectionName), enumOptions, problems);
        var routing = new RoutingOptions();
        Bind(configuration.GetSection(RoutingOptions.SectionName), routing, problems);
        var store = new StoreOptions();
        Bind(configuration.GetSection(StoreOptions.SectionName), store, problems);

        var mask = true;
        if (configuration["Logging:MaskNumbers"] is { } maskText && !bool.TryParse(maskText, out mask))
        {
            problems.Add(new ConfigurationProblem("Logging:MaskNumbers", maskText, "is not true or false"));
            mask = true;
        }

        var settings = new InterworkSettings
        {
            Domains = domains,
            Interwork = interwork,
            Host = host,
            Mm4 = mm4,
            Cpm = cpm,
            Ims = ims,
            SmtpServer = server,
            SmtpClient = client,
            Dns = dns,
            Enum = enumOptions,
            Routing = routing,
            Store = store,
            MaskNumbers = mask,
            Inbound = global::Cpm.Interwork.Gateway.Interworking.Inbound.InboundSettings.Read(configuration, problems),
        };
        if (problems.Count == 0)
        {
            settings.Validate(problems);
        }

        return settings;
    }

    private void Validate(List<ConfigurationProblem> problems)
    {
        var errors = new List<string>();
        errors.AddRange(Mm4.Validate());
        errors.AddRange(Cpm.Validate());
        if (Ims is not null) { errors.AddRange(Ims.Validate()); }
        errors.AddRange(Host.Validate());
        errors.AddRange(SmtpClient.Validate());
        errors.AddRange(Dns.Validate());
        errors.AddRange(Enum.Validate());
        errors.AddRange(Routing.Validate());
        errors.AddRange(Store.Validate());
        if (Enabled)
        {
            // Without Mm4:Domains the SMTP server, the store and the interworking services are not started.
            errors.AddRange(Interwork.Validate());
            if (Host.LeaseDuration < Interwork.ResponseWait + TimeSpan.FromSeconds(5))
            {
                errors.Add("Interwork:LeaseDuration: must be at least Interwork:ResponseWait + 5 s (an attempt must end while its lease holds)");
            }
            errors.AddRange(SmtpServer.Validate());
        }

        foreach (var error in errors)
        {
            var key = KeyOf(error);
            problems.Add(new ConfigurationProblem(key, null, error[key.Length..].TrimStart(':', ' ').TrimEnd('.')));
        }
    }

    /// <summary>The libraries' messages start with the key ("Store:Path = '…' …" or "Interwork:ResponseWait: …").</summary>
    private static string KeyOf(string error)
    {
        var end = error.IndexOfAny([' ', '=']);
        var key = end > 0 ? error[..end] : error;
        return key.TrimEnd(':');
    }

    private static List<string> ReadList(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return section.Value is { Length: > 0 } single ? [single] : [];
        }

        return children.Where(c => c.Value is { Length: > 0 }).Select(c => c.Value!).ToList();
    }

    /// <summary>Binds a section onto <paramref name="target"/>: unknown keys and unconvertible values become problems naming the key.</summary>
    private static void Bind(IConfigurationSection section, object target, List<ConfigurationProblem> problems, params string[] otherKeys)
    {
        if (!section.Exists())
        {
            return;
        }

        var known = new HashSet<string>(target.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name), StringComparer.OrdinalIgnoreCase);
        known.UnionWith(otherKeys);
        foreach (var child in section.GetChildren())
        {
            if (!known.Contains(child.Key))
            {
                problems.Add(new ConfigurationProblem(child.Path, child.Value, "is not a known setting (see docs/configuration.md)"));
            }
        }

        foreach (var property in target.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var child = section.GetSection(property.Name);
            if (!child.Exists() || otherKeys.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            try
            {
                if (child.Value is not null && property.CanWrite)
                {
                    var value = ConvertScalar(child.Value, property.PropertyType);
                    property.SetValue(target, value);
                }
                else if (property.GetValue(target) is { } existing && child.GetChildren().Any())
                {
                    child.Bind(existing);
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or OverflowException or ArgumentException)
            {
                problems.Add(new ConfigurationProblem(child.Path, child.Value, "cannot be read as " + Describe(property.PropertyType)));
            }
        }
    }

    private static object? ConvertScalar(string text, Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string)) { return text; }
        if (t == typeof(TimeSpan)) { return TimeSpan.Parse(text, System.Globalization.CultureInfo.InvariantCulture); }
        if (t == typeof(bool)) { return bool.Parse(text); }
        if (t.IsEnum)
        {
            if (int.TryParse(text, out _) || !System.Enum.TryParse(t, text, ignoreCase: true, out var e)) { throw new FormatException(text); }
            return e;
        }

        return Convert.ChangeType(text, t, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Describe(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(TimeSpan)) { return "a duration (hh:mm:ss)"; }
        if (t.IsEnum) { return "one of " + string.Join(", ", System.Enum.GetNames(t)); }
        return "a " + t.Name;
    }
}

using System.Globalization;
using Cpm.Interwork.Core;
using Cpm.Interwork.Gateway.Configuration;
using Cpm.Interwork.Sip.Stack.Client;
using Microsoft.Extensions.Configuration;

namespace Cpm.Interwork.Gateway.Interworking.Inbound;

/// <summary>
/// Settings of the MMS → CPM direction beyond the core's <see cref="ImsOptions"/>/<see cref="Mm4InboundOptions"/>:
/// the SIP client (<c>Ims:OutboundProxy</c>, <c>Ims:UdpMaxBytes</c>, <c>Ims:ForceTcp</c>, <c>Ims:LocalAddress</c>,
/// <c>Ims:ConnectTimeout</c>), the answer back-off (<c>Mm4:AnswerRetry:*</c>,
/// <c>Mm4:ReportResponseWait</c>). The direction is on when <c>Ims:OutboundProxy</c> is set.
/// </summary>
public sealed class InboundSettings
{
    /// <summary>Keys of the Ims section read here (the Ims binder must not call them unknown).</summary>
    public static readonly string[] ImsKeys = ["OutboundProxy", "UdpMaxBytes", "ForceTcp", "LocalAddress", "ConnectTimeout"];

    /// <summary>Keys of the Mm4 section read here.</summary>
    public static readonly string[] Mm4Keys = ["AnswerRetry", "ReportResponseWait", "LeaseDuration"];

    public bool Enabled => Client.OutboundProxy.Length > 0;

    public SipClientOptions Client { get; } = new();

    /// <summary>Mm4:AnswerRetry — back-off of MM4_forward.RES and MM4_delivery_report.REQ mails to the peer MMSE when its relay is unreachable or answers 4xx.</summary>
    public RetryPolicyOptions AnswerRetry { get; } = new() { InitialDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromMinutes(10), MaxAttempts = 20 };

    /// <summary>Mm4:ReportResponseWait — how long an MM4_delivery_report.REQ waits for its .RES before it is closed as unanswered.</summary>
    public TimeSpan ReportResponseWait { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Mm4:LeaseDuration — how long one delivery attempt owns its item (must exceed Timer F + connect time).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    public static InboundSettings Read(IConfiguration configuration, List<ConfigurationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(problems);
        var s = new InboundSettings();
        var ims = configuration.GetSection("Ims");
        s.Client.OutboundProxy = ims["OutboundProxy"] ?? string.Empty;
        Scalar(ims, "UdpMaxBytes", problems, v => s.Client.UdpMaxBytes = int.Parse(v, CultureInfo.InvariantCulture));
        Scalar(ims, "ForceTcp", problems, v => s.Client.ForceTcp = bool.Parse(v));
        Scalar(ims, "LocalAddress", problems, v => s.Client.LocalAddress = v);
        Scalar(ims, "ConnectTimeout", problems, v => s.Client.ConnectTimeout = TimeSpan.Parse(v, CultureInfo.InvariantCulture));
        var mm4 = configuration.GetSection("Mm4");
        Policy(mm4.GetSection("AnswerRetry"), s.AnswerRetry, problems);
        Scalar(mm4, "ReportResponseWait", problems, v => s.ReportResponseWait = TimeSpan.Parse(v, CultureInfo.InvariantCulture));
        Scalar(mm4, "LeaseDuration", problems, v => s.LeaseDuration = TimeSpan.Parse(v, CultureInfo.InvariantCulture));
        if (s.Enabled)
        {
            var errors = new List<string>();
            errors.AddRange(s.Client.Validate());
            errors.AddRange(s.AnswerRetry.Validate("Mm4:AnswerRetry"));
            if (s.ReportResponseWait < TimeSpan.FromSeconds(1) || s.ReportResponseWait > TimeSpan.FromDays(7)) { errors.Add("Mm4:ReportResponseWait: must be 1 s..7 days"); }
            if (s.LeaseDuration < TimeSpan.FromSeconds(5) || s.LeaseDuration > TimeSpan.FromHours(1)) { errors.Add("Mm4:LeaseDuration: must be 5 s..1 h"); }
            if (ims["Domain"] is null) { errors.Add("Ims:Domain: required when Ims:OutboundProxy is set"); }
            foreach (var e in errors)
            {
                var colon = e.IndexOf(": ", StringComparison.Ordinal);
                problems.Add(new ConfigurationProblem(colon > 0 ? e[..colon] : e, null, colon > 0 ? e[(colon + 2)..] : e));
            }
        }

        return s;
    }

    private static void Scalar(IConfigurationSection section, string key, List<ConfigurationProblem> problems, Action<string> set)
    {
        if (section[key] is not { } text) { return; }
        try
        {
            set(text);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            problems.Add(new ConfigurationProblem(section.Path + ":" + key, text, "cannot be read"));
        }
    }

    private static void Policy(IConfigurationSection section, RetryPolicyOptions target, List<ConfigurationProblem> problems)
    {
        if (!section.Exists()) { return; }
        foreach (var child in section.GetChildren())
        {
            switch (child.Key.ToUpperInvariant())
            {
                case "INITIALDELAY": Scalar(section, child.Key, problems, v => target.InitialDelay = TimeSpan.Parse(v, CultureInfo.InvariantCulture)); break;
                case "MAXDELAY": Scalar(section, child.Key, problems, v => target.MaxDelay = TimeSpan.Parse(v, CultureInfo.InvariantCulture)); break;
                case "MULTIPLIER": Scalar(section, child.Key, problems, v => target.Multiplier = double.Parse(v, CultureInfo.InvariantCulture)); break;
                case "JITTER": Scalar(section, child.Key, problems, v => target.Jitter = double.Parse(v, CultureInfo.InvariantCulture)); break;
                case "MAXATTEMPTS": Scalar(section, child.Key, problems, v => target.MaxAttempts = int.Parse(v, CultureInfo.InvariantCulture)); break;
                default: problems.Add(new ConfigurationProblem(child.Path, child.Value, "is not a known setting (see docs/configuration.md)")); break;
            }
        }
    }
}

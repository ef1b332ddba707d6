using System.Globalization;
using Cpm.Interwork.Dns.Wire;

namespace Cpm.Interwork.Dns.E164;

/// <summary>ENUM settings, bound from the configuration section <c>Enum</c>.</summary>
public sealed class EnumOptions
{
    public const string SectionName = "Enum";

    /// <summary>The ENUM tree apex (RFC 6116 §2.4); carriers use private trees such as "e164enum.net".</summary>
    public string Apex { get; set; } = "e164.arpa";

    /// <summary>How many non-terminal NAPTR rewrites one lookup may follow (loop limit).</summary>
    public int MaxRewrites { get; set; } = 5;

    /// <summary>Timeout for one regexp match against the number.</summary>
    public TimeSpan RegexTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    public const int MaxRewritesLimit = 20;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Apex) || !DnsName.TryGetLabels(Apex, out var labels, out var why) || labels.Count == 0)
        {
            errors.Add($"{SectionName}:Apex = '{Apex}' is not a domain name");
        }
        else if (why is not null)
        {
            errors.Add($"{SectionName}:Apex = '{Apex}': {why}");
        }

        if (MaxRewrites is < 0 or > MaxRewritesLimit)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:MaxRewrites = {MaxRewrites} must be between 0 and {MaxRewritesLimit}"));
        }

        if (RegexTimeout <= TimeSpan.Zero || RegexTimeout > TimeSpan.FromSeconds(5))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:RegexTimeout = '{RegexTimeout}' must be above 0 and at most 00:00:05"));
        }

        return errors;
    }
}

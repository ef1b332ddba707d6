using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Cpm.Interwork.Gateway.Configuration;

/// <summary>
/// Reads typed values from one configuration section and records every bad value as a
/// <see cref="ConfigurationProblem"/> naming the full key. Missing keys take the default.
/// Sections added by later issues (Ims, Mm4, Smtp, Dns, Enum, Routing, Store, Interwork) read through this too.
/// </summary>
public sealed class ConfigurationReader
{
    private readonly IConfigurationSection _section;
    private readonly List<ConfigurationProblem> _problems;
    private readonly HashSet<string> _known = new(StringComparer.OrdinalIgnoreCase);

    public ConfigurationReader(IConfiguration configuration, string sectionName, List<ConfigurationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _section = configuration.GetSection(sectionName);
        _problems = problems;
    }

    public void Fail(string key, string? value, string problem) =>
        _problems.Add(new ConfigurationProblem(Path(key), value, problem));

    public string Path(string key) => $"{_section.Path}:{key}";

    public int ReadInt(string key, int defaultValue, int min, int max)
    {
        _known.Add(key);
        var text = _section[key];
        if (text is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Fail(key, text, "is not a whole number");
            return defaultValue;
        }

        if (value < min || value > max)
        {
            Fail(key, text, $"is out of range ({min.ToString(CultureInfo.InvariantCulture)}-{max.ToString(CultureInfo.InvariantCulture)})");
            return defaultValue;
        }

        return value;
    }

    public string ReadString(string key, string defaultValue, Func<string, string?>? check = null)
    {
        _known.Add(key);
        var text = _section[key];
        if (text is null)
        {
            return defaultValue;
        }

        var problem = check?.Invoke(text);
        if (problem is not null)
        {
            Fail(key, text, problem);
            return defaultValue;
        }

        return text;
    }

    /// <summary>Reads a list written as <c>Key:0</c>, <c>Key:1</c>… (or a single <c>Key</c> value). Null when absent.</summary>
    public IReadOnlyList<(string Key, string? Value)>? ReadList(string key)
    {
        _known.Add(key);
        var listSection = _section.GetSection(key);
        var children = listSection.GetChildren().ToList();
        if (children.Count == 0)
        {
            return listSection.Value is null ? null : [(Path(key), listSection.Value)];
        }

        var items = new List<(string, string?)>(children.Count);
        foreach (var child in children)
        {
            if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                _problems.Add(new ConfigurationProblem(child.Path, child.Value, "is not a list index (write KEY:0, KEY:1, ...)"));
                continue;
            }

            items.Add((child.Path, child.Value));
        }

        return items;
    }

    /// <summary>Flags every key of the section that no Read call asked for (a typo would otherwise be silently ignored).</summary>
    public void RejectUnknownKeys()
    {
        foreach (var child in _section.GetChildren())
        {
            if (!_known.Contains(child.Key))
            {
                _problems.Add(new ConfigurationProblem(child.Path, child.Value, "is not a known setting (see docs/configuration.md)"));
            }
        }
    }
}

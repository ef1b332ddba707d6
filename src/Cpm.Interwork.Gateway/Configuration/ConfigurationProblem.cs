namespace Cpm.Interwork.Gateway.Configuration;

/// <summary>One invalid configuration value: the key, the value as given, and what is wrong with it.</summary>
public sealed record ConfigurationProblem(string Key, string? Value, string Problem)
{
    /// <summary>The one line printed before the process exits with code 2.</summary>
    public override string ToString() =>
        Value is null
            ? $"configuration error: {Key} {Problem}"
            : $"configuration error: {Key} = '{Value}' {Problem}";
}

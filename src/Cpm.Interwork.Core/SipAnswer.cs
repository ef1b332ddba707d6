using System.Globalization;
using System.Text;

namespace Cpm.Interwork.Core;

/// <summary>
/// A SIP final response the gateway sends to a CPM sender: status, reason phrase, Warning values
/// (<c>399 &lt;host&gt; "text"</c>, RFC 3261 §20.43), Retry-After and, for 415, Accept. The transaction layer writes it.
/// </summary>
public sealed record SipAnswer(int StatusCode, string ReasonPhrase)
{
    /// <summary>Complete Warning header values (each <c>399 host "text"</c>).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Retry-After in whole seconds when set (RFC 3261 §20.33).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Accept header value (415 answers).</summary>
    public string? Accept { get; init; }

    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>Retry-After as written: whole seconds, at least 1.</summary>
    public string? RetryAfterValue => RetryAfter is { } r ? Math.Max(1, (long)Math.Ceiling(r.TotalSeconds)).ToString(CultureInfo.InvariantCulture) : null;

    /// <summary>
    /// <c>399 &lt;warnAgent&gt; "&lt;text&gt;"</c>: code 399 (miscellaneous warning), the text as a quoted-string with '"' and '\'
    /// escaped, control characters (CR/LF included) replaced by spaces, at most 200 characters.
    /// </summary>
    public static string FormatWarning(string warnAgent, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(warnAgent);
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length + warnAgent.Length + 8).Append("399 ").Append(warnAgent).Append(" \"");
        var n = 0;
        foreach (var c in text)
        {
            if (++n > 200) { break; }
            if (c is '"' or '\\') { sb.Append('\\').Append(c); }
            else if (char.IsControl(c)) { sb.Append(' '); }
            else { sb.Append(c); }
        }
        return sb.Append('"').ToString();
    }

    public override string ToString() => StatusCode.ToString(CultureInfo.InvariantCulture) + " " + ReasonPhrase;
}

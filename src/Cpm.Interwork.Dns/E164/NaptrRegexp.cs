using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;

namespace Cpm.Interwork.Dns.E164;

/// <summary>
/// The NAPTR REGEXP field (RFC 3402 §3.2): <c>delim ere delim repl delim [i]</c>. The delimiter is the
/// first character (not a digit, not a backslash, not 'i'); "\delim" escapes it inside ere and repl.
/// The POSIX Extended Regular Expression is translated to a .NET pattern that keeps ERE meaning:
/// "\x" is always the literal x, bracket expressions keep POSIX rules ("[:digit:]" classes, backslash
/// literal), "(?" and .NET-only escapes are rejected, and matching runs with a timeout. The output is
/// repl with "\1".."\9" replaced by the captured groups ("\\" is a backslash).
/// </summary>
public sealed class NaptrRegexp
{
    private readonly Regex _regex;
    private readonly string _replacement;

    private NaptrRegexp(Regex regex, string replacement, string ere)
    {
        _regex = regex;
        _replacement = replacement;
        Ere = ere;
    }

    /// <summary>The ERE as written in the record.</summary>
    public string Ere { get; }

    /// <summary>The translated .NET pattern.</summary>
    public string Pattern => _regex.ToString();

    public static bool TryParse(string field, TimeSpan timeout, [NotNullWhen(true)] out NaptrRegexp? regexp, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(field);
        regexp = null;
        if (field.Length < 3)
        {
            error = "regexp field too short";
            return false;
        }

        var delim = field[0];
        if (delim == '\\' || char.IsAsciiDigit(delim) || delim == 'i' || char.IsWhiteSpace(delim))
        {
            error = $"'{delim}' cannot be a delimiter";
            return false;
        }

        var cuts = new List<int>(3) { 0 };
        for (var i = 1; i < field.Length; i++)
        {
            if (field[i] == '\\')
            {
                i++;
                continue;
            }

            if (field[i] == delim)
            {
                cuts.Add(i);
            }
        }

        if (cuts.Count != 3)
        {
            error = $"expected 3 unescaped '{delim}' delimiters, found {cuts.Count}";
            return false;
        }

        var ere = field[1..cuts[1]];
        var repl = field[(cuts[1] + 1)..cuts[2]];
        var flags = field[(cuts[2] + 1)..];
        if (flags is not ("" or "i"))
        {
            error = $"unknown flags '{flags}'";
            return false;
        }

        if (!TryTranslateEre(ere, delim, out var pattern, out error))
        {
            return false;
        }

        var options = RegexOptions.CultureInvariant | (flags == "i" ? RegexOptions.IgnoreCase : RegexOptions.None);
        Regex regex;
        try
        {
            regex = new Regex(pattern, options, timeout);
        }
        catch (ArgumentException ex)
        {
            error = $"invalid regular expression: {ex.Message}";
            return false;
        }

        for (var i = 0; i < repl.Length; i++)
        {
            if (repl[i] == '\\' && i + 1 < repl.Length && repl[i + 1] is >= '1' and <= '9')
            {
                var group = repl[i + 1] - '0';
                if (group >= regex.GetGroupNumbers().Length)
                {
                    error = $"back-reference \\{group} has no group";
                    return false;
                }
            }
        }

        regexp = new NaptrRegexp(regex, repl, ere);
        error = null;
        return true;
    }

    /// <summary>
    /// Applies the rule to the AUS. Null when the ERE does not match (the rule does not apply);
    /// false when matching timed out.
    /// </summary>
    public bool TryApply(string input, out string? output)
    {
        ArgumentNullException.ThrowIfNull(input);
        output = null;
        Match match;
        try
        {
            match = _regex.Match(input);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }

        if (!match.Success)
        {
            return true;
        }

        var sb = new StringBuilder(_replacement.Length + input.Length);
        for (var i = 0; i < _replacement.Length; i++)
        {
            var c = _replacement[i];
            if (c == '\\' && i + 1 < _replacement.Length)
            {
                var next = _replacement[++i];
                if (next is >= '1' and <= '9')
                {
                    sb.Append(match.Groups[next - '0'].Value);
                }
                else
                {
                    sb.Append(next);
                }

                continue;
            }

            sb.Append(c);
        }

        output = sb.ToString();
        return true;
    }

    /// <summary>POSIX ERE (IEEE 1003.1 §9.4) to an equivalent .NET pattern, refusing what has no ERE meaning.</summary>
    internal static bool TryTranslateEre(string ere, char delim, [NotNullWhen(true)] out string? pattern, [NotNullWhen(false)] out string? error)
    {
        pattern = null;
        var sb = new StringBuilder(ere.Length * 2);
        for (var i = 0; i < ere.Length; i++)
        {
            var c = ere[i];
            switch (c)
            {
                case '\\':
                    if (i + 1 >= ere.Length)
                    {
                        error = "trailing backslash";
                        return false;
                    }

                    var escaped = ere[++i];
                    if (char.IsAsciiDigit(escaped) && escaped != delim)
                    {
                        error = "back-references are not part of an ERE";
                        return false;
                    }

                    sb.Append(Regex.Escape(escaped.ToString()));
                    break;
                case '[':
                    if (!TryTranslateBracket(ere, ref i, sb, out error))
                    {
                        return false;
                    }

                    break;
                case '(':
                    if (i + 1 < ere.Length && ere[i + 1] == '?')
                    {
                        error = "'(?' is not ERE syntax";
                        return false;
                    }

                    sb.Append('(');
                    break;
                case ')' or '|' or '*' or '+' or '?' or '.' or '^' or '$':
                    sb.Append(c);
                    break;
                case '{':
                    var close = ere.IndexOf('}', i);
                    var body = close > i ? ere[(i + 1)..close] : "";
                    if (close > i && IsInterval(body))
                    {
                        sb.Append('{').Append(body).Append('}');
                        i = close;
                    }
                    else
                    {
                        sb.Append(@"\{");
                    }

                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        pattern = sb.ToString();
        error = null;
        return true;
    }

    private static bool IsInterval(string body)
    {
        var parts = body.Split(',');
        return parts.Length is 1 or 2 && parts[0].Length is > 0 and <= 3 && parts[0].All(char.IsAsciiDigit)
            && (parts.Length == 1 || (parts[1].Length <= 3 && parts[1].All(char.IsAsciiDigit)));
    }

    private static bool TryTranslateBracket(string ere, ref int i, StringBuilder sb, [NotNullWhen(false)] out string? error)
    {
        var j = i + 1;
        sb.Append('[');
        if (j < ere.Length && ere[j] == '^')
        {
            sb.Append('^');
            j++;
        }

        var first = true;
        while (j < ere.Length)
        {
            var c = ere[j];
            if (c == ']' && !first)
            {
                sb.Append(']');
                i = j;
                error = null;
                return true;
            }

            first = false;
            if (c == '[' && j + 1 < ere.Length && ere[j + 1] is ':' or '.' or '=')
            {
                var kind = ere[j + 1];
                var end = ere.IndexOf(kind + "]", j + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    error = "unterminated [: :] in bracket expression";
                    return false;
                }

                if (kind != ':')
                {
                    error = "collating elements and equivalence classes are not supported";
                    return false;
                }

                var cls = ere[(j + 2)..end] switch
                {
                    "digit" => "0-9",
                    "alpha" => "A-Za-z",
                    "alnum" => "0-9A-Za-z",
                    "upper" => "A-Z",
                    "lower" => "a-z",
                    "xdigit" => "0-9A-Fa-f",
                    "space" => @" \t\n\r\f\v",
                    "blank" => @" \t",
                    "punct" => @"!-/:-@\[-`{-~",
                    "print" => @" -~",
                    "graph" => @"!-~",
                    "cntrl" => @"\x00-\x1F\x7F",
                    _ => null,
                };
                if (cls is null)
                {
                    error = $"unknown character class [:{ere[(j + 2)..end]}:]";
                    return false;
                }

                sb.Append(cls);
                j = end + 2;
                continue;
            }

            // Inside a POSIX bracket only ']' '^' '-' are special; escape what .NET would read otherwise.
            sb.Append(c switch
            {
                '\\' => @"\\",
                '[' => @"\[",
                ']' => @"\]",
                _ => c.ToString(),
            });
            j++;
        }

        error = "unterminated bracket expression";
        return false;
    }
}

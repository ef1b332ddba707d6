using System.Text;

namespace Cpm.Interwork.Dns.Wire;

/// <summary>
/// Domain names as text: labels joined by '.', no trailing dot, the root is "". A '.' or '\' inside a
/// label is written "\." / "\\", other octets outside 0x21–0x7E as "\DDD" (RFC 1035 §5.1 master-file
/// escapes), so every name read from the wire can be written back unchanged.
/// </summary>
public static class DnsName
{
    public const int MaxWireLength = 255;
    public const int MaxLabelLength = 63;

    /// <summary>ASCII case-insensitive comparison (RFC 4343), ignoring one trailing dot on either side.</summary>
    public static bool EqualsIgnoreCase(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        return string.Equals(TrimDot(a), TrimDot(b), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Lower-case (ASCII) and without a trailing dot: the key form used by caches and tables.</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TrimDot(name).ToLowerInvariant();
    }

    private static string TrimDot(string s)
    {
        if (s == ".")
        {
            return "";
        }

        return s.Length > 1 && s[^1] == '.' && s[^2] != '\\' ? s[..^1] : s;
    }

    internal static void AppendLabel(StringBuilder sb, ReadOnlySpan<byte> label)
    {
        if (sb.Length > 0)
        {
            sb.Append('.');
        }

        foreach (var b in label)
        {
            if (b is (byte)'.' or (byte)'\\')
            {
                sb.Append('\\').Append((char)b);
            }
            else if (b is > 0x20 and < 0x7F)
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('\\').Append(((int)b).ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>
    /// Splits a text name into wire labels, undoing the escapes. Returns false (with a reason) when a
    /// label is empty or longer than 63 octets, an escape is malformed, or the name exceeds 255 octets.
    /// </summary>
    public static bool TryGetLabels(string name, out List<byte[]> labels, out string? error)
    {
        ArgumentNullException.ThrowIfNull(name);
        labels = [];
        error = null;
        var text = TrimDot(name);
        if (text.Length == 0)
        {
            return true;
        }

        var current = new List<byte>(MaxLabelLength);
        var wireLength = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '.')
            {
                if (!FinishLabel(current, labels, ref wireLength, out error))
                {
                    return false;
                }

                continue;
            }

            if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    error = "dangling escape";
                    return false;
                }

                if (char.IsAsciiDigit(text[i + 1]))
                {
                    if (i + 3 >= text.Length || !char.IsAsciiDigit(text[i + 2]) || !char.IsAsciiDigit(text[i + 3]))
                    {
                        error = "bad \\DDD escape";
                        return false;
                    }

                    var v = ((text[i + 1] - '0') * 100) + ((text[i + 2] - '0') * 10) + (text[i + 3] - '0');
                    if (v > 255)
                    {
                        error = "bad \\DDD escape";
                        return false;
                    }

                    current.Add((byte)v);
                    i += 3;
                    continue;
                }

                c = text[++i];
            }

            if (c > 0x7F)
            {
                error = "non-ASCII character (use the A-label form)";
                return false;
            }

            current.Add((byte)c);
        }

        return FinishLabel(current, labels, ref wireLength, out error);
    }

    private static bool FinishLabel(List<byte> current, List<byte[]> labels, ref int wireLength, out string? error)
    {
        error = null;
        if (current.Count == 0)
        {
            error = "empty label";
            return false;
        }

        if (current.Count > MaxLabelLength)
        {
            error = "label longer than 63 octets";
            return false;
        }

        wireLength += current.Count + 1;
        if (wireLength > MaxWireLength)
        {
            error = "name longer than 255 octets";
            return false;
        }

        labels.Add([.. current]);
        current.Clear();
        return true;
    }
}

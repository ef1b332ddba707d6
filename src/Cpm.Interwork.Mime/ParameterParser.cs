using System.Text;

namespace Cpm.Interwork.Mime;

/// <summary>MIME parameter list parsing incl. RFC 2231 continuations and charsets.</summary>
internal static class ParameterParser
{
    /// <summary>Parameters read from one header (continuation segments count singly); the rest are ignored, which
    /// bounds the work a hostile header can cause.</summary>
    public const int MaxParameters = 64;

    public static Dictionary<string, string> Parse(ReadOnlySpan<char> s)
    {
        var raw = new List<(string Name, string Value, bool Quoted)>();
        var i = 0;
        while (i < s.Length && raw.Count < MaxParameters)
        {
            while (i < s.Length && (s[i] == ';' || char.IsWhiteSpace(s[i]))) { i++; }
            var start = i;
            while (i < s.Length && s[i] != '=' && s[i] != ';') { i++; }
            var name = s[start..i].Trim().ToString();
            if (i >= s.Length || s[i] != '=') { continue; }
            i++;
            while (i < s.Length && char.IsWhiteSpace(s[i])) { i++; }
            string value;
            var quoted = false;
            if (i < s.Length && s[i] == '"')
            {
                quoted = true;
                i++;
                var sb = new StringBuilder();
                while (i < s.Length && s[i] != '"')
                {
                    if (s[i] == '\\' && i + 1 < s.Length) { i++; }
                    sb.Append(s[i]);
                    i++;
                }
                i++;
                value = sb.ToString();
                while (i < s.Length && s[i] != ';' && !StartsParameter(s, i)) { i++; }
            }
            else
            {
                start = i;
                while (i < s.Length && s[i] != ';' && !StartsParameter(s, i)) { i++; }
                value = s[start..i].Trim().ToString();
            }
            if (name.Length > 0) { raw.Add((name, value, quoted)); }
        }
        return Rfc2231.Combine(raw);
    }

    // Lenient: a parameter that follows without its ";" (whitespace, then token "=") starts a new parameter,
    // as in the RFC 2231 §4.1 example as printed.
    private static bool StartsParameter(ReadOnlySpan<char> s, int i)
    {
        // only at the start of a whitespace run, so that the scan stays linear in the value length
        if (!char.IsWhiteSpace(s[i]) || (i > 0 && char.IsWhiteSpace(s[i - 1]))) { return false; }
        var j = i;
        while (j < s.Length && char.IsWhiteSpace(s[j])) { j++; }
        var k = j;
        while (k < s.Length && s[k] > ' ' && s[k] < 127 && s[k] is not ('=' or ';' or '"' or '(' or ')' or '<' or '>' or '@' or ',' or ':' or '\\' or '/' or '[' or ']' or '?')) { k++; }
        return k > j && k < s.Length && s[k] == '=';
    }

    /// <summary>Writes "; name=value" for each parameter: a token or quoted string when ASCII and short; RFC 2231
    /// extended values (charset UTF-8, %-encoded) for non-ASCII; RFC 2231 continuations (name*0, name*1…) when a
    /// value would make a line longer than about 70 characters.</summary>
    public static void Write(StringBuilder sb, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        foreach (var (k, v) in parameters)
        {
            var ascii = v.All(c => c >= 0x20 && c < 0x7F);
            if (ascii && v.Length + k.Length <= 64)
            {
                sb.Append("; ").Append(k).Append('=').Append(Quote(v));
                continue;
            }
            const int Segment = 48;
            if (ascii)
            {
                for (int i = 0, n = 0; i < v.Length; i += Segment, n++)
                {
                    sb.Append("; ").Append(k).Append('*').Append(n.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('=')
                      .Append(Quote(v.Substring(i, Math.Min(Segment, v.Length - i)), forceQuotes: true));
                }
                continue;
            }
            // percent-encode UTF-8, never splitting a %XX triplet across segments
            var encoded = new List<string>();
            var cur = new StringBuilder("utf-8''");
            foreach (var b in Encoding.UTF8.GetBytes(v))
            {
                var piece = IsAttributeChar(b) ? ((char)b).ToString() : "%" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture);
                if (cur.Length + piece.Length > Segment) { encoded.Add(cur.ToString()); cur.Clear(); }
                cur.Append(piece);
            }
            if (cur.Length > 0) { encoded.Add(cur.ToString()); }
            if (encoded.Count == 1) { sb.Append("; ").Append(k).Append("*=").Append(encoded[0]); continue; }
            for (var n = 0; n < encoded.Count; n++)
            {
                sb.Append("; ").Append(k).Append('*').Append(n.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("*=").Append(encoded[n]);
            }
        }
    }

    // RFC 2231 attribute-char: any token char except "*", "'", "%"
    private static bool IsAttributeChar(byte b) =>
        b > 0x20 && b < 0x7F && "()<>@,;:\\\"/[]?=*'%".IndexOf((char)b, StringComparison.Ordinal) < 0;

    public static string Quote(string v) => Quote(v, forceQuotes: false);

    public static string Quote(string v, bool forceQuotes)
    {
        if (!forceQuotes && v.Length > 0 && v.All(c => c > ' ' && c < 127 && "()<>@,;:\\\"/[]?=".IndexOf(c, StringComparison.Ordinal) < 0))
        {
            return v;
        }
        return "\"" + v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }
}

/// <summary>RFC 2231 parameter value continuations and charset/language decoding.</summary>
public static class Rfc2231
{
    internal static Dictionary<string, string> Combine(List<(string Name, string Value, bool Quoted)> raw)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var parts = new Dictionary<string, SortedDictionary<int, (string Value, bool Encoded)>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value, quoted) in raw)
        {
            var star = name.IndexOf('*', StringComparison.Ordinal);
            if (star < 0) { result.TryAdd(name, value); continue; }
            var baseName = name[..star];
            var rest = name[(star + 1)..];
            var encoded = rest.EndsWith('*') || rest.Length == 0;
            var numText = rest.TrimEnd('*');
            var n = numText.Length == 0 ? 0 : int.TryParse(numText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var k) ? k : 0;
            if (!parts.TryGetValue(baseName, out var d)) { parts[baseName] = d = []; }
            d.TryAdd(n, (value, encoded && !quoted));
        }
        foreach (var (name, d) in parts)
        {
            result[name] = Decode(d.Values.ToList());
        }
        return result;
    }

    private static string Decode(List<(string Value, bool Encoded)> segments)
    {
        Encoding enc = Encoding.ASCII;
        var bytes = new List<byte>();
        for (var i = 0; i < segments.Count; i++)
        {
            var (v, encoded) = segments[i];
            if (i == 0 && encoded)
            {
                var q1 = v.IndexOf('\'', StringComparison.Ordinal);
                var q2 = q1 < 0 ? -1 : v.IndexOf('\'', q1 + 1);
                if (q2 > 0)
                {
                    enc = EncodedWords.GetEncoding(v[..q1]) ?? Encoding.UTF8;
                    v = v[(q2 + 1)..];
                }
            }
            if (encoded) { bytes.AddRange(DecodePercent(v)); }
            else { bytes.AddRange(Encoding.Latin1.GetBytes(v)); }
        }
        return enc.GetString(bytes.ToArray());
    }

    /// <summary>Decodes one RFC 2231 extended value (charset'lang'%XX...).</summary>
    public static string DecodeValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Decode([(value, true)]);
    }

    private static List<byte> DecodePercent(string v)
    {
        var b = new List<byte>(v.Length);
        for (var i = 0; i < v.Length; i++)
        {
            if (v[i] == '%' && i + 2 < v.Length + 0 && i + 2 <= v.Length - 1 + 0 + 0 && Uri.IsHexDigit(v[i + 1]) && Uri.IsHexDigit(v[i + 2]))
            {
                b.Add(Convert.ToByte(v.Substring(i + 1, 2), 16));
                i += 2;
            }
            else { b.Add((byte)v[i]); }
        }
        return b;
    }
}

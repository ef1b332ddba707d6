using System.Text;
using System.Text.RegularExpressions;

namespace Cpm.Interwork.Mime;

/// <summary>RFC 2047 encoded words (B and Q), UTF-8 and registered code-page charsets.</summary>
public static partial class EncodedWords
{
    static EncodedWords() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [GeneratedRegex(@"=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=(?:[ \t\r\n]+(?==\?))?", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex WordRegex();

    public static Encoding? GetEncoding(string charset)
    {
        ArgumentNullException.ThrowIfNull(charset);
        var star = charset.IndexOf('*', StringComparison.Ordinal);
        if (star >= 0) { charset = charset[..star]; }
        try { return Encoding.GetEncoding(charset); }
        catch (ArgumentException) { return null; }
    }

    public static string Decode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Contains("=?", StringComparison.Ordinal)) { return value; }
        return WordRegex().Replace(value, m =>
        {
            var enc = GetEncoding(m.Groups[1].Value);
            if (enc is null) { return m.Value; }
            var text = m.Groups[3].Value;
            byte[] bytes;
            if (m.Groups[2].Value is "B" or "b")
            {
                var padded = text.PadRight((text.Length + 3) / 4 * 4, '=');
                try { bytes = Convert.FromBase64String(padded); }
                catch (FormatException) { return m.Value; }
            }
            else
            {
                var b = new List<byte>(text.Length);
                for (var i = 0; i < text.Length; i++)
                {
                    var c = text[i];
                    if (c == '_') { b.Add(0x20); }
                    else if (c == '=' && i + 2 < text.Length + 0 + 1 && i + 2 <= text.Length - 1 && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
                    {
                        b.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                        i += 2;
                    }
                    else { b.Add((byte)c); }
                }
                bytes = [.. b];
            }
            return enc.GetString(bytes);
        });
    }

    /// <summary>Encodes as UTF-8 encoded words when non-ASCII; Q when mostly ASCII, else B. Each word ≤ 75 chars.</summary>
    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.All(c => c >= 0x20 && c < 0x7F) && !value.Contains("=?", StringComparison.Ordinal)) { return value; }
        var nonAscii = value.Count(c => c >= 0x7F || c < 0x20);
        var useQ = nonAscii * 3 < value.Length;
        var words = new List<string>();
        var sb = new StringBuilder();
        var chunk = new StringBuilder();
        var runes = value.EnumerateRunes().ToList();
        var budget = useQ ? 63 : 45;
        var current = 0;
        foreach (var r in runes)
        {
            var rb = new byte[r.Utf8SequenceLength];
            r.EncodeToUtf8(rb);
            var cost = useQ ? rb.Sum(x => IsQSafe(x) ? 1 : 3) : rb.Length;
            if (current + cost > budget && chunk.Length > 0)
            {
                words.Add(Word(chunk.ToString(), useQ));
                chunk.Clear();
                current = 0;
            }
            chunk.Append(r.ToString());
            current += cost;
        }
        if (chunk.Length > 0) { words.Add(Word(chunk.ToString(), useQ)); }
        return string.Join(' ', words);
    }

    private static bool IsQSafe(byte b) => (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == ' ' || b is (byte)'!' or (byte)'*' or (byte)'+' or (byte)'-' or (byte)'/';

    private static string Word(string s, bool q)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        if (!q) { return "=?UTF-8?B?" + Convert.ToBase64String(bytes) + "?="; }
        var sb = new StringBuilder("=?UTF-8?Q?");
        foreach (var b in bytes)
        {
            if (b == ' ') { sb.Append('_'); }
            else if (IsQSafe(b)) { sb.Append((char)b); }
            else { sb.Append('=').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)); }
        }
        return sb.Append("?=").ToString();
    }
}

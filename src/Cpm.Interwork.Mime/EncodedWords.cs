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
        // UTF-7 is refused (the runtime does not support it, and it is a known filter-evasion vector)
        try { return Encoding.GetEncoding(charset); }
        catch (ArgumentException) { return null; }
        catch (NotSupportedException) { return null; }
    }

    public static string Decode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Contains("=?", StringComparison.Ordinal)) { return value; }
        try
        {
            return DecodeWords(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return value; // pathological input: leave it undecoded rather than fail
        }
    }

    private static string DecodeWords(string value)
    {
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

    /// <summary>Longest encoded word written (RFC 2047 §2 allows 75; shorter keeps folded lines within 78).</summary>
    public const int MaxWordLength = 60;

    /// <summary>Encodes as UTF-8 encoded words when non-ASCII; Q when mostly ASCII, else B. Each word ≤ 60 chars.</summary>
    public static string Encode(string value) => Encode(value, Encoding.UTF8);

    /// <summary>Encodes as encoded words in <paramref name="charset"/> (e.g. ISO-8859-1) only when the value needs it
    /// (non-ASCII, control characters, or text that would read as an encoded word). Q when mostly ASCII, else B;
    /// each word ≤ <see cref="MaxWordLength"/> characters and never splits a character.</summary>
    public static string Encode(string value, Encoding charset)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(charset);
        if (!NeedsEncoding(value)) { return value; }
        var nonAscii = value.Count(c => c >= 0x7F || c < 0x20);
        var useQ = nonAscii * 3 < value.Length;
        var name = charset.WebName.ToUpperInvariant();
        // words of at most 60 characters (RFC 2047 allows 75) so that "Header-Name: " plus one word fits in 78
        var budget = MaxWordLength - 7 - name.Length; // "=?" name "?X?" ... "?="
        var words = new List<string>();
        var chunk = new List<byte>();
        var current = 0;
        Span<byte> rb = stackalloc byte[16];
        Span<char> rc = stackalloc char[2];
        foreach (var r in value.EnumerateRunes())
        {
            var n = charset.GetBytes(rc[..r.EncodeToUtf16(rc)], rb);
            var cost = useQ ? Sum(rb[..n]) : n;
            var projected = useQ ? current + cost : (chunk.Count + n + 2) / 3 * 4;
            if (projected > budget && chunk.Count > 0)
            {
                words.Add(Word(chunk, name, useQ));
                chunk.Clear();
                current = 0;
            }
            foreach (var b in rb[..n]) { chunk.Add(b); }
            current += cost;
        }
        if (chunk.Count > 0) { words.Add(Word(chunk, name, useQ)); }
        return string.Join(' ', words);

        static int Sum(ReadOnlySpan<byte> bytes)
        {
            var t = 0;
            foreach (var b in bytes) { t += IsQSafe(b) ? 1 : 3; }
            return t;
        }
    }

    /// <summary>Encodes a display name (RFC 2047 §5(3) phrase rules) in UTF-8 when it needs encoding.</summary>
    public static string EncodePhrase(string value) => Encode(value, Encoding.UTF8);

    private static bool NeedsEncoding(string value) =>
        value.Any(c => c < 0x20 || c >= 0x7F) || value.Contains("=?", StringComparison.Ordinal);

    private static bool IsQSafe(byte b) => (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == ' ' || b is (byte)'!' or (byte)'*' or (byte)'+' or (byte)'-' or (byte)'/';

    private static string Word(List<byte> bytes, string charset, bool q)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes);
        if (!q) { return "=?" + charset + "?B?" + Convert.ToBase64String(span) + "?="; }
        var sb = new StringBuilder("=?").Append(charset).Append("?Q?");
        foreach (var b in span)
        {
            if (b == ' ') { sb.Append('_'); }
            else if (IsQSafe(b)) { sb.Append((char)b); }
            else { sb.Append('=').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)); }
        }
        return sb.Append("?=").ToString();
    }
}

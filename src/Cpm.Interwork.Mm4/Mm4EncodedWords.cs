using System.Text;

namespace Cpm.Interwork.Mm4;

/// <summary>
/// RFC 2047 encoding for the values we write (Subject, X-Mms-Status-Text, display names): UTF-8, Q when mostly ASCII,
/// else B, each encoded word at most 58 characters, so that "Subject: " plus one word stays within the 76-character
/// line limit of RFC 2047 §2 and folding never has to split a line right after the colon. Reading uses
/// <see cref="Cpm.Interwork.Mime.EncodedWords.Decode"/>.
/// </summary>
internal static class Mm4EncodedWords
{
    private const int QBudget = 46; // encoded chars per Q word: 10 + 46 + 2 = 58
    private const int BBudget = 33; // bytes per B word: 44 base64 chars, 10 + 44 + 2 = 56

    public static bool NeedsEncoding(string value) =>
        value.Any(c => c < 0x20 || c >= 0x7F) || value.Contains("=?", StringComparison.Ordinal);

    public static string Encode(string value)
    {
        if (!NeedsEncoding(value)) { return value; }
        var unsafeChars = value.Count(c => c < 0x20 || c >= 0x7F);
        var useQ = unsafeChars * 3 < value.Length;
        var words = new List<string>();
        var chunk = new List<byte>();
        var cost = 0;
        Span<byte> rb = stackalloc byte[4];
        foreach (var r in value.EnumerateRunes())
        {
            var n = r.EncodeToUtf8(rb);
            var c = 0;
            for (var i = 0; i < n; i++) { c += useQ ? (IsQSafe(rb[i]) ? 1 : 3) : 1; }
            if (cost + c > (useQ ? QBudget : BBudget) && chunk.Count > 0)
            {
                words.Add(Word(chunk, useQ));
                chunk.Clear();
                cost = 0;
            }
            for (var i = 0; i < n; i++) { chunk.Add(rb[i]); }
            cost += c;
        }
        if (chunk.Count > 0) { words.Add(Word(chunk, useQ)); }
        return string.Join(' ', words);
    }

    /// <summary>RFC 2047 §5(3): characters allowed literally in a Q word in any position (space is written as '_').</summary>
    private static bool IsQSafe(byte b) => char.IsAsciiLetterOrDigit((char)b) || b is (byte)' ' or (byte)'!' or (byte)'*' or (byte)'+' or (byte)'-' or (byte)'/';

    private static string Word(List<byte> bytes, bool q)
    {
        if (!q) { return "=?UTF-8?B?" + Convert.ToBase64String(bytes.ToArray()) + "?="; }
        var sb = new StringBuilder("=?UTF-8?Q?", 60);
        foreach (var b in bytes)
        {
            if (b == ' ') { sb.Append('_'); }
            else if (IsQSafe(b)) { sb.Append((char)b); }
            else { sb.Append('=').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)); }
        }
        return sb.Append("?=").ToString();
    }
}

using System.Text;

namespace Cpm.Interwork.Sip;

/// <summary>A (start, length) slice of a header value; start -1 means absent.</summary>
internal readonly record struct Slice(int Start, int Length)
{
    public static readonly Slice None = new(-1, 0);
    public bool IsPresent => Start >= 0;
    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> s) => Start < 0 ? default : s.Slice(Start, Length);
    public string? ToText(ReadOnlySpan<byte> s) => Start < 0 ? null : SipGrammar.Text(s.Slice(Start, Length));
}

/// <summary>
/// Readers for the RFC 3261 §25 grammar over raw header bytes. Values may contain folded LWS (CRLF WSP),
/// which every LWS skip treats as white space. Each reader advances <c>pos</c> only on success.
/// </summary>
internal static class SipGrammar
{
    /// <summary>Decodes header bytes as UTF-8 (RFC 3261 §7.3.1: TEXT-UTF8), unfolding CRLF WSP to one space.</summary>
    public static string Text(ReadOnlySpan<byte> s)
    {
        if (s.IndexOfAny((byte)'\r', (byte)'\n') < 0) { return Encoding.UTF8.GetString(s); }
        var buffer = new byte[s.Length];
        var n = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var b = s[i];
            if (b is (byte)'\r' or (byte)'\n')
            {
                while (i + 1 < s.Length && SipCharacters.IsLws(s[i + 1])) { i++; }
                if (n > 0 && buffer[n - 1] != (byte)' ') { buffer[n++] = (byte)' '; }
                continue;
            }
            buffer[n++] = b;
        }
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    public static void SkipLws(ReadOnlySpan<byte> s, ref int pos)
    {
        while (pos < s.Length && SipCharacters.IsLws(s[pos])) { pos++; }
    }

    /// <summary>Skips SWS, then expects <paramref name="c"/>, then skips SWS (RFC 3261 §25.1 SEMI, COLON, SLASH, EQUAL, COMMA).</summary>
    public static bool TryReadSeparator(ReadOnlySpan<byte> s, ref int pos, byte c)
    {
        var p = pos;
        SkipLws(s, ref p);
        if (p >= s.Length || s[p] != c) { return false; }
        p++;
        SkipLws(s, ref p);
        pos = p;
        return true;
    }

    public static bool TryReadToken(ReadOnlySpan<byte> s, ref int pos, out Slice token)
    {
        var rest = s[pos..];
        var n = rest.IndexOfAnyExcept(SipCharacters.Token);
        if (n < 0) { n = rest.Length; }
        if (n == 0) { token = Slice.None; return false; }
        token = new Slice(pos, n);
        pos += n;
        return true;
    }

    public static int CountOf(ReadOnlySpan<byte> s, int pos, System.Buffers.SearchValues<byte> set)
    {
        var n = s[pos..].IndexOfAnyExcept(set);
        return n < 0 ? s.Length - pos : n;
    }

    /// <summary>quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE; the slice includes the quotes.</summary>
    public static bool TryReadQuotedString(ReadOnlySpan<byte> s, ref int pos, out Slice quoted)
    {
        quoted = Slice.None;
        if (pos >= s.Length || s[pos] != (byte)'"') { return false; }
        for (var i = pos + 1; i < s.Length; i++)
        {
            var b = s[i];
            if (b == (byte)'\\')
            {
                // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
                if (i + 1 >= s.Length || s[i + 1] is (byte)'\r' or (byte)'\n' || s[i + 1] > 0x7F) { return false; }
                i++;
                continue;
            }
            if (b == (byte)'"')
            {
                quoted = new Slice(pos, i + 1 - pos);
                pos = i + 1;
                return true;
            }
            if (b == (byte)'\r')
            {
                // Folding inside a quoted string is LWS; a bare CR is not allowed.
                if (i + 2 < s.Length && s[i + 1] == (byte)'\n' && SipCharacters.IsWsp(s[i + 2])) { i++; continue; }
                return false;
            }
            if (b < 0x20 && b != (byte)'\t') { return false; }
        }
        return false;
    }

    /// <summary>Removes the quotes and the backslashes of quoted-pairs.</summary>
    public static string Unquote(ReadOnlySpan<byte> quoted)
    {
        var inner = quoted[1..^1];
        if (inner.IndexOf((byte)'\\') < 0) { return Text(inner); }
        var buffer = new byte[inner.Length];
        var n = 0;
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == (byte)'\\' && i + 1 < inner.Length) { i++; }
            buffer[n++] = inner[i];
        }
        return Text(buffer.AsSpan(0, n));
    }

    /// <summary>
    /// generic-param = token [ EQUAL gen-value ]; gen-value = token / host / quoted-string (RFC 3261 §25.1),
    /// read after a SEMI. Host values ([IPv6]) and tokens share the reader; the value slice keeps quotes.
    /// </summary>
    public static bool TryReadGenericParam(ReadOnlySpan<byte> s, ref int pos, out Slice name, out Slice value)
    {
        value = Slice.None;
        var p = pos;
        if (!TryReadToken(s, ref p, out name)) { return false; }
        var q = p;
        if (TryReadSeparator(s, ref q, (byte)'='))
        {
            if (q < s.Length && s[q] == (byte)'"')
            {
                if (!TryReadQuotedString(s, ref q, out value)) { return false; }
            }
            else
            {
                var n = CountOf(s, q, SipCharacters.GenValue);
                if (n == 0) { return false; }
                value = new Slice(q, n);
                q += n;
            }
            p = q;
        }
        pos = p;
        return true;
    }

    /// <summary>Reads *( SEMI generic-param ) and returns the end; false on a malformed parameter.</summary>
    public static bool TryReadParams(ReadOnlySpan<byte> s, ref int pos, out Slice all)
    {
        var start = pos;
        var p = pos;
        var lastEnd = pos;
        while (true)
        {
            var q = p;
            if (!TryReadSeparator(s, ref q, (byte)';')) { break; }
            if (!TryReadGenericParam(s, ref q, out _, out _)) { all = Slice.None; return false; }
            p = q;
            lastEnd = q;
        }
        pos = lastEnd;
        all = new Slice(start, lastEnd - start);
        return true;
    }

    /// <summary>Index of the next top-level comma (outside quoted strings and angle brackets), or -1.</summary>
    public static int IndexOfTopLevelComma(ReadOnlySpan<byte> s, int pos)
    {
        var angle = 0;
        for (var i = pos; i < s.Length; i++)
        {
            switch (s[i])
            {
                case (byte)'"':
                    var q = i;
                    if (!TryReadQuotedString(s, ref q, out _)) { return -1; }
                    i = q - 1;
                    break;
                case (byte)'<': angle++; break;
                case (byte)'>': if (angle > 0) { angle--; } break;
                case (byte)',' when angle == 0: return i;
            }
        }
        return -1;
    }

    /// <summary>Splits a list header value at top-level commas, trimming LWS; empty elements are dropped.</summary>
    public static List<string> SplitList(ReadOnlySpan<byte> s)
    {
        var result = new List<string>();
        var pos = 0;
        while (pos <= s.Length)
        {
            var comma = IndexOfTopLevelComma(s, pos);
            var end = comma < 0 ? s.Length : comma;
            var item = Trim(s[pos..end]);
            if (!item.IsEmpty) { result.Add(Text(item)); }
            if (comma < 0) { break; }
            pos = comma + 1;
        }
        return result;
    }

    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s)
    {
        var a = 0;
        while (a < s.Length && SipCharacters.IsLws(s[a])) { a++; }
        var b = s.Length;
        while (b > a && SipCharacters.IsLws(s[b - 1])) { b--; }
        return s[a..b];
    }

    /// <summary>Parses 1*DIGIT into a non-negative long, rejecting overflow beyond <paramref name="max"/>.</summary>
    public static bool TryParseDigits(ReadOnlySpan<byte> s, long max, out long value)
    {
        value = 0;
        if (s.IsEmpty) { return false; }
        foreach (var b in s)
        {
            if (!SipCharacters.IsDigit(b)) { return false; }
            value = (value * 10) + (b - '0');
            if (value > max) { return false; }
        }
        return true;
    }
}

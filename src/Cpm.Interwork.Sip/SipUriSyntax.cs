using System.Net;
using System.Net.Sockets;

namespace Cpm.Interwork.Sip;

/// <summary>Which kind of URI a Request-URI or addr-spec is.</summary>
internal enum UriKind : byte { Invalid, Sip, Sips, Tel, Other, UnsupportedScheme }

internal ref struct SipUriParts
{
    public bool Secure;
    public Slice User;
    public Slice Password;
    public Slice Host;
    public int Port;
    public Slice Params;
    public Slice Headers;
}

/// <summary>URI grammar of RFC 3261 §19.1 / §25.1, RFC 3966 (tel) and RFC 5118 (IPv6 references), over bytes.</summary>
internal static class SipUriSyntax
{
    public static UriKind Classify(ReadOnlySpan<byte> s) => Classify(s, out _);

    /// <summary>Classifies and validates a URI; <paramref name="sipHeaders"/> is the '?' part of a SIP URI.</summary>
    public static UriKind Classify(ReadOnlySpan<byte> s, out Slice sipHeaders)
    {
        sipHeaders = Slice.None;
        var colon = s.IndexOf((byte)':');
        if (colon <= 0 || !SipCharacters.IsAlpha(s[0])) { return UriKind.Invalid; }
        var scheme = s[..colon];
        if (scheme.IndexOfAnyExcept(SipCharacters.Scheme) >= 0) { return UriKind.Invalid; }
        if (System.Text.Ascii.EqualsIgnoreCase(scheme, "sip"u8) || System.Text.Ascii.EqualsIgnoreCase(scheme, "sips"u8))
        {
            if (!TryParseSip(s, out var parts)) { return UriKind.Invalid; }
            sipHeaders = parts.Headers;
            return parts.Secure ? UriKind.Sips : UriKind.Sip;
        }
        if (System.Text.Ascii.EqualsIgnoreCase(scheme, "tel"u8)) { return TryParseTel(s, out _, out _) ? UriKind.Tel : UriKind.Invalid; }
        var rest = s[(colon + 1)..];
        return rest.IsEmpty || rest.IndexOfAnyExcept(SipCharacters.AbsoluteUri) >= 0 ? UriKind.Invalid : UriKind.Other;
    }

    /// <summary>SIP-URI / SIPS-URI = scheme ":" [ userinfo ] hostport uri-parameters [ headers ] (RFC 3261 §25.1).</summary>
    public static bool TryParseSip(ReadOnlySpan<byte> s, out SipUriParts parts)
    {
        parts = default;
        parts.User = parts.Password = parts.Params = parts.Headers = Slice.None;
        parts.Port = -1;
        int pos;
        if (s.Length > 4 && System.Text.Ascii.EqualsIgnoreCase(s[..4], "sip:"u8)) { pos = 4; }
        else if (s.Length > 5 && System.Text.Ascii.EqualsIgnoreCase(s[..5], "sips:"u8)) { pos = 5; parts.Secure = true; }
        else { return false; }

        var at = s[pos..].IndexOf((byte)'@');
        if (at >= 0)
        {
            var userinfo = s.Slice(pos, at);
            var colon = userinfo.IndexOf((byte)':');
            var user = colon < 0 ? userinfo : userinfo[..colon];
            if (user.IsEmpty || user.IndexOfAnyExcept(SipCharacters.User) >= 0 || !EscapesValid(user)) { return false; }
            parts.User = new Slice(pos, user.Length);
            if (colon >= 0)
            {
                var password = userinfo[(colon + 1)..];
                if (password.IndexOfAnyExcept(SipCharacters.Password) >= 0 || !EscapesValid(password)) { return false; }
                parts.Password = new Slice(pos + colon + 1, password.Length);
            }
            pos += at + 1;
        }

        if (!TryReadHostPort(s, ref pos, out parts.Host, out parts.Port)) { return false; }

        var paramStart = pos;
        while (pos < s.Length && s[pos] == (byte)';')
        {
            pos++;
            var n = SipGrammar.CountOf(s, pos, SipCharacters.ParamChar);
            if (n == 0) { return false; }
            var eq = pos + n;
            if (eq < s.Length && s[eq] == (byte)'=')
            {
                var m = SipGrammar.CountOf(s, eq + 1, SipCharacters.ParamChar);
                if (m == 0) { return false; }
                n += 1 + m;
            }
            if (!EscapesValid(s.Slice(pos, n))) { return false; }
            pos += n;
        }
        if (pos > paramStart) { parts.Params = new Slice(paramStart + 1, pos - paramStart - 1); }

        if (pos < s.Length && s[pos] == (byte)'?')
        {
            pos++;
            var headerStart = pos;
            while (true)
            {
                var n = SipGrammar.CountOf(s, pos, SipCharacters.HeaderChar);
                if (n == 0 || pos + n >= s.Length || s[pos + n] != (byte)'=') { return false; }
                pos += n + 1;
                pos += SipGrammar.CountOf(s, pos, SipCharacters.HeaderChar);
                if (pos < s.Length && s[pos] == (byte)'&') { pos++; continue; }
                break;
            }
            parts.Headers = new Slice(headerStart, pos - headerStart);
        }
        return pos == s.Length;
    }

    /// <summary>hostport = host [ ":" port ]; host = hostname / IPv4address / IPv6reference (RFC 3261 §25.1, RFC 5118).</summary>
    public static bool TryReadHostPort(ReadOnlySpan<byte> s, ref int pos, out Slice host, out int port)
    {
        host = Slice.None;
        port = -1;
        var p = pos;
        if (p < s.Length && s[p] == (byte)'[')
        {
            var close = s[p..].IndexOf((byte)']');
            if (close < 0 || !IsIPv6(s.Slice(p + 1, close - 1))) { return false; }
            host = new Slice(p, close + 1);
            p += close + 1;
        }
        else
        {
            var n = SipGrammar.CountOf(s, p, SipCharacters.HostName);
            if (n == 0) { return false; }
            host = new Slice(p, n);
            p += n;
        }
        if (p < s.Length && s[p] == (byte)':')
        {
            var n = 0;
            while (p + 1 + n < s.Length && SipCharacters.IsDigit(s[p + 1 + n])) { n++; }
            if (n == 0 || !SipGrammar.TryParseDigits(s.Slice(p + 1, n), 65535, out var value)) { return false; }
            port = (int)value;
            p += 1 + n;
        }
        pos = p;
        return true;
    }

    public static bool IsIPv6(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty || s.Length > 45 || s.IndexOfAnyExcept(SipCharacters.IPv6) >= 0 || s.IndexOf((byte)':') < 0) { return false; }
        Span<char> chars = stackalloc char[s.Length];
        for (var i = 0; i < s.Length; i++) { chars[i] = (char)s[i]; }
        if (IPAddress.TryParse(chars, out var a) && a.AddressFamily == AddressFamily.InterNetworkV6) { return true; }
        // RFC 5118 §4.10: RFC 3261's ABNF (from RFC 2373) derives ":::" before an embedded IPv4 address; tolerate exactly
        // that one construct by rewriting it to "::" and re-checking with the RFC 4291 parser.
        var triple = chars.IndexOf(":::");
        if (triple < 0 || chars[(triple + 3)..].IndexOf(':') >= 0 || chars[(triple + 3)..].IndexOf('.') < 0) { return false; }
        Span<char> fixedUp = stackalloc char[chars.Length - 1];
        chars[..(triple + 2)].CopyTo(fixedUp);
        chars[(triple + 3)..].CopyTo(fixedUp[(triple + 2)..]);
        return IPAddress.TryParse(fixedUp, out a) && a.AddressFamily == AddressFamily.InterNetworkV6;
    }

    /// <summary>telephone-uri = "tel:" telephone-subscriber *par (RFC 3966 §3).</summary>
    public static bool TryParseTel(ReadOnlySpan<byte> s, out Slice number, out Slice parameters)
    {
        number = parameters = Slice.None;
        if (s.Length <= 4 || !System.Text.Ascii.EqualsIgnoreCase(s[..4], "tel:"u8)) { return false; }
        var pos = 4;
        var semi = s[pos..].IndexOf((byte)';');
        var end = semi < 0 ? s.Length : pos + semi;
        var digits = s[pos..end];
        if (digits.IsEmpty) { return false; }
        if (digits[0] == (byte)'+')
        {
            var d = digits[1..];
            if (d.IndexOfAnyExcept(SipCharacters.PhoneDigit) >= 0 || d.IndexOfAnyInRange((byte)'0', (byte)'9') < 0) { return false; }
        }
        else if (digits.IndexOfAnyExcept(SipCharacters.PhoneDigitHex) >= 0 || digits.IndexOfAnyExcept("-.()"u8) < 0)
        {
            return false;
        }
        number = new Slice(pos, digits.Length);
        if (semi >= 0)
        {
            var p = end;
            while (p < s.Length && s[p] == (byte)';')
            {
                p++;
                var n = SipGrammar.CountOf(s, p, SipCharacters.ParamChar);
                if (n == 0) { return false; }
                p += n;
                if (p < s.Length && s[p] == (byte)'=')
                {
                    var m = SipGrammar.CountOf(s, p + 1, SipCharacters.ParamChar);
                    if (m == 0) { return false; }
                    p += 1 + m;
                }
            }
            if (p != s.Length) { return false; }
            parameters = new Slice(end + 1, s.Length - end - 1);
        }
        return true;
    }

    /// <summary>escaped = "%" HEXDIG HEXDIG (RFC 3261 §25.1).</summary>
    public static bool EscapesValid(ReadOnlySpan<byte> s)
    {
        var i = s.IndexOf((byte)'%');
        while (i >= 0)
        {
            if (i + 2 >= s.Length || !char.IsAsciiHexDigit((char)s[i + 1]) || !char.IsAsciiHexDigit((char)s[i + 2])) { return false; }
            var next = s[(i + 3)..].IndexOf((byte)'%');
            i = next < 0 ? -1 : i + 3 + next;
        }
        return true;
    }
}

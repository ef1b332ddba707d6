using System.Buffers;

namespace Cpm.Interwork.Sip;

/// <summary>Character classes of the SIP grammar (RFC 3261 §25.1) as <see cref="SearchValues{T}"/>.</summary>
internal static class SipCharacters
{
    private const string Alphanum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") (§25.1).</summary>
    public static readonly SearchValues<byte> Token = SearchValues.Create(Bytes(Alphanum + "-.!%*_+`'~"));

    /// <summary>word = 1*(token chars / "(" / ")" / "&lt;" / "&gt;" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}") (§25.1), used by Call-ID.</summary>
    public static readonly SearchValues<byte> Word = SearchValues.Create(Bytes(Alphanum + "-.!%*_+`'~()<>:\\\"/[]?{}"));

    /// <summary>unreserved = alphanum / mark; mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")" (§25.1).</summary>
    public static readonly SearchValues<byte> Unreserved = SearchValues.Create(Bytes(Alphanum + "-_.!~*'()"));

    /// <summary>user = 1*(unreserved / escaped / user-unreserved); user-unreserved = "&amp;" / "=" / "+" / "$" / "," / ";" / "?" / "/" (§25.1). '%' admits escapes.</summary>
    public static readonly SearchValues<byte> User = SearchValues.Create(Bytes(Alphanum + "-_.!~*'()" + "&=+$,;?/" + "%"));

    /// <summary>password = *(unreserved / escaped / "&amp;" / "=" / "+" / "$" / ",") (§25.1).</summary>
    public static readonly SearchValues<byte> Password = SearchValues.Create(Bytes(Alphanum + "-_.!~*'()" + "&=+$," + "%"));

    /// <summary>paramchar = param-unreserved / unreserved / escaped; param-unreserved = "[" / "]" / "/" / ":" / "&amp;" / "+" / "$" (§25.1).</summary>
    public static readonly SearchValues<byte> ParamChar = SearchValues.Create(Bytes(Alphanum + "-_.!~*'()" + "[]/:&+$" + "%"));

    /// <summary>hname/hvalue chars = hnv-unreserved / unreserved / escaped; hnv-unreserved = "[" / "]" / "/" / "?" / ":" / "+" / "$" (§25.1).</summary>
    public static readonly SearchValues<byte> HeaderChar = SearchValues.Create(Bytes(Alphanum + "-_.!~*'()" + "[]/?:+$" + "%"));

    /// <summary>hostname / IPv4address characters (§25.1): alphanum, "-" and ".".</summary>
    public static readonly SearchValues<byte> HostName = SearchValues.Create(Bytes(Alphanum + "-."));

    /// <summary>IPv6reference content: HEXDIG, ":" and "." (§25.1).</summary>
    public static readonly SearchValues<byte> IPv6 = SearchValues.Create(Bytes("0123456789abcdefABCDEF:."));

    /// <summary>scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3261 §25.1, RFC 2396 §3.1).</summary>
    public static readonly SearchValues<byte> Scheme = SearchValues.Create(Bytes(Alphanum + "+-."));

    /// <summary>Characters allowed in an absoluteURI after the scheme (RFC 2396 uric plus "#" and "%").</summary>
    public static readonly SearchValues<byte> AbsoluteUri = SearchValues.Create(Bytes(Alphanum + "-_.!~*'()" + ";/?:@&=+$,%#[]"));

    /// <summary>phonedigit = DIGIT / visual-separator; visual-separator = "-" / "." / "(" / ")" (RFC 3966 §3).</summary>
    public static readonly SearchValues<byte> PhoneDigit = SearchValues.Create(Bytes("0123456789-.()"));

    /// <summary>phonedigit-hex = HEXDIG / "*" / "#" / visual-separator (RFC 3966 §3).</summary>
    public static readonly SearchValues<byte> PhoneDigitHex = SearchValues.Create(Bytes("0123456789abcdefABCDEF*#-.()"));

    /// <summary>gen-value = token / host / quoted-string (§25.1): unquoted values are token or host characters (":" and "[]" for IPv6).</summary>
    public static readonly SearchValues<byte> GenValue = SearchValues.Create(Bytes(Alphanum + "-.!%*_+`'~" + ":[]"));

    /// <summary>WSP and the CR/LF of folded LWS (§25.1: LWS = [*WSP CRLF] 1*WSP).</summary>
    public static readonly SearchValues<byte> Lws = SearchValues.Create(" \t\r\n"u8);

    private static byte[] Bytes(string s)
    {
        var b = new byte[s.Length];
        for (var i = 0; i < s.Length; i++) { b[i] = (byte)s[i]; }
        return b;
    }

    public static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
    public static bool IsAlpha(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';
    public static bool IsWsp(byte b) => b is (byte)' ' or (byte)'\t';
    public static bool IsLws(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}

using System.Text;

namespace Cpm.Interwork.Sip;

/// <summary>
/// A parsed sip: or sips: URI (RFC 3261 §19.1): user and password kept escaped as written, host (IPv6 references
/// keep their brackets, RFC 5118), optional port, uri-parameters and headers. Immutable; <see cref="ToString"/> is the original text.
/// </summary>
public sealed class SipUri
{
    private readonly string _text;

    private SipUri(string text, ReadOnlySpan<byte> s, in SipUriParts p)
    {
        _text = text;
        IsSecure = p.Secure;
        User = p.User.ToText(s);
        Password = p.Password.ToText(s);
        Host = p.Host.ToText(s)!;
        Port = p.Port >= 0 ? p.Port : null;
        Parameters = p.Params.IsPresent ? SipParameters.FromUriPart(p.Params.Of(s), (byte)';') : SipParameters.Empty;
        Headers = p.Headers.IsPresent ? SipParameters.FromUriPart(p.Headers.Of(s), (byte)'&') : SipParameters.Empty;
    }

    /// <summary>"sips" when <see cref="IsSecure"/>, else "sip".</summary>
    public string Scheme => IsSecure ? "sips" : "sip";
    /// <summary>True for sips:.</summary>
    public bool IsSecure { get; }
    /// <summary>The user part as written (escapes not decoded), or null.</summary>
    public string? User { get; }
    /// <summary>The password as written, or null.</summary>
    public string? Password { get; }
    /// <summary>Host as written; an IPv6 reference keeps its brackets (<c>[2001:db8::10]</c>).</summary>
    public string Host { get; }
    /// <summary>True when <see cref="Host"/> is an IPv6 reference.</summary>
    public bool IsIPv6Reference => Host.StartsWith('[');
    /// <summary>The port, or null when absent.</summary>
    public int? Port { get; }
    /// <summary>uri-parameters in order (<c>user</c>, <c>transport</c>, <c>lr</c>, …).</summary>
    public SipParameters Parameters { get; }
    /// <summary>URI headers after '?', in order.</summary>
    public SipParameters Headers { get; }
    /// <summary>The <c>transport</c> parameter, or null.</summary>
    public string? Transport => Parameters["transport"];
    /// <summary>The <c>user</c> parameter (e.g. <c>phone</c>), or null.</summary>
    public string? UserParameter => Parameters["user"];
    /// <summary>True when the <c>lr</c> parameter is present (RFC 3261 §19.1.1).</summary>
    public bool IsLooseRouting => Parameters.Contains("lr");

    /// <summary>Parses a SIP or SIPS URI; false when the text is not one.</summary>
    public static bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SipUri? uri)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        return TryParse(bytes, text, out uri);
    }

    /// <summary>Parses a SIP or SIPS URI or throws <see cref="FormatException"/> (for URIs known to be valid, e.g. configuration).</summary>
    public static SipUri Parse(string text) =>
        TryParse(text, out var uri) ? uri : throw new FormatException($"Not a SIP URI: {text}");

    internal static bool TryParse(ReadOnlySpan<byte> s, string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SipUri? uri)
    {
        if (!SipUriSyntax.TryParseSip(s, out var parts)) { uri = null; return false; }
        uri = new SipUri(text ?? SipGrammar.Text(s), s, parts);
        return true;
    }

    /// <summary>The URI exactly as it was parsed.</summary>
    public override string ToString() => _text;

    /// <summary>
    /// Decodes %HH escapes (RFC 3261 §19.1.2) of a user, password or parameter as UTF-8; invalid escapes and invalid
    /// UTF-8 are kept / replaced rather than thrown, so a peer's value never causes an exception.
    /// </summary>
    public static string Unescape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Contains('%', StringComparison.Ordinal)) { return value; }
        var bytes = new List<byte>(value.Length);
        var utf8 = Encoding.UTF8.GetBytes(value);
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'%' && i + 2 < utf8.Length && char.IsAsciiHexDigit((char)utf8[i + 1]) && char.IsAsciiHexDigit((char)utf8[i + 2]))
            {
                bytes.Add((byte)((HexValue(utf8[i + 1]) << 4) | HexValue(utf8[i + 2])));
                i += 2;
            }
            else
            {
                bytes.Add(utf8[i]);
            }
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static int HexValue(byte c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/// <summary>
/// A parsed tel: URI (RFC 3966): the number as written (visual separators kept), whether it is global (+E.164),
/// the digits without separators, and the parameters. Immutable; <see cref="ToString"/> is the original text.
/// </summary>
public sealed class TelUri
{
    private readonly string _text;

    private TelUri(string text, string number, SipParameters parameters)
    {
        _text = text;
        Number = number;
        Parameters = parameters;
        var sb = new StringBuilder(number.Length);
        foreach (var c in number) { if (c is not ('-' or '.' or '(' or ')')) { sb.Append(c); } }
        Digits = sb.ToString();
    }

    /// <summary>The telephone-subscriber part as written, e.g. <c>+1-201-555-0123</c>.</summary>
    public string Number { get; }
    /// <summary>The number without visual separators, e.g. <c>+12015550123</c>.</summary>
    public string Digits { get; }
    /// <summary>True for a global number (starts with '+').</summary>
    public bool IsGlobal => Number.StartsWith('+');
    /// <summary>Parameters in order (<c>phone-context</c>, <c>ext</c>, <c>isub</c>, …).</summary>
    public SipParameters Parameters { get; }
    /// <summary>The <c>phone-context</c> parameter, or null.</summary>
    public string? PhoneContext => Parameters["phone-context"];

    /// <summary>Parses a tel: URI; false when the text is not one.</summary>
    public static bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TelUri? uri)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(Encoding.UTF8.GetBytes(text), text, out uri);
    }

    internal static bool TryParse(ReadOnlySpan<byte> s, string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TelUri? uri)
    {
        if (!SipUriSyntax.TryParseTel(s, out var number, out var parameters)) { uri = null; return false; }
        uri = new TelUri(text ?? SipGrammar.Text(s), number.ToText(s)!,
            parameters.IsPresent ? SipParameters.FromUriPart(parameters.Of(s), (byte)';') : SipParameters.Empty);
        return true;
    }

    /// <summary>The URI exactly as it was parsed.</summary>
    public override string ToString() => _text;
}

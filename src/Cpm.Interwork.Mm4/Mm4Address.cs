using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Cpm.Interwork.Mime;

namespace Cpm.Interwork.Mm4;

/// <summary>The kinds of MM4 address (TS 23.140 §8.4.2: PLMN, IPv4, IPv6, RFC 2822 mailbox).</summary>
public enum Mm4AddressKind
{
    /// <summary><c>+E164/TYPE=PLMN</c>.</summary>
    Plmn,
    /// <summary><c>192.0.2.1/TYPE=IPv4</c>.</summary>
    IPv4,
    /// <summary><c>2001:db8::1/TYPE=IPv6</c>.</summary>
    IPv6,
    /// <summary>An RFC 5322 addr-spec <c>local@domain</c>.</summary>
    Email,
    /// <summary>Another <c>/TYPE=</c> token, kept as written in <see cref="Mm4Address.TypeName"/>.</summary>
    Other,
}

/// <summary>Why an address did not parse.</summary>
public enum Mm4AddressError
{
    None = 0,
    Empty,
    InvalidE164,
    InvalidIPv4,
    InvalidIPv6,
    InvalidMailbox,
    InvalidDomain,
}

/// <summary>
/// An MM4 address: <c>+E164/TYPE=PLMN</c>, <c>/TYPE=IPv4</c>, <c>/TYPE=IPv6</c> or an RFC 5322 mailbox,
/// optionally qualified with an MMSE domain (<c>+E164/TYPE=PLMN@mms.example.net</c>) and a display name.
/// </summary>
public sealed record Mm4Address
{
    private Mm4Address(Mm4AddressKind kind, string value, string typeName, string? domain, string? displayName)
    {
        Kind = kind;
        Value = value;
        TypeName = typeName;
        Domain = domain;
        DisplayName = displayName;
    }

    public Mm4AddressKind Kind { get; }

    /// <summary>The number (<c>+15550100001</c>), the IP literal, or the whole addr-spec for <see cref="Mm4AddressKind.Email"/>.</summary>
    public string Value { get; }

    /// <summary>The TYPE token (<c>PLMN</c>, <c>IPv4</c>, <c>IPv6</c>, as written for Other); empty for Email.</summary>
    public string TypeName { get; }

    /// <summary>The MMSE domain of the qualified form; null when unqualified (always null for Email).</summary>
    public string? Domain { get; }

    public string? DisplayName { get; }

    public bool IsQualified => Domain is not null;

    public static Mm4Address Plmn(string e164, string? domain = null)
    {
        if (!IsE164(e164)) { throw new ArgumentException($"not an E.164 number (+ and 1-15 digits): '{e164}'", nameof(e164)); }
        if (domain is not null && !IsDomain(domain)) { throw new ArgumentException($"invalid domain '{domain}'", nameof(domain)); }
        return new(Mm4AddressKind.Plmn, e164, "PLMN", domain, null);
    }

    public static Mm4Address Ip(IPAddress address, string? domain = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        var v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        return new(v6 ? Mm4AddressKind.IPv6 : Mm4AddressKind.IPv4, address.ToString(), v6 ? "IPv6" : "IPv4", domain, null);
    }

    public static Mm4Address Email(string addrSpec, string? displayName = null)
    {
        if (!IsAddrSpec(addrSpec)) { throw new ArgumentException($"not an addr-spec: '{addrSpec}'", nameof(addrSpec)); }
        return new(Mm4AddressKind.Email, addrSpec, string.Empty, null, displayName);
    }

    /// <summary>The qualified envelope form for an MMSE domain. Email addresses already carry a domain and come back unchanged.</summary>
    public Mm4Address Qualify(string domain)
    {
        if (!IsDomain(domain)) { throw new ArgumentException($"invalid domain '{domain}'", nameof(domain)); }
        return Kind == Mm4AddressKind.Email ? this : new(Kind, Value, TypeName, domain, DisplayName);
    }

    /// <summary>The same address without MMSE domain and display name (the header form <c>+E164/TYPE=PLMN</c>).</summary>
    public Mm4Address Unqualified() => new(Kind, Value, TypeName, null, null);

    public Mm4Address WithDisplayName(string? displayName) => new(Kind, Value, TypeName, Domain, displayName);

    /// <summary>The address without display name: <c>+E164/TYPE=PLMN[@domain]</c> or <c>local@domain</c>.</summary>
    public string AddressSpec => Kind == Mm4AddressKind.Email ? Value : Value + "/TYPE=" + TypeName + (Domain is null ? string.Empty : "@" + Domain);

    /// <summary>Canonical text: <c>"Name" &lt;spec&gt;</c> when there is a display name (RFC 2047-encoded when non-ASCII), else the spec.</summary>
    public override string ToString()
    {
        if (DisplayName is null) { return AddressSpec; }
        return FormatPhrase(DisplayName) + " <" + AddressSpec + ">";
    }

    public static Mm4Address Parse(string text) =>
        TryParse(text, out var a, out var e) ? a : throw new FormatException($"invalid MM4 address ({e}): '{text}'");

    public static bool TryParse(string? text, [NotNullWhen(true)] out Mm4Address? address) => TryParse(text, out address, out _);

    /// <summary>Lenient: TYPE token case-insensitive, display names quoted or encoded, angle brackets optional.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Mm4Address? address, out Mm4AddressError error)
    {
        address = null;
        var s = (text ?? string.Empty).Trim();
        if (s.Length == 0) { error = Mm4AddressError.Empty; return false; }
        string? display = null;
        if (s.EndsWith('>'))
        {
            var lt = LastUnquoted(s, '<');
            if (lt < 0) { error = Mm4AddressError.InvalidMailbox; return false; }
            var phrase = s[..lt].Trim();
            if (phrase.Length > 0) { display = ParsePhrase(phrase); }
            s = s[(lt + 1)..^1].Trim();
        }
        var typeAt = s.IndexOf("/TYPE=", StringComparison.OrdinalIgnoreCase);
        if (typeAt < 0)
        {
            if (!IsAddrSpec(s)) { error = Mm4AddressError.InvalidMailbox; return false; }
            address = new(Mm4AddressKind.Email, s, string.Empty, null, display);
            error = Mm4AddressError.None;
            return true;
        }
        var value = s[..typeAt];
        var rest = s[(typeAt + 6)..];
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        var type = at < 0 ? rest : rest[..at];
        var domain = at < 0 ? null : rest[(at + 1)..];
        if (domain is not null && !IsDomain(domain)) { error = Mm4AddressError.InvalidDomain; return false; }
        if (type.Equals("PLMN", StringComparison.OrdinalIgnoreCase))
        {
            if (!IsE164(value)) { error = Mm4AddressError.InvalidE164; return false; }
            address = new(Mm4AddressKind.Plmn, value, "PLMN", domain, display);
        }
        else if (type.Equals("IPv4", StringComparison.OrdinalIgnoreCase))
        {
            if (!IsIPv4(value)) { error = Mm4AddressError.InvalidIPv4; return false; }
            address = new(Mm4AddressKind.IPv4, value, "IPv4", domain, display);
        }
        else if (type.Equals("IPv6", StringComparison.OrdinalIgnoreCase))
        {
            if (!IPAddress.TryParse(value, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6) { error = Mm4AddressError.InvalidIPv6; return false; }
            address = new(Mm4AddressKind.IPv6, value, "IPv6", domain, display);
        }
        else
        {
            if (value.Length == 0 || type.Length == 0 || !IsAtext(value) || !IsAtext(type)) { error = Mm4AddressError.InvalidMailbox; return false; }
            address = new(Mm4AddressKind.Other, value, type, domain, display);
        }
        error = Mm4AddressError.None;
        return true;
    }

    /// <summary>Splits an address-list header value at commas outside quotes and angle brackets; empty groups are skipped.</summary>
    public static bool TryParseList(string? text, out List<Mm4Address> addresses, out Mm4AddressError error)
    {
        addresses = [];
        error = Mm4AddressError.None;
        foreach (var item in SplitList(text ?? string.Empty))
        {
            var t = item.Trim();
            if (t.Length == 0 || t.EndsWith(":;", StringComparison.Ordinal)) { continue; }
            if (!TryParse(t, out var a, out error)) { return false; }
            addresses.Add(a);
        }
        return true;
    }

    /// <summary>E.164: '+' and 1 to 15 digits.</summary>
    public static bool IsE164(string? number)
    {
        if (number is null || number.Length < 2 || number.Length > 16 || number[0] != '+') { return false; }
        for (var i = 1; i < number.Length; i++)
        {
            if (!char.IsAsciiDigit(number[i])) { return false; }
        }
        return true;
    }

    private static bool IsIPv4(string v) =>
        v.Count(c => c == '.') == 3 && IPAddress.TryParse(v, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork;

    private static bool IsDomain(string? d) =>
        !string.IsNullOrEmpty(d) && d.Length <= 253 && d.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '[' or ']' or ':') && !d.StartsWith('.') && !d.EndsWith('.');

    private static bool IsAtext(string s) => s.All(c => c > ' ' && c < 127 && c is not '<' and not '>' and not '"' and not ',' and not '@' and not ';');

    private static bool IsAddrSpec(string? s)
    {
        if (s is null) { return false; }
        var at = s.LastIndexOf('@');
        return at > 0 && at < s.Length - 1 && IsDomain(s[(at + 1)..]) && s[..at].All(c => c > ' ' && c < 127 && c is not '<' and not '>' and not ',');
    }

    private static int LastUnquoted(string s, char c)
    {
        var inQuote = false;
        var found = -1;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && inQuote) { i++; continue; }
            if (s[i] == '"') { inQuote = !inQuote; }
            else if (!inQuote && s[i] == c) { found = i; }
        }
        return found;
    }

    private static string ParsePhrase(string phrase)
    {
        if (phrase.Length >= 2 && phrase[0] == '"' && phrase[^1] == '"')
        {
            var sb = new StringBuilder();
            for (var i = 1; i < phrase.Length - 1; i++)
            {
                if (phrase[i] == '\\' && i + 1 < phrase.Length - 1) { i++; }
                sb.Append(phrase[i]);
            }
            return EncodedWords.Decode(sb.ToString());
        }
        return EncodedWords.Decode(phrase);
    }

    private static string FormatPhrase(string display)
    {
        if (display.Any(c => c < 0x20 || c >= 0x7F)) { return Mm4EncodedWords.Encode(display); }
        return "\"" + display.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    internal static IEnumerable<string> SplitList(string text)
    {
        var inQuote = false;
        var angle = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuote)
            {
                if (c == '\\') { i++; }
                else if (c == '"') { inQuote = false; }
                continue;
            }
            switch (c)
            {
                case '"': inQuote = true; break;
                case '<': angle++; break;
                case '>': angle = Math.Max(0, angle - 1); break;
                case ',' when angle == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }
        yield return text[start..];
    }
}

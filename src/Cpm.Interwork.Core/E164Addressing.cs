using System.Diagnostics.CodeAnalysis;
using System.Text;
using Cpm.Interwork.Mm4;
using Cpm.Interwork.Sip;

namespace Cpm.Interwork.Core;

/// <summary>Why a URI is not a usable E.164 number.</summary>
public enum E164UriError
{
    None = 0,
    /// <summary>Not a sip:, sips: or tel: URI (or unparsable).</summary>
    NotTelephoneUri,
    /// <summary>A telephone number without '+' (a local number, RFC 3966 §5.1.5): the address is incomplete.</summary>
    LocalNumber,
    /// <summary>A sip: URI whose user part is not a '+' number (e.g. sip:alice@example.com).</summary>
    NotE164,
}

/// <summary>
/// E.164 numbers between SIP/tel URIs and MM4 PLMN addresses: <c>sip:+E164@host;user=phone</c> and <c>tel:+E164</c>
/// (RFC 3966 visual separators <c>-.()</c> stripped) ↔ <c>+E164/TYPE=PLMN</c>.
/// </summary>
public static class E164Addressing
{
    /// <summary>The anonymous URI of RFC 3323 §4.1.1.3.</summary>
    public const string AnonymousUri = "sip:anonymous@anonymous.invalid";

    /// <summary>
    /// The E.164 number (<c>+</c> and 1–15 digits) of a sip/sips/tel URI. A sip user part is accepted as a number when it
    /// starts with '+' (with or without <c>user=phone</c>, as RCS clients write both); user parameters after ';' are ignored.
    /// </summary>
    public static bool TryGetE164(string? uri, [NotNullWhen(true)] out string? e164, out E164UriError error)
    {
        e164 = null;
        error = E164UriError.NotTelephoneUri;
        if (string.IsNullOrWhiteSpace(uri)) { return false; }
        uri = uri.Trim();
        if (uri.StartsWith("tel:", StringComparison.OrdinalIgnoreCase))
        {
            if (!TelUri.TryParse(uri, out var tel)) { return false; }
            return FromNumber(tel.Number, out e164, out error);
        }
        if (uri.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("sips:", StringComparison.OrdinalIgnoreCase))
        {
            if (!SipUri.TryParse(uri, out var sip)) { return false; }
            return TryGetE164(sip, out e164, out error);
        }
        return false;
    }

    /// <summary>The E.164 number of a parsed SIP URI (see the string overload).</summary>
    public static bool TryGetE164(SipUri? uri, [NotNullWhen(true)] out string? e164, out E164UriError error)
    {
        e164 = null;
        error = E164UriError.NotTelephoneUri;
        if (uri?.User is not { Length: > 0 } user) { return false; }
        var number = Uri.UnescapeDataString(user);
        var semicolon = number.IndexOf(';', StringComparison.Ordinal);
        if (semicolon >= 0) { number = number[..semicolon]; }
        var isPhone = string.Equals(uri.UserParameter, "phone", StringComparison.OrdinalIgnoreCase);
        if (!number.StartsWith('+'))
        {
            error = isPhone && number.Length > 0 && number.All(c => char.IsAsciiDigit(c) || IsVisualSeparator(c)) ? E164UriError.LocalNumber : E164UriError.NotE164;
            return false;
        }
        if (!FromNumber(number, out e164, out error)) { error = E164UriError.NotE164; return false; }
        return true;
    }

    /// <summary>The E.164 number of a parsed tel URI.</summary>
    public static bool TryGetE164(TelUri? uri, [NotNullWhen(true)] out string? e164, out E164UriError error)
    {
        e164 = null;
        error = E164UriError.NotTelephoneUri;
        return uri is not null && FromNumber(uri.Number, out e164, out error);
    }

    /// <summary>Strips visual separators and checks the E.164 form; a number without '+' is <see cref="E164UriError.LocalNumber"/>.</summary>
    public static bool FromNumber(string number, [NotNullWhen(true)] out string? e164, out E164UriError error)
    {
        ArgumentNullException.ThrowIfNull(number);
        e164 = null;
        var sb = new StringBuilder(number.Length);
        foreach (var c in number)
        {
            if (IsVisualSeparator(c)) { continue; }
            sb.Append(c);
        }
        var s = sb.ToString();
        if (!s.StartsWith('+'))
        {
            error = s.Length > 0 && s.All(char.IsAsciiDigit) ? E164UriError.LocalNumber : E164UriError.NotE164;
            return false;
        }
        if (!Mm4Address.IsE164(s)) { error = E164UriError.NotE164; return false; }
        error = E164UriError.None;
        e164 = s;
        return true;
    }

    /// <summary><c>+E164/TYPE=PLMN</c>.</summary>
    public static Mm4Address ToMm4(string e164) => Mm4Address.Plmn(e164);

    /// <summary>The E.164 number of a PLMN address, or null for any other kind.</summary>
    public static string? FromMm4(Mm4Address? address) => address is { Kind: Mm4AddressKind.Plmn } ? address.Value : null;

    /// <summary><c>sip:+E164@domain;user=phone</c> or <c>tel:+E164</c>.</summary>
    public static string ToImsUri(string e164, ImsUriForm form, string imsDomain) =>
        form == ImsUriForm.Tel ? "tel:" + e164 : "sip:" + e164 + "@" + imsDomain + ";user=phone";

    /// <summary>True for <c>sip:anonymous@anonymous.invalid</c> (any case, with or without parameters; sips too).</summary>
    public static bool IsAnonymousUri(string? uri)
    {
        if (uri is null || !SipUri.TryParse(uri.Trim(), out var sip)) { return false; }
        return string.Equals(sip.User, "anonymous", StringComparison.OrdinalIgnoreCase)
            && string.Equals(sip.Host, "anonymous.invalid", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsVisualSeparator(char c) => c is '-' or '.' or '(' or ')';
}

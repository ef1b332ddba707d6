using System.Text;

namespace Cpm.Interwork.Sip;

internal ref struct NameAddressParts
{
    public Slice Display;     // quoted-string (with quotes) or *(token LWS), or None
    public bool DisplayQuoted;
    public Slice Uri;
    public bool Bracketed;
    public Slice Params;
    public UriKind Kind;
}

/// <summary>
/// ( name-addr / addr-spec ) *( SEMI param ) as used by From, To, Contact, Route, P-Asserted-Identity (RFC 3261 §20.10, §25.1).
/// Immutable: display name (unquoted), the URI text and its parsed form, header parameters, tag.
/// </summary>
public sealed class NameAddress
{
    private NameAddress(ReadOnlySpan<byte> s, in NameAddressParts p)
    {
        if (p.Display.IsPresent)
        {
            DisplayName = p.DisplayQuoted ? SipGrammar.Unquote(p.Display.Of(s)) : SipGrammar.Text(SipGrammar.Trim(p.Display.Of(s)));
        }
        var uri = p.Uri.Of(s);
        Uri = SipGrammar.Text(uri);
        if (p.Kind is UriKind.Sip or UriKind.Sips) { _ = SipUri.TryParse(uri, Uri, out var sip); SipUri = sip; }
        else if (p.Kind == UriKind.Tel) { _ = TelUri.TryParse(uri, Uri, out var tel); TelUri = tel; }
        Parameters = SipParameters.FromHeaderParams(s, p.Params);
        IsNameAddr = p.Bracketed;
    }

    private NameAddress(string rawUri)
    {
        Uri = rawUri;
        Parameters = SipParameters.Empty;
    }

    /// <summary>A stand-in for a header that is not a valid name-addr (only on messages the parser rejected): the raw text as <see cref="Uri"/>.</summary>
    internal static NameAddress Unparsable(ReadOnlySpan<byte> raw) => new(SipGrammar.Text(raw));

    /// <summary>The display name without quotes and quoted-pair escapes, or null when absent.</summary>
    public string? DisplayName { get; }
    /// <summary>The URI text (inside &lt;&gt; for name-addr).</summary>
    public string Uri { get; }
    /// <summary>The URI parsed as sip:/sips:, or null for other schemes.</summary>
    public SipUri? SipUri { get; }
    /// <summary>The URI parsed as tel:, or null for other schemes.</summary>
    public TelUri? TelUri { get; }
    /// <summary>Header parameters after the URI (tag, expires, q, …).</summary>
    public SipParameters Parameters { get; }
    /// <summary>The <c>tag</c> parameter, or null.</summary>
    public string? Tag => Parameters["tag"];
    /// <summary>True when written as name-addr (URI in angle brackets).</summary>
    public bool IsNameAddr { get; }

    /// <summary>Parses one name-addr / addr-spec with parameters; false when malformed.</summary>
    public static bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NameAddress? value)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        var pos = 0;
        if (NameAddressSyntax.TryRead(bytes, ref pos, out var parts) && AtEnd(bytes, pos)) { value = new NameAddress(bytes, parts); return true; }
        value = null;
        return false;
    }

    private static bool AtEnd(ReadOnlySpan<byte> s, int pos)
    {
        SipGrammar.SkipLws(s, ref pos);
        return pos == s.Length;
    }

    internal static NameAddress Create(ReadOnlySpan<byte> s, in NameAddressParts p) => new(s, p);

    /// <summary>Parses a comma-separated list of name-addr values from raw header bytes (already validated or not).</summary>
    internal static void ReadList(ReadOnlySpan<byte> s, List<NameAddress> into)
    {
        if (!NameAddressSyntax.IsList(s)) { return; }
        var pos = 0;
        while (true)
        {
            SipGrammar.SkipLws(s, ref pos);
            if (pos >= s.Length) { return; }
            if (!NameAddressSyntax.TryRead(s, ref pos, out var parts)) { return; }
            into.Add(new NameAddress(s, parts));
            if (!SipGrammar.TryReadSeparator(s, ref pos, (byte)',')) { return; }
        }
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (DisplayName is not null) { sb.Append('"').Append(DisplayName.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\" "); }
        sb.Append('<').Append(Uri).Append('>');
        foreach (var p in Parameters) { sb.Append(';').Append(p.Name); if (p.Value is not null) { sb.Append('=').Append(p.Value); } }
        return sb.ToString();
    }
}

internal static class NameAddressSyntax
{
    /// <summary>Reads one ( name-addr / addr-spec ) *( SEMI generic-param ), stopping before a top-level comma or the end.</summary>
    public static bool TryRead(ReadOnlySpan<byte> s, ref int pos, out NameAddressParts parts)
    {
        parts = default;
        parts.Display = parts.Uri = parts.Params = Slice.None;
        var p = pos;
        SipGrammar.SkipLws(s, ref p);
        if (p >= s.Length) { return false; }
        if (s[p] == (byte)'"')
        {
            if (!SipGrammar.TryReadQuotedString(s, ref p, out parts.Display)) { return false; }
            parts.DisplayQuoted = true;
            SipGrammar.SkipLws(s, ref p);
            if (p >= s.Length || s[p] != (byte)'<') { return false; }
        }
        else if (s[p] != (byte)'<')
        {
            // Either *(token LWS) "<" (display name of tokens) or an addr-spec.
            var q = p;
            var tokens = 0;
            while (q < s.Length && SipGrammar.TryReadToken(s, ref q, out _))
            {
                tokens++;
                SipGrammar.SkipLws(s, ref q);
            }
            if (tokens > 0 && q < s.Length && s[q] == (byte)'<')
            {
                parts.Display = new Slice(p, q - p);
                p = q;
            }
        }

        if (s[p] == (byte)'<')
        {
            var close = s[(p + 1)..].IndexOf((byte)'>');
            if (close < 0) { return false; }
            parts.Uri = new Slice(p + 1, close);
            parts.Bracketed = true;
            p += close + 2;
        }
        else
        {
            // addr-spec without brackets: the URI cannot contain ';', ',' or '?' (RFC 3261 §20.10).
            var start = p;
            while (p < s.Length && s[p] is not ((byte)';' or (byte)',' or (byte)'?' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                p++;
            }
            if (p == start) { return false; }
            parts.Uri = new Slice(start, p - start);
        }
        parts.Kind = SipUriSyntax.Classify(parts.Uri.Of(s));
        if (parts.Kind == UriKind.Invalid) { return false; }
        if (!SipGrammar.TryReadParams(s, ref p, out parts.Params)) { return false; }
        pos = p;
        return true;
    }

    /// <summary>True when the whole value is 1#( name-addr / addr-spec ) with parameters (Contact, Route, P-Asserted-Identity).</summary>
    public static bool IsList(ReadOnlySpan<byte> s)
    {
        var pos = 0;
        while (true)
        {
            if (!TryRead(s, ref pos, out _)) { return false; }
            if (SipGrammar.TryReadSeparator(s, ref pos, (byte)',')) { continue; }
            SipGrammar.SkipLws(s, ref pos);
            return pos == s.Length;
        }
    }

    /// <summary>True when the whole value is exactly one name-addr/addr-spec with parameters (From, To).</summary>
    public static bool IsSingle(ReadOnlySpan<byte> s)
    {
        var pos = 0;
        if (!TryRead(s, ref pos, out _)) { return false; }
        SipGrammar.SkipLws(s, ref pos);
        return pos == s.Length;
    }

    /// <summary>The tag parameter slice of a validated single value, or None.</summary>
    public static bool TryGetTag(ReadOnlySpan<byte> s, out Slice tag)
    {
        tag = Slice.None;
        var pos = 0;
        if (!TryRead(s, ref pos, out var parts) || !parts.Params.IsPresent) { return false; }
        var ps = parts.Params.Of(s);
        var p = 0;
        while (SipGrammar.TryReadSeparator(ps, ref p, (byte)';') && SipGrammar.TryReadGenericParam(ps, ref p, out var n, out var v))
        {
            if (System.Text.Ascii.EqualsIgnoreCase(n.Of(ps), "tag"u8) && v.IsPresent)
            {
                tag = new Slice(parts.Params.Start + v.Start, v.Length);
                return true;
            }
        }
        return false;
    }
}

namespace Cpm.Interwork.Sip;

internal ref struct ViaParts
{
    public Slice ProtocolName;
    public Slice ProtocolVersion;
    public Slice Transport;
    public Slice Host;
    public int Port;
    public Slice Params;
}

/// <summary>
/// One via-parm (RFC 3261 §20.42, §25.1): sent-protocol, sent-by and parameters, with the parameters the
/// transport layer needs (branch, received, rport of RFC 3581, maddr, ttl) as properties. Immutable.
/// </summary>
public sealed class ViaHeader
{
    private ViaHeader(ReadOnlySpan<byte> s, in ViaParts p)
    {
        Protocol = SipGrammar.Text(p.ProtocolName.Of(s)) + "/" + SipGrammar.Text(p.ProtocolVersion.Of(s));
        Transport = SipGrammar.Text(p.Transport.Of(s));
        Host = p.Host.ToText(s)!;
        Port = p.Port >= 0 ? p.Port : null;
        Parameters = SipParameters.FromHeaderParams(s, p.Params);
    }

    /// <summary>protocol-name "/" protocol-version, e.g. "SIP/2.0" (LWS removed).</summary>
    public string Protocol { get; }
    /// <summary>Transport as written, e.g. "UDP", "TCP", "TLS".</summary>
    public string Transport { get; }
    /// <summary>sent-by host; an IPv6 reference keeps its brackets.</summary>
    public string Host { get; }
    /// <summary>sent-by port, or null when absent.</summary>
    public int? Port { get; }
    /// <summary>All via-params in order.</summary>
    public SipParameters Parameters { get; }
    /// <summary>The branch parameter, or null.</summary>
    public string? Branch => Parameters["branch"];
    /// <summary>True when the branch starts with the RFC 3261 magic cookie "z9hG4bK" (§8.1.1.7).</summary>
    public bool HasRfc3261Branch => Branch?.StartsWith("z9hG4bK", StringComparison.Ordinal) == true;
    /// <summary>The received parameter, or null.</summary>
    public string? Received => Parameters["received"];
    /// <summary>True when rport is present, with or without a value (RFC 3581).</summary>
    public bool HasRPort => Parameters.Contains("rport");
    /// <summary>The rport value, or null when absent or a flag.</summary>
    public int? RPort => int.TryParse(Parameters["rport"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;
    /// <summary>The maddr parameter, or null.</summary>
    public string? Maddr => Parameters["maddr"];
    /// <summary>The ttl parameter, or null.</summary>
    public int? Ttl => int.TryParse(Parameters["ttl"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;
    /// <summary>sent-by as host[:port].</summary>
    public string SentBy => Port is { } port ? $"{Host}:{port}" : Host;

    /// <summary>Parses every via-parm of a Via header value (which may hold several, comma-separated).</summary>
    public static bool TryParseList(string value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IReadOnlyList<ViaHeader>? vias)
    {
        ArgumentNullException.ThrowIfNull(value);
        var bytes = System.Text.Encoding.UTF8.GetBytes(value);
        var list = new List<ViaHeader>();
        if (!ViaSyntax.IsValidList(bytes)) { vias = null; return false; }
        ReadList(bytes, list);
        vias = list;
        return true;
    }

    internal static void ReadList(ReadOnlySpan<byte> s, List<ViaHeader> into)
    {
        var pos = 0;
        while (ViaSyntax.TryRead(s, ref pos, out var parts))
        {
            into.Add(new ViaHeader(s, parts));
            if (!SipGrammar.TryReadSeparator(s, ref pos, (byte)',')) { return; }
        }
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var sb = new System.Text.StringBuilder().Append(Protocol).Append('/').Append(Transport).Append(' ').Append(SentBy);
        foreach (var p in Parameters) { sb.Append(';').Append(p.Name); if (p.Value is not null) { sb.Append('=').Append(p.Value); } }
        return sb.ToString();
    }
}

internal static class ViaSyntax
{
    /// <summary>via-parm = sent-protocol LWS sent-by *( SEMI via-params ) (RFC 3261 §25.1).</summary>
    public static bool TryRead(ReadOnlySpan<byte> s, ref int pos, out ViaParts parts)
    {
        parts = default;
        parts.Port = -1;
        var p = pos;
        SipGrammar.SkipLws(s, ref p);
        if (!SipGrammar.TryReadToken(s, ref p, out parts.ProtocolName)) { return false; }
        if (!SipGrammar.TryReadSeparator(s, ref p, (byte)'/')) { return false; }
        if (!SipGrammar.TryReadToken(s, ref p, out parts.ProtocolVersion)) { return false; }
        if (!SipGrammar.TryReadSeparator(s, ref p, (byte)'/')) { return false; }
        if (!SipGrammar.TryReadToken(s, ref p, out parts.Transport)) { return false; }
        var before = p;
        SipGrammar.SkipLws(s, ref p);
        if (p == before) { return false; }
        if (!SipUriSyntax.TryReadHostPort(s, ref p, out parts.Host, out parts.Port))
        {
            // COLON = SWS ":" SWS: allow LWS around the port colon.
            return false;
        }
        if (!SipGrammar.TryReadParams(s, ref p, out parts.Params)) { return false; }
        pos = p;
        return true;
    }

    /// <summary>True when the value is 1#via-parm.</summary>
    public static bool IsValidList(ReadOnlySpan<byte> s)
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
}

/// <summary>CSeq = 1*DIGIT LWS Method (RFC 3261 §20.16). Immutable.</summary>
/// <param name="Number">The sequence number (at most 2^31-1).</param>
/// <param name="Method">The method, case-sensitive.</param>
public sealed record CSeqHeader(long Number, string Method)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Number} {Method}";

    internal static bool TryRead(ReadOnlySpan<byte> value, out long number, out Slice method)
    {
        number = 0;
        method = Slice.None;
        var s = SipGrammar.Trim(value);
        var n = 0;
        while (n < s.Length && SipCharacters.IsDigit(s[n])) { n++; }
        if (n == 0 || !SipGrammar.TryParseDigits(s[..n], int.MaxValue, out number)) { return false; }
        var p = n;
        SipGrammar.SkipLws(s, ref p);
        if (p == n) { return false; }
        var m = SipGrammar.CountOf(s, p, SipCharacters.Token);
        if (m == 0 || p + m != s.Length) { return false; }
        var offset = 0;
        while (offset < value.Length && SipCharacters.IsLws(value[offset])) { offset++; }
        method = new Slice(offset + p, m);
        return true;
    }
}

using System.Globalization;

namespace Cpm.Interwork.Mime.Cpim;

/// <summary>Disposition notifications requested via imdn.Disposition-Notification (RFC 5438 §6.3).</summary>
[Flags]
public enum DispositionNotification
{
    None = 0,
    PositiveDelivery = 1,
    NegativeDelivery = 2,
    Display = 4,
    Processing = 8,
}

/// <summary>A CPIM address header value (RFC 3862 §3.3.1: [Formal-name] "&lt;" URI "&gt;").</summary>
public sealed record CpimAddress(string? DisplayName, string Address)
{
    /// <summary>Lenient: a bare URI without angle brackets is accepted; a quoted formal name is unquoted.</summary>
    public static CpimAddress Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var v = value.Trim();
        string? name = null;
        var rest = v;
        if (v.StartsWith('"'))
        {
            // quoted formal name: may itself hold '<', '>' and escaped quotes
            var sb = new System.Text.StringBuilder();
            var i = 1;
            for (; i < v.Length && v[i] != '"'; i++)
            {
                if (v[i] == '\\' && i + 1 < v.Length) { i++; }
                sb.Append(v[i]);
            }
            name = sb.ToString();
            rest = i + 1 < v.Length ? v[(i + 1)..] : string.Empty;
        }
        var lt = rest.IndexOf('<', StringComparison.Ordinal);
        var gt = rest.LastIndexOf('>');
        if (lt < 0 || gt < lt) { return name is null ? new CpimAddress(null, v) : new CpimAddress(name.Length == 0 ? null : name, rest.Trim()); }
        name ??= rest[..lt].Trim();
        return new CpimAddress(name.Length == 0 ? null : name, rest[(lt + 1)..gt].Trim());
    }

    /// <summary>Strict form: <c>Name &lt;uri&gt;</c>, the name quoted when it holds specials.</summary>
    public override string ToString()
    {
        if (string.IsNullOrEmpty(DisplayName)) { return "<" + Address + ">"; }
        var plain = DisplayName.All(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_' or '.' or '!' or '*' or '+' or '\'' or '~');
        var name = plain ? DisplayName : "\"" + DisplayName.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        return name + " <" + Address + ">";
    }
}

/// <summary>A CPIM Subject (RFC 3862 §3.3.5) with its optional ;lang parameter.</summary>
public sealed record CpimSubject(string Text, string? Language);

/// <summary>Every reason a CPIM wrapper can be rejected.</summary>
public enum CpimRejectionReason
{
    None = 0,
    MessageTooLarge,
    HeaderTooLarge,
    LineTooLong,
    /// <summary>The message-header block is not followed by a blank line and an encapsulated MIME header block.</summary>
    MissingContentHeaders,
    /// <summary>A line in the encapsulated header block is not a header and no blank line ends the block.</summary>
    MalformedContentHeaders,
}

/// <summary>CPIM message (RFC 3862): message headers, then the encapsulated MIME content headers and the body as
/// bytes (a slice of the input, never decoded unless asked).</summary>
public sealed class CpimMessage
{
    public const string ImdnNamespace = "urn:ietf:params:imdn";

    private CpimMessage(MimeHeaderList headers, Dictionary<string, string> namespaces, MimeHeaderList contentHeaders, ReadOnlyMemory<byte> body)
    {
        Headers = headers;
        Namespaces = namespaces;
        ContentHeaders = contentHeaders;
        Body = body;
    }

    /// <summary>The CPIM message headers in order, raw (names compare case-insensitively).</summary>
    public MimeHeaderList Headers { get; }
    /// <summary>NS declarations: prefix → URN (the default namespace has the empty prefix).</summary>
    public IReadOnlyDictionary<string, string> Namespaces { get; }
    /// <summary>The encapsulated MIME headers (Content-Type, Content-ID, Content-Transfer-Encoding…).</summary>
    public MimeHeaderList ContentHeaders { get; }
    /// <summary>The content bytes as received (still transfer-encoded if a Content-Transfer-Encoding says so).</summary>
    public ReadOnlyMemory<byte> Body { get; }

    public CpimAddress? From => Headers.Get("From") is { } h ? CpimAddress.Parse(h.Value) : null;
    public IEnumerable<CpimAddress> To => Headers.GetAll("To").Select(h => CpimAddress.Parse(h.Value));
    public IEnumerable<CpimAddress> Cc => Headers.GetAll("cc").Select(h => CpimAddress.Parse(h.Value));

    /// <summary>DateTime (RFC 3339); null when absent or unreadable.</summary>
    public DateTimeOffset? DateTime => Headers.Get("DateTime") is { } h && DateTimeOffset.TryParse(h.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null;

    /// <summary>The first Subject's text (see <see cref="Subjects"/> for all, with languages).</summary>
    public string? Subject => Subjects.Count > 0 ? Subjects[0].Text : null;

    /// <summary>Every Subject header (RFC 3862 allows one per language: <c>Subject:;lang=fr texte</c>).</summary>
    public IReadOnlyList<CpimSubject> Subjects => [.. Headers.GetAll("Subject").Select(ReadSubject)];

    /// <summary>Header names listed in Require headers (RFC 3862 §3.3.8), in order.</summary>
    public IReadOnlyList<string> Require =>
        [.. Headers.GetAll("Require").SelectMany(h => h.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];

    public ContentType ContentType => ContentHeaders.Get(MimeHeaderNames.ContentType) is { } h ? ContentType.Parse(h.Value) : ContentType.TextPlainDefault;
    public ContentDisposition? ContentDisposition => ContentHeaders.Get(MimeHeaderNames.ContentDisposition) is { } h ? ContentDisposition.Parse(h.Value) : null;

    /// <summary>Value of a namespaced header, e.g. (urn:ietf:params:imdn, Message-ID), with the prefix resolved through NS.</summary>
    public string? GetNamespaced(string namespaceUrn, string localName)
    {
        ArgumentNullException.ThrowIfNull(namespaceUrn);
        foreach (var (prefix, urn) in Namespaces)
        {
            if (!string.Equals(urn, namespaceUrn, StringComparison.OrdinalIgnoreCase)) { continue; }
            var name = prefix.Length == 0 ? localName : prefix + "." + localName;
            if (Headers.Get(name) is { } h) { return h.Value; }
        }
        return null;
    }

    public string? ImdnMessageId => GetNamespaced(ImdnNamespace, "Message-ID");

    public DispositionNotification DispositionNotification
    {
        get
        {
            var v = GetNamespaced(ImdnNamespace, "Disposition-Notification");
            return v is null ? DispositionNotification.None : ParseDisposition(v);
        }
    }

    internal static DispositionNotification ParseDisposition(string v)
    {
        var r = DispositionNotification.None;
        foreach (var t in v.Split(',', StringSplitOptions.TrimEntries))
        {
            r |= t.ToLowerInvariant() switch
            {
                "positive-delivery" => DispositionNotification.PositiveDelivery,
                "negative-delivery" => DispositionNotification.NegativeDelivery,
                "display" => DispositionNotification.Display,
                "processing" => DispositionNotification.Processing,
                _ => DispositionNotification.None,
            };
        }
        return r;
    }

    /// <summary>Body decoded per the content's Content-Transfer-Encoding (base64 and quoted-printable; others as is).</summary>
    public byte[] GetDecodedBody() =>
        (ContentHeaders.Get(MimeHeaderNames.ContentTransferEncoding)?.Value.ToLowerInvariant()) switch
        {
            "base64" => TransferEncodings.DecodeBase64(Body.Span),
            "quoted-printable" => TransferEncodings.DecodeQuotedPrintable(Body.Span),
            _ => Body.ToArray(),
        };

    /// <summary>Lenient parse; null when rejected (see <see cref="TryParse"/> for the reason).</summary>
    public static CpimMessage? Parse(ReadOnlyMemory<byte> data, MimeParserOptions options) =>
        TryParse(data, options, out var message, out _) ? message : null;

    /// <summary>Lenient parse (PROTOCOLS.md §4): header-name case ignored, <c>NS: imdn&lt;urn&gt;</c> without a space
    /// accepted, bare-LF line ends accepted, a Content-Length in the content headers trims trailing CR/LF padding.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> data, MimeParserOptions options, out CpimMessage? message, out CpimRejectionReason reason)
    {
        ArgumentNullException.ThrowIfNull(options);
        message = null;
        if (data.Length > options.MaxMessageBytes) { reason = CpimRejectionReason.MessageTooLarge; return false; }
        var headers = MimeParser.ParseHeaders(data, options, out var off, out var mimeReason);
        if (headers is null) { reason = Map(mimeReason); return false; }
        if (off >= data.Length && !EndsWithBlankLine(data.Span)) { reason = CpimRejectionReason.MissingContentHeaders; return false; }
        var rest = data[off..];
        var content = MimeParser.ParseHeaders(rest, options, out var off2, out mimeReason);
        if (content is null) { reason = Map(mimeReason); return false; }
        if (off2 >= rest.Length && !EndsWithBlankLine(rest.Span) && content.Any(h => h.IsMalformed))
        {
            reason = CpimRejectionReason.MalformedContentHeaders;
            return false;
        }
        var body = rest[off2..];
        if (content.Get(MimeHeaderNames.ContentLength) is { } cl && int.TryParse(cl.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var len)
            && len < body.Length && body.Span[len..].IndexOfAnyExcept((byte)'\r', (byte)'\n') < 0)
        {
            body = body[..len];
        }
        message = new CpimMessage(headers, ReadNamespaces(headers), content, body);
        reason = CpimRejectionReason.None;
        return true;
    }

    private static bool EndsWithBlankLine(ReadOnlySpan<byte> s) => s.EndsWith("\n\n"u8) || s.EndsWith("\r\n\r\n"u8) || s.SequenceEqual("\r\n"u8) || s.SequenceEqual("\n"u8);

    private static CpimRejectionReason Map(MimeRejectionReason r) => r switch
    {
        MimeRejectionReason.LineTooLong => CpimRejectionReason.LineTooLong,
        MimeRejectionReason.MessageTooLarge => CpimRejectionReason.MessageTooLarge,
        _ => CpimRejectionReason.HeaderTooLarge,
    };

    // NS: [prefix] "<" URN ">" (RFC 3862 §3.3.7); a missing space before "<" is tolerated
    private static Dictionary<string, string> ReadNamespaces(MimeHeaderList headers)
    {
        var ns = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var h in headers.GetAll("NS"))
        {
            var v = h.Value;
            var lt = v.IndexOf('<', StringComparison.Ordinal);
            var gt = v.IndexOf('>', StringComparison.Ordinal);
            if (lt >= 0 && gt > lt) { ns[v[..lt].Trim()] = v[(lt + 1)..gt].Trim(); }
        }
        return ns;
    }

    // Header = name ":" *( ";" Parameter ) SP value (RFC 3862 §3.1): parameters follow the colon directly, so
    // "Subject: ;x" is the text ";x" while "Subject:;lang=fr x" is "x" in French; only "lang" is defined
    private static CpimSubject ReadSubject(MimeHeader h)
    {
        var raw = h.RawValue.Span;
        if (raw.IsEmpty || raw[0] != (byte)';') { return new CpimSubject(h.Value, null); }
        var v = h.Value;
        var sp = v.IndexOf(' ', StringComparison.Ordinal);
        var parameters = sp < 0 ? v : v[..sp];
        string? lang = null;
        foreach (var p in parameters.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            if (p.StartsWith("lang=", StringComparison.OrdinalIgnoreCase)) { lang = p[5..]; }
        }
        return new CpimSubject(sp < 0 ? string.Empty : v[(sp + 1)..], lang);
    }

    /// <summary>Writes a CPIM message from name/value pairs as given (UTF-8, CRLF, no folding — RFC 3862 §3.1).</summary>
    public static byte[] Write(IEnumerable<(string Name, string Value)> headers, IEnumerable<(string Name, string Value)> contentHeaders, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(contentHeaders);
        var b = new CpimMessageBuilder();
        foreach (var (n, v) in headers) { b.Header(n, v); }
        foreach (var (n, v) in contentHeaders) { b.ContentHeader(n, v); }
        return b.Body(body).ToBytes();
    }
}

using System.Globalization;
using System.Text;

namespace Cpm.Interwork.Mime.Cpim;

/// <summary>Disposition notifications requested via imdn.Disposition-Notification (RFC 5438).</summary>
[Flags]
public enum DispositionNotification
{
    None = 0,
    PositiveDelivery = 1,
    NegativeDelivery = 2,
    Display = 4,
}

/// <summary>A CPIM address header value: optional display name and URI.</summary>
public sealed record CpimAddress(string? DisplayName, string Address)
{
    public static CpimAddress Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var lt = value.IndexOf('<', StringComparison.Ordinal);
        var gt = value.LastIndexOf('>');
        if (lt < 0 || gt < lt) { return new CpimAddress(null, value.Trim()); }
        var name = value[..lt].Trim().Trim('"');
        return new CpimAddress(name.Length == 0 ? null : name, value[(lt + 1)..gt].Trim());
    }
}

/// <summary>CPIM message (RFC 3862): message headers, then encapsulated MIME content headers and body bytes.</summary>
public sealed class CpimMessage
{
    private CpimMessage(MimeHeaderList headers, Dictionary<string, string> namespaces, MimeHeaderList contentHeaders, ReadOnlyMemory<byte> body)
    {
        Headers = headers;
        Namespaces = namespaces;
        ContentHeaders = contentHeaders;
        Body = body;
    }

    public MimeHeaderList Headers { get; }
    public IReadOnlyDictionary<string, string> Namespaces { get; }
    public MimeHeaderList ContentHeaders { get; }
    public ReadOnlyMemory<byte> Body { get; }

    public CpimAddress? From => Headers.Get("From") is { } h ? CpimAddress.Parse(h.Value) : null;
    public IEnumerable<CpimAddress> To => Headers.GetAll("To").Select(h => CpimAddress.Parse(h.Value));
    public DateTimeOffset? DateTime => Headers.Get("DateTime") is { } h && DateTimeOffset.TryParse(h.Value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
    public string? Subject => Headers.Get("Subject")?.Value;
    public ContentType ContentType => ContentHeaders.Get("Content-Type") is { } h ? ContentType.Parse(h.Value) : ContentType.TextPlainDefault;

    /// <summary>Value of a namespaced header, e.g. (urn:ietf:params:imdn, Message-ID), with the prefix resolved through NS.</summary>
    public string? GetNamespaced(string namespaceUrn, string localName)
    {
        foreach (var (prefix, urn) in Namespaces)
        {
            if (string.Equals(urn, namespaceUrn, StringComparison.OrdinalIgnoreCase) && Headers.Get(prefix + "." + localName) is { } h)
            {
                return h.Value;
            }
        }
        return null;
    }

    public string? ImdnMessageId => GetNamespaced("urn:ietf:params:imdn", "Message-ID");

    public DispositionNotification DispositionNotification
    {
        get
        {
            var v = GetNamespaced("urn:ietf:params:imdn", "Disposition-Notification");
            if (v is null) { return DispositionNotification.None; }
            var r = DispositionNotification.None;
            foreach (var t in v.Split(',', StringSplitOptions.TrimEntries))
            {
                r |= t.ToLowerInvariant() switch
                {
                    "positive-delivery" => DispositionNotification.PositiveDelivery,
                    "negative-delivery" => DispositionNotification.NegativeDelivery,
                    "display" => DispositionNotification.Display,
                    _ => DispositionNotification.None,
                };
            }
            return r;
        }
    }

    /// <summary>Body decoded per the content's Content-Transfer-Encoding.</summary>
    public byte[] GetDecodedBody() =>
        (ContentHeaders.Get("Content-Transfer-Encoding")?.Value.ToLowerInvariant()) switch
        {
            "base64" => TransferEncodings.DecodeBase64(Body.Span),
            "quoted-printable" => TransferEncodings.DecodeQuotedPrintable(Body.Span),
            _ => Body.ToArray(),
        };

    public static CpimMessage? Parse(ReadOnlyMemory<byte> data, MimeParserOptions options)
    {
        var headers = MimeParser.ParseHeaders(data, options, out var off, out var reason);
        if (headers is null || reason != MimeRejectionReason.None) { return null; }
        var content = MimeParser.ParseHeaders(data[off..], options, out var off2, out reason);
        if (content is null) { return null; }
        var ns = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var h in headers.GetAll("NS"))
        {
            var v = h.Value;
            var lt = v.IndexOf('<', StringComparison.Ordinal);
            var gt = v.IndexOf('>', StringComparison.Ordinal);
            if (lt >= 0 && gt > lt) { ns[v[..lt].Trim()] = v[(lt + 1)..gt].Trim(); }
        }
        return new CpimMessage(headers, ns, content, data[(off + off2)..]);
    }

    public static byte[] Write(IEnumerable<(string Name, string Value)> headers, IEnumerable<(string Name, string Value)> contentHeaders, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(contentHeaders);
        var sb = new StringBuilder();
        foreach (var (n, v) in headers) { sb.Append(n).Append(": ").Append(v).Append("\r\n"); }
        sb.Append("\r\n");
        foreach (var (n, v) in contentHeaders) { sb.Append(n).Append(": ").Append(v).Append("\r\n"); }
        sb.Append("\r\n");
        return [.. Encoding.UTF8.GetBytes(sb.ToString()), .. body];
    }
}

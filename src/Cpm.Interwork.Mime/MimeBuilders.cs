using System.Security.Cryptography;
using System.Text;

namespace Cpm.Interwork.Mime;

/// <summary>Builds a leaf part; binary content is base64-encoded, text may be quoted-printable.</summary>
public sealed class MimePartBuilder
{
    private readonly MimeHeaderListBuilder _headers = new();
    private byte[] _content = [];
    private string _encoding = "base64";

    public MimePartBuilder(string contentType) => _headers.Set("Content-Type", contentType);

    public MimePartBuilder Header(string name, string value) { _headers.Add(name, value); return this; }
    public MimePartBuilder ContentId(string id) { _headers.Set("Content-ID", id); return this; }
    public MimePartBuilder ContentLocation(string location) { _headers.Set("Content-Location", location); return this; }

    /// <summary>Sets the decoded content and the transfer encoding ("base64", "quoted-printable", "7bit", "8bit").</summary>
    public MimePartBuilder Content(ReadOnlySpan<byte> content, string transferEncoding = "base64")
    {
        _content = content.ToArray();
        _encoding = transferEncoding;
        return this;
    }

    public MimePart Build()
    {
        _headers.Set("Content-Transfer-Encoding", _encoding);
        var raw = _encoding switch
        {
            "base64" => TransferEncodings.EncodeBase64(_content),
            "quoted-printable" => TransferEncodings.EncodeQuotedPrintable(_content),
            _ => _content,
        };
        return new MimePart(_headers.Build(), raw);
    }
}

/// <summary>Builds multipart/related (start/type), mixed or alternative.</summary>
public sealed class MimeMultipartBuilder
{
    private readonly List<MimeEntity> _parts = [];
    private readonly string _subtype;
    private readonly Dictionary<string, string> _parameters = new(StringComparer.OrdinalIgnoreCase);

    public MimeMultipartBuilder(string subtype) => _subtype = subtype;

    public static MimeMultipartBuilder Related(string start, string type)
    {
        var b = new MimeMultipartBuilder("related");
        b._parameters["start"] = start;
        b._parameters["type"] = type;
        return b;
    }

    public static MimeMultipartBuilder Mixed() => new("mixed");
    public static MimeMultipartBuilder Alternative() => new("alternative");

    public MimeMultipartBuilder Boundary(string boundary) { _parameters["boundary"] = boundary; return this; }
    public MimeMultipartBuilder Add(MimeEntity part) { _parts.Add(part); return this; }

    public MimeMultipart Build()
    {
        if (!_parameters.TryGetValue("boundary", out var boundary))
        {
            boundary = "=_cpm_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        }
        var ordered = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["boundary"] = boundary };
        foreach (var (k, v) in _parameters) { ordered.TryAdd(k, v); }
        var ct = new ContentType("multipart", _subtype, ordered);
        var headers = new MimeHeaderListBuilder().Set("Content-Type", ct.ToString()).Build();
        return new MimeMultipart(headers, _parts.ToList(), ReadOnlyMemory<byte>.Empty, "\r\n"u8.ToArray());
    }
}

/// <summary>Top-level message: headers in the order added, then the body entity's own headers.</summary>
public sealed class MimeMessageBuilder
{
    private readonly List<(string Name, string Value)> _headers = [];
    private MimeEntity? _body;

    /// <summary>Adds a header; non-ASCII values are RFC 2047-encoded.</summary>
    public MimeMessageBuilder Header(string name, string value)
    {
        _headers.Add((name, EncodedWords.Encode(value)));
        return this;
    }

    public MimeMessageBuilder Body(MimeEntity body) { _body = body; return this; }

    public MimeEntity Build()
    {
        var body = _body ?? new MimePartBuilder("text/plain; charset=utf-8").Content([], "7bit").Build();
        var hb = new MimeHeaderListBuilder();
        foreach (var (n, v) in _headers) { hb.Add(n, v); }
        var list = hb.Build().Concat(body.Headers).ToList();
        var headers = new MimeHeaderList(list);
        return body switch
        {
            MimeMultipart m => new MimeMultipart(headers, m.Parts, m.Preamble, m.Epilogue),
            MimePart p => new MimePart(headers, p.RawBody),
            _ => throw new InvalidOperationException("unsupported body entity"),
        };
    }

    internal static string Ascii(byte[] b) => Encoding.ASCII.GetString(b);
}

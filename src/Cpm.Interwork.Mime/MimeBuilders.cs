using System.Security.Cryptography;
using System.Text;

namespace Cpm.Interwork.Mime;

/// <summary>Builds a leaf part; binary content is base64-encoded, text may be quoted-printable.</summary>
public sealed class MimePartBuilder
{
    private readonly MimeHeaderListBuilder _headers = new();
    private byte[] _content = [];
    private string _encoding = "base64";

    /// <summary>Starts a part; the Content-Type is normalised on write (parameters quoted where needed, non-ASCII
    /// or long values as RFC 2231 extended values / continuations).</summary>
    public MimePartBuilder(string contentType) => _headers.Set(MimeHeaderNames.ContentType, Mime.ContentType.Parse(contentType).ToString());

    /// <summary>Adds a header; a non-ASCII value is RFC 2047-encoded (strict 7-bit writing).</summary>
    public MimePartBuilder Header(string name, string value) { _headers.AddText(name, value); return this; }
    public MimePartBuilder ContentId(string id) { _headers.Set("Content-ID", id); return this; }
    public MimePartBuilder ContentLocation(string location) { _headers.Set("Content-Location", location); return this; }

    /// <summary>Sets a Content-Disposition (e.g. "recipient-list", "notification", "attachment; filename=a.jpg").</summary>
    public MimePartBuilder ContentDisposition(string disposition) { _headers.Set(MimeHeaderNames.ContentDisposition, Mime.ContentDisposition.Parse(disposition).ToString()); return this; }

    /// <summary>Sets the decoded content and the transfer encoding ("base64", "quoted-printable", "7bit", "8bit", "binary").</summary>
    /// <exception cref="ArgumentException">Unknown transfer encoding.</exception>
    public MimePartBuilder Content(ReadOnlySpan<byte> content, string transferEncoding = "base64")
    {
        ArgumentNullException.ThrowIfNull(transferEncoding);
        var enc = transferEncoding.ToLowerInvariant();
        if (enc is not ("base64" or "quoted-printable" or "7bit" or "8bit" or "binary"))
        {
            throw new ArgumentException($"unknown transfer encoding {transferEncoding}", nameof(transferEncoding));
        }
        _content = content.ToArray();
        _encoding = enc;
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

    /// <summary>Adds a Content-Type parameter (e.g. "start-info"); written after boundary, start and type.</summary>
    public MimeMultipartBuilder Parameter(string name, string value) { _parameters[name] = value; return this; }
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

    private static readonly HashSet<string> s_addressHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "To", "Cc", "Bcc", "Sender", "Reply-To", "Resent-From", "Resent-To", "Resent-Cc", "Resent-Sender",
    };

    /// <summary>Adds a header in the order given. Non-ASCII is RFC 2047-encoded only where needed: in the
    /// display names of address headers (From, To, Cc, Sender, Reply-To…), and in the whole value of any other
    /// header. Long values are folded (<see cref="HeaderFolding"/>).</summary>
    public MimeMessageBuilder Header(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (s_addressHeaders.Contains(name) && value.Any(c => c >= 0x7F))
        {
            _headers.Add((name, string.Join(", ", MailboxAddress.ParseList(value).Select(a => a.ToString()))));
            return this;
        }
        _headers.Add((name, EncodedWords.Encode(value)));
        return this;
    }

    /// <summary>Adds an address header from mailboxes (display names encoded only when needed).</summary>
    public MimeMessageBuilder Header(string name, IEnumerable<MailboxAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        _headers.Add((name, string.Join(", ", addresses.Select(a => a.ToString()))));
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
            MimeMessagePart mp => new MimeMessagePart(headers, mp.Message),
            _ => throw new InvalidOperationException("unsupported body entity"),
        };
    }

    internal static string Ascii(byte[] b) => Encoding.ASCII.GetString(b);
}

using System.Buffers;
using System.Text;

namespace Cpm.Interwork.Mime;

/// <summary>Base of every MIME entity.</summary>
public abstract class MimeEntity
{
    protected MimeEntity(MimeHeaderList headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        Headers = headers;
        var ct = headers.Get(MimeHeaderNames.ContentType);
        ContentType = ct is null ? ContentType.TextPlainDefault : ContentType.Parse(ct.Value);
    }

    /// <summary>For the parser, which has already read the Content-Type.</summary>
    private protected MimeEntity(MimeHeaderList headers, ContentType contentType)
    {
        Headers = headers;
        ContentType = contentType;
    }

    public MimeHeaderList Headers { get; }
    public ContentType ContentType { get; }
    /// <summary>Lower-case transfer encoding (RFC 2045 §6); "7bit" when absent.</summary>
    public string ContentTransferEncoding => Headers.Get(MimeHeaderNames.ContentTransferEncoding)?.Value.ToLowerInvariant() ?? "7bit";
    /// <summary>Content-ID as written, angle brackets included (e.g. "&lt;smil&gt;").</summary>
    public string? ContentId => Headers.Get(MimeHeaderNames.ContentId)?.Value;
    /// <summary>Content-ID without angle brackets, as a "cid:" URL refers to it (RFC 2392).</summary>
    public string? ContentIdValue => ContentId?.Trim().TrimStart('<').TrimEnd('>');
    public string? ContentLocation => Headers.Get(MimeHeaderNames.ContentLocation)?.Value;
    public ContentDisposition? ContentDisposition => Headers.Get(MimeHeaderNames.ContentDisposition) is { } h ? ContentDisposition.Parse(h.Value) : null;

    /// <summary>Writes headers, blank line and body.</summary>
    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Headers.WriteTo(writer);
        if (!Headers.EndsWithoutBlankLine) { writer.Write("\r\n"u8); }
        WriteBodyTo(writer);
    }

    /// <summary>The same entity (same body and parts) with another header list — e.g. <c>e.WithHeaders(
    /// e.Headers.ToBuilder().Set("Subject", "x").Build())</c>; headers you did not touch keep their raw bytes.</summary>
    public MimeEntity WithHeaders(MimeHeaderList headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return this switch
        {
            MimePart p => new MimePart(headers, p.RawBody),
            MimeMultipart m => new MimeMultipart(headers, m.Parts, m.Preamble, m.Epilogue, m.MissingFinalBoundary),
            MimeMessagePart mp => new MimeMessagePart(headers, mp.Message),
            _ => throw new InvalidOperationException("unknown entity type " + GetType().Name),
        };
    }

    public byte[] ToBytes()
    {
        var w = new ArrayBufferWriter<byte>();
        WriteTo(w);
        return w.WrittenSpan.ToArray();
    }

    protected abstract void WriteBodyTo(IBufferWriter<byte> writer);
}

/// <summary>Leaf part; body bytes are kept encoded.</summary>
public sealed class MimePart : MimeEntity
{
    public MimePart(MimeHeaderList headers, ReadOnlyMemory<byte> rawBody) : base(headers) => RawBody = rawBody;

    internal MimePart(MimeHeaderList headers, ContentType contentType, ReadOnlyMemory<byte> rawBody) : base(headers, contentType) => RawBody = rawBody;

    public ReadOnlyMemory<byte> RawBody { get; }

    public byte[] GetDecodedContent() => ContentTransferEncoding switch
    {
        "base64" => TransferEncodings.DecodeBase64(RawBody.Span),
        "quoted-printable" => TransferEncodings.DecodeQuotedPrintable(RawBody.Span),
        _ => RawBody.ToArray(),
    };

    public string GetText()
    {
        var enc = (ContentType.Charset is { } cs ? EncodedWords.GetEncoding(cs) : null) ?? Encoding.UTF8;
        return enc.GetString(GetDecodedContent());
    }

    protected override void WriteBodyTo(IBufferWriter<byte> writer) => writer.Write(RawBody.Span);
}

/// <summary>multipart/*; preamble and epilogue kept.</summary>
public sealed class MimeMultipart : MimeEntity
{
    public MimeMultipart(MimeHeaderList headers, IReadOnlyList<MimeEntity> parts, ReadOnlyMemory<byte> preamble, ReadOnlyMemory<byte> epilogue, bool missingFinalBoundary = false)
        : base(headers)
    {
        Parts = parts;
        Preamble = preamble;
        Epilogue = epilogue;
        MissingFinalBoundary = missingFinalBoundary;
    }

    internal MimeMultipart(MimeHeaderList headers, ContentType contentType, IReadOnlyList<MimeEntity> parts, ReadOnlyMemory<byte> preamble, ReadOnlyMemory<byte> epilogue, bool missingFinalBoundary)
        : base(headers, contentType)
    {
        Parts = parts;
        Preamble = preamble;
        Epilogue = epilogue;
        MissingFinalBoundary = missingFinalBoundary;
    }

    public IReadOnlyList<MimeEntity> Parts { get; }

    /// <summary>The root part of a multipart/related (RFC 2387 §3.2): the part whose Content-ID equals the start
    /// parameter, else the first part; null when there are no parts.</summary>
    public MimeEntity? Root
    {
        get
        {
            if (Parts.Count == 0) { return null; }
            var start = ContentType.Start?.Trim().TrimStart('<').TrimEnd('>');
            return start is null ? Parts[0] : Parts.FirstOrDefault(p => string.Equals(p.ContentIdValue, start, StringComparison.Ordinal)) ?? Parts[0];
        }
    }

    /// <summary>The part whose Content-ID (without brackets) is <paramref name="contentId"/>, searched depth-first.</summary>
    public MimeEntity? FindByContentId(string contentId)
    {
        ArgumentNullException.ThrowIfNull(contentId);
        var id = contentId.StartsWith("cid:", StringComparison.OrdinalIgnoreCase) ? Uri.UnescapeDataString(contentId[4..]) : contentId;
        id = id.Trim().TrimStart('<').TrimEnd('>');
        foreach (var p in Parts)
        {
            if (string.Equals(p.ContentIdValue, id, StringComparison.Ordinal)) { return p; }
            if (p is MimeMultipart m && m.FindByContentId(id) is { } found) { return found; }
        }
        return null;
    }
    public string Boundary => ContentType.Boundary ?? string.Empty;
    public ReadOnlyMemory<byte> Preamble { get; }
    public ReadOnlyMemory<byte> Epilogue { get; }
    public bool MissingFinalBoundary { get; }

    protected override void WriteBodyTo(IBufferWriter<byte> writer)
    {
        var b = Encoding.ASCII.GetBytes(Boundary);
        writer.Write(Preamble.Span);
        foreach (var p in Parts)
        {
            writer.Write("--"u8);
            writer.Write(b);
            writer.Write("\r\n"u8);
            p.WriteTo(writer);
            writer.Write("\r\n"u8);
        }
        writer.Write("--"u8);
        writer.Write(b);
        writer.Write("--"u8);
        writer.Write(Epilogue.Span);
    }
}

/// <summary>message/rfc822 (RFC 2046 §5.2.1): a whole message as the body of a part.</summary>
public sealed class MimeMessagePart : MimeEntity
{
    public MimeMessagePart(MimeHeaderList headers, MimeEntity message) : base(headers)
    {
        ArgumentNullException.ThrowIfNull(message);
        Message = message;
    }

    internal MimeMessagePart(MimeHeaderList headers, ContentType contentType, MimeEntity message) : base(headers, contentType) => Message = message;

    /// <summary>The encapsulated message.</summary>
    public MimeEntity Message { get; }

    protected override void WriteBodyTo(IBufferWriter<byte> writer) => Message.WriteTo(writer);
}

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
        var ct = headers.Get("Content-Type");
        ContentType = ct is null ? ContentType.TextPlainDefault : ContentType.Parse(ct.Value);
    }

    public MimeHeaderList Headers { get; }
    public ContentType ContentType { get; }
    public string ContentTransferEncoding => Headers.Get("Content-Transfer-Encoding")?.Value.ToLowerInvariant() ?? "7bit";
    public string? ContentId => Headers.Get("Content-ID")?.Value;
    public string? ContentLocation => Headers.Get("Content-Location")?.Value;
    public ContentDisposition? ContentDisposition => Headers.Get("Content-Disposition") is { } h ? ContentDisposition.Parse(h.Value) : null;

    /// <summary>Writes headers, blank line and body.</summary>
    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Headers.WriteTo(writer);
        writer.Write("\r\n"u8);
        WriteBodyTo(writer);
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

    public IReadOnlyList<MimeEntity> Parts { get; }
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

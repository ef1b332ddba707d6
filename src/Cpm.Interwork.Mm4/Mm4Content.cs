using System.Buffers;
using System.Text;
using Cpm.Interwork.Mime;

namespace Cpm.Interwork.Mm4;

/// <summary>
/// The MM content: one MIME entity (a leaf part or a multipart, e.g. multipart/related with SMIL) with only its
/// Content-* headers. Body bytes stay as they came (still transfer-encoded); nothing is decoded unless asked.
/// </summary>
public sealed class Mm4Content
{
    private static readonly MimeHeader s_defaultType = MimeHeader.Create("Content-Type", "text/plain; charset=us-ascii");

    /// <summary>Wraps <paramref name="entity"/>, keeping only its Content-* headers (a missing Content-Type becomes text/plain; charset=us-ascii, RFC 2045 §5.2).</summary>
    public Mm4Content(MimeEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var kept = entity.Headers.Where(IsContentHeader).ToList();
        if (!kept.Exists(h => h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))) { kept.Insert(0, s_defaultType); }
        var headers = new MimeHeaderList(kept);
        Entity = entity switch
        {
            MimeMultipart m => new MimeMultipart(headers, m.Parts, m.Preamble, m.Epilogue, m.MissingFinalBoundary),
            MimePart p => new MimePart(headers, p.RawBody),
            _ => throw new ArgumentException("unsupported entity type", nameof(entity)),
        };
    }

    public MimeEntity Entity { get; }
    public ContentType ContentType => Entity.ContentType;

    /// <summary>A single leaf part from decoded bytes, transfer-encoded as asked ("base64", "quoted-printable", "7bit", "8bit").</summary>
    public static Mm4Content FromBytes(string contentType, ReadOnlySpan<byte> content, string transferEncoding = "base64") =>
        new(new MimePartBuilder(contentType).Content(content, transferEncoding).Build());

    /// <summary>text/plain; charset=utf-8 — 7bit when ASCII, else quoted-printable.</summary>
    public static Mm4Content FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        var ascii = bytes.All(b => b < 0x80) && !text.Split('\n').Any(l => l.Length > 900);
        return FromBytes("text/plain; charset=utf-8", bytes, ascii ? "7bit" : "quoted-printable");
    }

    /// <summary>The body as it goes on the wire (after the header block; still transfer-encoded).</summary>
    public byte[] GetWireBody()
    {
        var w = new ArrayBufferWriter<byte>();
        WriteBodyTo(w);
        return w.WrittenSpan.ToArray();
    }

    internal void WriteBodyTo(IBufferWriter<byte> writer)
    {
        if (Entity is MimePart p) { writer.Write(p.RawBody.Span); return; }
        // MimeEntity offers no body-only writer: write the whole entity and drop its header block and blank line.
        var all = Entity.ToBytes();
        var headerLength = HeaderLength(Entity.Headers) + 2;
        writer.Write(all.AsSpan(headerLength));
    }

    internal static bool IsContentHeader(MimeHeader h) =>
        !h.IsMalformed && h.Name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase);

    /// <summary>Measured by writing, so it always matches what <see cref="MimeEntity.WriteTo"/> emits for the headers.</summary>
    private static int HeaderLength(MimeHeaderList headers)
    {
        var w = new ArrayBufferWriter<byte>(256);
        headers.WriteTo(w);
        return w.WrittenCount;
    }
}

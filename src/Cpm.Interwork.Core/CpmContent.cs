using System.Buffers;
using System.Text;
using Cpm.Interwork.Mime;
using Cpm.Interwork.Mm4;

namespace Cpm.Interwork.Core;

/// <summary>
/// CPM content → MM content. SIP bodies are 8-bit clean, MM4 travels over SMTP: every leaf is made 7-bit safe
/// (text: 7bit when ASCII with short lines, else quoted-printable; anything else base64; parts already base64 or
/// quoted-printable are kept byte for byte). A multipart that is not multipart/related becomes multipart/related
/// whose start is its first part (Content-IDs added where missing); multipart/related keeps its start and type.
/// </summary>
internal static class CpmContent
{
    /// <summary>A leaf from its Content-* headers and decoded bytes.</summary>
    public static Mm4Content Leaf(MimeHeaderList contentHeaders, ReadOnlySpan<byte> decoded)
    {
        var type = contentHeaders.Get(MimeHeaderNames.ContentType)?.Value ?? "text/plain";
        var ct = ContentType.Parse(type);
        var b = new MimePartBuilder(type);
        if (contentHeaders.Get(MimeHeaderNames.ContentId)?.Value is { Length: > 0 } id) { b.ContentId(id); }
        if (contentHeaders.Get(MimeHeaderNames.ContentLocation)?.Value is { Length: > 0 } loc) { b.ContentLocation(loc); }
        if (contentHeaders.Get(MimeHeaderNames.ContentDisposition)?.Value is { Length: > 0 } disp) { b.ContentDisposition(disp); }
        return new Mm4Content(b.Content(decoded, EncodingFor(ct, decoded)).Build());
    }

    /// <summary>A multipart entity (already parsed) as MM content: 7-bit safe leaves, multipart/related at the top.</summary>
    public static Mm4Content Multipart(MimeMultipart multipart)
    {
        var parts = multipart.Parts.Select(SevenBitSafe).ToList();
        if (multipart.ContentType.Is("multipart", "related"))
        {
            return new Mm4Content(new MimeMultipart(multipart.Headers, parts, multipart.Preamble, multipart.Epilogue));
        }
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i].ContentId is null)
            {
                var withId = parts[i].Headers.ToBuilder().Add(MimeHeaderNames.ContentId, "<part" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + ">").Build();
                parts[i] = parts[i].WithHeaders(withId);
            }
        }
        var first = parts[0];
        var related = MimeMultipartBuilder.Related(first.ContentId!, first.ContentType.MimeType);
        foreach (var p in parts) { related.Add(p); }
        return new Mm4Content(related.Build());
    }

    public static bool IsSevenBitText(ReadOnlySpan<byte> data)
    {
        var line = 0;
        foreach (var b in data)
        {
            if (b >= 0x80 || b == 0) { return false; }
            if (b == (byte)'\n') { line = 0; continue; }
            if (++line > 998) { return false; }
        }
        return true;
    }

    private static string EncodingFor(ContentType ct, ReadOnlySpan<byte> decoded) =>
        !string.Equals(ct.MediaType, "text", StringComparison.OrdinalIgnoreCase) ? "base64"
        : IsSevenBitText(decoded) ? "7bit" : "quoted-printable";

    private static MimeEntity SevenBitSafe(MimeEntity entity)
    {
        switch (entity)
        {
            case MimeMultipart m:
                return new MimeMultipart(m.Headers, m.Parts.Select(SevenBitSafe).ToList(), m.Preamble, m.Epilogue);
            case MimePart p:
                var cte = p.ContentTransferEncoding;
                if (cte is "base64" or "quoted-printable") { return p; }
                if (IsSevenBitText(p.RawBody.Span)) { return p; }
                var text = string.Equals(p.ContentType.MediaType, "text", StringComparison.OrdinalIgnoreCase);
                var encoded = text ? TransferEncodings.EncodeQuotedPrintable(p.RawBody.Span) : TransferEncodings.EncodeBase64(p.RawBody.Span);
                var headers = p.Headers.ToBuilder();
                headers.Remove(MimeHeaderNames.ContentTransferEncoding);
                headers.Add(MimeHeaderNames.ContentTransferEncoding, text ? "quoted-printable" : "base64");
                return new MimePart(headers.Build(), encoded);
            default:
                return entity;
        }
    }

    /// <summary>Parses a body given its Content-* header block (CPIM content headers or a SIP Content-Type).</summary>
    public static MimeParseResult ParseEntity(IEnumerable<(string Name, string Value)> contentHeaders, ReadOnlyMemory<byte> body, MimeParserOptions options)
    {
        var w = new ArrayBufferWriter<byte>(body.Length + 256);
        foreach (var (n, v) in contentHeaders)
        {
            w.Write(Encoding.UTF8.GetBytes(n + ": " + v + "\r\n"));
        }
        w.Write("\r\n"u8);
        w.Write(body.Span);
        return MimeParser.Parse(w.WrittenMemory, options);
    }
}

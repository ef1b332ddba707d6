using System.Text;

namespace Cpm.Interwork.Mime;

/// <summary>Lenient MIME parser (RFC 5322 / 2045 / 2046): frames headers and parts as slices of the input,
/// never decodes bodies, never throws on peer input. Bare LF is accepted. Every limit of
/// <see cref="MimeParserOptions"/> is checked before the bytes it guards are used, so memory stays bounded
/// by the input plus one small object per header and part.</summary>
public static class MimeParser
{
    /// <summary>Parse state: the first rejection wins and stops all further work.</summary>
    private sealed class Context(MimeParserOptions options)
    {
        public MimeParserOptions Options { get; } = options;
        public int Parts { get; set; }
        public MimeRejectionReason Reason { get; private set; }
        public long Offset { get; private set; }

        public void Reject(MimeRejectionReason reason, long offset)
        {
            if (Reason != MimeRejectionReason.None) { return; }
            Reason = reason;
            Offset = offset;
        }
    }

    public static MimeParseResult Parse(ReadOnlyMemory<byte> message, MimeParserOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (message.Length > options.MaxMessageBytes) { return MimeParseResult.Reject(MimeRejectionReason.MessageTooLarge, options.MaxMessageBytes); }
        var ctx = new Context(options);
        var entity = ParseEntity(message, 0, ctx, 1);
        return entity is null ? MimeParseResult.Reject(ctx.Reason, ctx.Offset) : MimeParseResult.Success(entity);
    }

    /// <summary>Parses only the header block; <paramref name="bodyOffset"/> is where the body starts.</summary>
    public static MimeHeaderList? ParseHeaders(ReadOnlyMemory<byte> message, MimeParserOptions options, out int bodyOffset, out MimeRejectionReason reason)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ctx = new Context(options);
        var h = ReadHeaders(message, 0, ctx, out bodyOffset);
        reason = ctx.Reason;
        if (h is null) { bodyOffset = (int)ctx.Offset; }
        return h;
    }

    /// <summary>RFC 5322 §2.2 header section: fields until the first empty line; folded lines (CRLF or LF
    /// followed by WSP) belong to the field before them.</summary>
    private static MimeHeaderList? ReadHeaders(ReadOnlyMemory<byte> msg, long baseOffset, Context ctx, out int bodyOffset)
    {
        var options = ctx.Options;
        var span = msg.Span;
        var list = new List<MimeHeader>();
        var pos = 0;
        bodyOffset = span.Length;
        while (pos < span.Length)
        {
            if (pos > options.MaxHeaderBytes) { ctx.Reject(MimeRejectionReason.HeaderTooLarge, baseOffset + pos); return null; }
            // end of header block
            if (span[pos] == '\n') { bodyOffset = pos + 1; return new MimeHeaderList(list); }
            if (span[pos] == '\r' && pos + 1 < span.Length && span[pos + 1] == '\n') { bodyOffset = pos + 2; return new MimeHeaderList(list); }
            var start = pos;
            // the field ends at a line end not followed by WSP
            var end = pos;
            int next;
            while (true)
            {
                var nl = span[end..].IndexOf((byte)'\n');
                var lineLength = nl < 0 ? span.Length - end : nl;
                if (lineLength > options.MaxLineLength) { ctx.Reject(MimeRejectionReason.LineTooLong, baseOffset + end); return null; }
                if (nl < 0) { end = span.Length; next = span.Length; break; }
                var lineEnd = end + nl;
                if (lineEnd + 1 - start > options.MaxHeaderBytes) { ctx.Reject(MimeRejectionReason.HeaderTooLarge, baseOffset + start); return null; }
                if (lineEnd + 1 < span.Length && (span[lineEnd + 1] == ' ' || span[lineEnd + 1] == '\t'))
                {
                    end = lineEnd + 1;
                    continue;
                }
                next = lineEnd + 1;
                end = lineEnd > start && span[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
                break;
            }
            if (next > options.MaxHeaderBytes) { ctx.Reject(MimeRejectionReason.HeaderTooLarge, baseOffset + start); return null; }
            list.Add(ReadField(msg, start, end));
            pos = next;
        }
        return new MimeHeaderList(list) { EndsWithoutBlankLine = true };
    }

    /// <summary>field-name ":" field-body. Lenient: whitespace between name and colon is allowed (obs-optional,
    /// RFC 5322 §4.5); a line without a colon, or with whitespace inside the name, is kept as malformed.</summary>
    private static MimeHeader ReadField(ReadOnlyMemory<byte> msg, int start, int end)
    {
        var field = msg.Span[start..end];
        var colon = field.IndexOf((byte)':');
        if (colon > 0)
        {
            var rawName = field[..colon];
            var name = rawName.TrimEnd(" \t"u8);
            if (name.Length > 0 && name.IndexOfAny((byte)' ', (byte)'\t') < 0)
            {
                var nameString = MimeHeaderNames.Intern(name);
                return new MimeHeader(nameString, msg.Slice(start, colon), msg.Slice(start + colon + 1, end - start - colon - 1), isMalformed: false);
            }
        }
        return new MimeHeader(Encoding.Latin1.GetString(field), ReadOnlyMemory<byte>.Empty, isMalformed: true);
    }

    private static MimeEntity? ParseEntity(ReadOnlyMemory<byte> msg, long baseOffset, Context ctx, int depth)
    {
        var options = ctx.Options;
        if (depth > options.MaxDepth) { ctx.Reject(MimeRejectionReason.TooDeep, baseOffset); return null; }
        if (++ctx.Parts > options.MaxParts) { ctx.Reject(MimeRejectionReason.TooManyParts, baseOffset); return null; }
        var headers = ReadHeaders(msg, baseOffset, ctx, out var bodyOffset);
        if (headers is null) { return null; }
        var body = msg[bodyOffset..];
        var ctHeader = headers.Get("Content-Type");
        var ct = ctHeader is null ? ContentType.TextPlainDefault : ContentType.Parse(ctHeader.Value);
        if (ct.Is("message", "rfc822") && options.ParseMessageRfc822 && !IsEncoded(headers))
        {
            var inner = ParseEntity(body, baseOffset + bodyOffset, ctx, depth + 1);
            return inner is null ? null : new MimeMessagePart(headers, ct, inner);
        }
        if (!ct.IsMultipart || string.IsNullOrEmpty(ct.Boundary))
        {
            return new MimePart(headers, ct, body);
        }
        return ParseMultipart(headers, ct, body, baseOffset + bodyOffset, ctx, depth);
    }

    // RFC 2046 §5.2.1: message/rfc822 may only be 7bit, 8bit or binary; an encoded one stays a leaf part
    private static bool IsEncoded(MimeHeaderList headers) =>
        headers.Get("Content-Transfer-Encoding") is { } h && h.Value.ToLowerInvariant() is "base64" or "quoted-printable";

    /// <summary>RFC 2046 §5.1.1 body: preamble, parts between dash-boundary lines, close-delimiter, epilogue.
    /// The CRLF before a boundary belongs to the boundary.</summary>
    private static MimeMultipart? ParseMultipart(MimeHeaderList headers, ContentType ct, ReadOnlyMemory<byte> body, long bodyBase, Context ctx, int depth)
    {
        Span<byte> boundaryBuffer = stackalloc byte[2 + 256];
        var boundaryLength = Encoding.Latin1.GetByteCount(ct.Boundary!);
        if (boundaryLength > 254) { return new MimeMultipart(headers, ct, [], body, ReadOnlyMemory<byte>.Empty, missingFinalBoundary: true); }
        boundaryBuffer[0] = (byte)'-';
        boundaryBuffer[1] = (byte)'-';
        Encoding.Latin1.GetBytes(ct.Boundary!, boundaryBuffer[2..]);
        ReadOnlySpan<byte> boundary = boundaryBuffer[..(2 + boundaryLength)];
        var span = body.Span;
        var children = new List<MimeEntity>();
        var preambleEnd = -1;
        var partStart = -1;
        var pos = 0;
        var closed = false;
        var epilogueStart = span.Length;
        while (pos <= span.Length)
        {
            var idx = FindBoundaryLine(span, boundary, pos);
            if (idx < 0) { break; }
            var delimStart = idx;
            if (delimStart > 0 && span[delimStart - 1] == '\n') { delimStart--; if (delimStart > 0 && span[delimStart - 1] == '\r') { delimStart--; } }
            if (partStart < 0) { preambleEnd = idx; }
            else
            {
                var child = ParseEntity(body[partStart..Math.Max(partStart, delimStart)], bodyBase + partStart, ctx, depth + 1);
                if (child is null) { return null; }
                children.Add(child);
            }
            var after = idx + boundary.Length;
            var isClose = after + 1 < span.Length && span[after] == '-' && span[after + 1] == '-';
            if (isClose) { closed = true; epilogueStart = after + 2; break; }
            var nl = span[after..].IndexOf((byte)'\n');
            if (nl < 0) { partStart = span.Length; pos = span.Length; break; }
            partStart = after + nl + 1;
            pos = partStart;
        }
        if (preambleEnd < 0)
        {
            return new MimeMultipart(headers, ct, [], body, ReadOnlyMemory<byte>.Empty, missingFinalBoundary: true);
        }
        if (!closed && partStart >= 0 && partStart < span.Length)
        {
            var child = ParseEntity(body[partStart..], bodyBase + partStart, ctx, depth + 1);
            if (child is null) { return null; }
            children.Add(child);
        }
        return new MimeMultipart(headers, ct, children, body[..preambleEnd], closed ? body[epilogueStart..] : ReadOnlyMemory<byte>.Empty, !closed);
    }

    /// <summary>A dash-boundary at the start of a line, followed by "--", optional LWSP and a line end, or the end.</summary>
    private static int FindBoundaryLine(ReadOnlySpan<byte> span, ReadOnlySpan<byte> boundary, int from)
    {
        while (from < span.Length)
        {
            var i = span[from..].IndexOf(boundary);
            if (i < 0) { return -1; }
            i += from;
            if ((i == 0 || span[i - 1] == '\n') && EndsBoundaryLine(span[(i + boundary.Length)..])) { return i; }
            from = i + 1;
        }
        return -1;
    }

    // after "--boundary": "--"? then transport padding (WSP) then CRLF / LF / end of data
    private static bool EndsBoundaryLine(ReadOnlySpan<byte> rest)
    {
        if (rest.StartsWith("--"u8)) { return true; }
        var k = 0;
        while (k < rest.Length && (rest[k] == ' ' || rest[k] == '\t')) { k++; }
        return k == rest.Length || rest[k] == '\n' || (rest[k] == '\r' && (k + 1 == rest.Length || rest[k + 1] == '\n'));
    }
}

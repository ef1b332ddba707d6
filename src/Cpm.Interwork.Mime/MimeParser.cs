using System.Text;

namespace Cpm.Interwork.Mime;

/// <summary>Lenient MIME parser: frames headers and parts, never decodes bodies. Bare LF accepted.</summary>
public static class MimeParser
{
    private sealed class RejectException(MimeRejectionReason reason, long offset) : Exception
    {
        public MimeRejectionReason Reason { get; } = reason;
        public long Offset { get; } = offset;
    }

    public static MimeParseResult Parse(ReadOnlyMemory<byte> message, MimeParserOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (message.Length > options.MaxMessageBytes) { return MimeParseResult.Reject(MimeRejectionReason.MessageTooLarge, options.MaxMessageBytes); }
        var parts = 0;
        try
        {
            return MimeParseResult.Success(ParseEntity(message, 0, options, 1, ref parts));
        }
        catch (RejectException e)
        {
            return MimeParseResult.Reject(e.Reason, e.Offset);
        }
    }

    /// <summary>Parses only the header block; <paramref name="bodyOffset"/> is where the body starts.</summary>
    public static MimeHeaderList? ParseHeaders(ReadOnlyMemory<byte> message, MimeParserOptions options, out int bodyOffset, out MimeRejectionReason reason)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            var h = ReadHeaders(message, 0, options, out bodyOffset);
            reason = MimeRejectionReason.None;
            return h;
        }
        catch (RejectException e)
        {
            bodyOffset = (int)e.Offset;
            reason = e.Reason;
            return null;
        }
    }

    private static MimeHeaderList ReadHeaders(ReadOnlyMemory<byte> msg, long baseOffset, MimeParserOptions options, out int bodyOffset)
    {
        var span = msg.Span;
        var list = new List<MimeHeader>();
        var pos = 0;
        while (pos < span.Length)
        {
            if (pos > options.MaxHeaderBytes) { throw new RejectException(MimeRejectionReason.HeaderTooLarge, baseOffset + pos); }
            // end of header block
            if (span[pos] == '\n') { bodyOffset = pos + 1; return new MimeHeaderList(list); }
            if (span[pos] == '\r' && pos + 1 < span.Length && span[pos + 1] == '\n') { bodyOffset = pos + 2; return new MimeHeaderList(list); }
            var start = pos;
            // field ends at a line end not followed by WSP
            var end = pos;
            int next;
            while (true)
            {
                var nl = span[end..].IndexOf((byte)'\n');
                if (nl < 0) { end = span.Length; next = span.Length; break; }
                var lineEnd = end + nl;
                if (nl > options.MaxLineLength) { throw new RejectException(MimeRejectionReason.LineTooLong, baseOffset + end); }
                if (lineEnd + 1 < span.Length && (span[lineEnd + 1] == ' ' || span[lineEnd + 1] == '\t'))
                {
                    end = lineEnd + 1;
                    continue;
                }
                next = lineEnd + 1;
                end = lineEnd > start && span[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
                break;
            }
            if (next - start > options.MaxHeaderBytes || next > options.MaxHeaderBytes) { throw new RejectException(MimeRejectionReason.HeaderTooLarge, baseOffset + start); }
            var field = span[start..end];
            var colon = field.IndexOf((byte)':');
            if (colon <= 0 || field[..colon].IndexOfAny((byte)' ', (byte)'\t') >= 0 && field[..colon].TrimEnd((byte)' ').IndexOfAny((byte)' ', (byte)'\t') >= 0)
            {
                list.Add(new MimeHeader(Encoding.Latin1.GetString(field), ReadOnlyMemory<byte>.Empty, isMalformed: true));
            }
            else
            {
                list.Add(new MimeHeader(Encoding.Latin1.GetString(field[..colon]), msg.Slice(start + colon + 1, end - start - colon - 1)));
            }
            pos = next;
        }
        bodyOffset = span.Length;
        return new MimeHeaderList(list);
    }

    private static MimeEntity ParseEntity(ReadOnlyMemory<byte> msg, long baseOffset, MimeParserOptions options, int depth, ref int parts)
    {
        if (depth > options.MaxDepth) { throw new RejectException(MimeRejectionReason.TooDeep, baseOffset); }
        if (++parts > options.MaxParts) { throw new RejectException(MimeRejectionReason.TooManyParts, baseOffset); }
        var headers = ReadHeaders(msg, baseOffset, options, out var bodyOffset);
        var body = msg[bodyOffset..];
        var ctHeader = headers.Get("Content-Type");
        var ct = ctHeader is null ? null : ContentType.Parse(ctHeader.Value);
        if (ct is null || !ct.IsMultipart || string.IsNullOrEmpty(ct.Boundary))
        {
            return new MimePart(headers, body);
        }
        var boundary = Encoding.ASCII.GetBytes("--" + ct.Boundary);
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
            // idx is the start of "--boundary"; the preceding line break belongs to the boundary
            var delimStart = idx;
            if (delimStart > 0 && span[delimStart - 1] == '\n') { delimStart--; if (delimStart > 0 && span[delimStart - 1] == '\r') { delimStart--; } }
            if (partStart < 0) { preambleEnd = idx; }
            else
            {
                children.Add(ParseEntity(body[partStart..Math.Max(partStart, delimStart)], baseOffset + bodyOffset + partStart, options, depth + 1, ref parts));
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
            return new MimeMultipart(headers, children, body, ReadOnlyMemory<byte>.Empty, missingFinalBoundary: true);
        }
        if (!closed && partStart >= 0 && partStart < span.Length)
        {
            children.Add(ParseEntity(body[partStart..], baseOffset + bodyOffset + partStart, options, depth + 1, ref parts));
        }
        return new MimeMultipart(headers, children, body[..preambleEnd], closed ? body[epilogueStart..] : ReadOnlyMemory<byte>.Empty, !closed);
    }

    private static int FindBoundaryLine(ReadOnlySpan<byte> span, ReadOnlySpan<byte> boundary, int from)
    {
        while (from < span.Length)
        {
            var i = span[from..].IndexOf(boundary);
            if (i < 0) { return -1; }
            i += from;
            if (i == 0 || span[i - 1] == '\n') { return i; }
            from = i + 1;
        }
        return -1;
    }
}

using System.Buffers;

namespace Cpm.Interwork.Sip;

/// <summary>
/// Incremental SIP message parser (RFC 3261 §7, §18.3, §25). Stateless: call again with more bytes after
/// <see cref="SipParseStatus.NeedMore"/>. Limits from <see cref="SipParserOptions"/> are enforced while scanning, before
/// anything is materialised. Bodies stay bytes; typed header values are parsed lazily by the message.
/// </summary>
/// <remarks>
/// Datagram mode (UDP, RFC 3261 §18.3): the buffer is one whole datagram; Content-Length may be absent (the body is the
/// rest); bytes after Content-Length are discarded; never returns NeedMore. Stream mode (TCP): Content-Length is
/// mandatory; returns NeedMore (consuming nothing but leading CRLF keep-alives) until the whole message is buffered;
/// a multi-segment buffer is copied only up to MaxHeaderBlockBytes + MaxBodyBytes + 1 KiB.
/// On <see cref="SipParseStatus.Invalid"/> the message is non-null when the request can still be answered (its Via, From,
/// To, Call-ID and CSeq are valid): answer it with <see cref="SipResponseBuilder.ForRejection"/>. In stream mode close the
/// connection after any Invalid: framing is lost.
/// </remarks>
public static class SipParser
{
    private const int StackHeaderLimit = 128;

    // Per-thread header index scratch, so the parse path neither zeroes a large stack buffer nor rents.
    [ThreadStatic]
    private static SipHeaderEntry[]? t_scratch;

    /// <summary>
    /// Parses one message from a sequence (e.g. a PipeReader buffer). On Complete the message owns a copy of its bytes,
    /// so the caller may advance the pipe to <paramref name="consumed"/> at once.
    /// </summary>
    public static SipParseStatus TryParse(ReadOnlySequence<byte> buffer, SipParserOptions options, bool datagram,
        out SipMessage? message, out SequencePosition consumed, out SipParseError error)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (buffer.IsSingleSegment)
        {
            var status = Parse(buffer.First, options, datagram, copy: true, out message, out var n, out error);
            consumed = buffer.GetPosition(n);
            return status;
        }
        // Multi-segment: work on a contiguous copy bounded by the limits, so memory stays bounded.
        var cap = (long)options.MaxHeaderBlockBytes + options.MaxBodyBytes + 1024;
        var length = (int)Math.Min(buffer.Length, datagram ? buffer.Length : cap);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.Slice(0, length).CopyTo(rented);
            var status = Parse(rented.AsMemory(0, length), options, datagram, copy: true, out message, out var n, out error);
            consumed = buffer.GetPosition(n);
            return status;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Parses one message from contiguous memory without copying: the message keeps referencing
    /// <paramref name="buffer"/>, which must not change afterwards (e.g. a byte[] owned per datagram).
    /// </summary>
    public static SipParseStatus TryParse(ReadOnlyMemory<byte> buffer, SipParserOptions options, bool datagram,
        out SipMessage? message, out int consumed, out SipParseError error)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Parse(buffer, options, datagram, copy: false, out message, out consumed, out error);
    }

    /// <summary>Parses one whole UDP datagram without copying (see the memory overload).</summary>
    public static SipParseStatus TryParseDatagram(ReadOnlyMemory<byte> datagram, SipParserOptions options,
        out SipMessage? message, out SipParseError error) =>
        TryParse(datagram, options, datagram: true, out message, out _, out error);

    private static SipParseStatus Parse(ReadOnlyMemory<byte> memory, SipParserOptions options, bool datagram, bool copy,
        out SipMessage? message, out int consumed, out SipParseError error)
    {
        message = null;
        consumed = 0;
        var all = memory.Span;

        // RFC 3261 §7.5: ignore CRLFs before the start line (RFC 5626 keep-alives on streams).
        var start = 0;
        while (start + 1 < all.Length && all[start] == (byte)'\r' && all[start + 1] == (byte)'\n') { start += 2; }
        if (start == all.Length || (start + 1 == all.Length && all[start] == (byte)'\r'))
        {
            if (datagram) { error = new SipParseError(SipRejectionReason.EmptyMessage, 0); consumed = all.Length; return SipParseStatus.Invalid; }
            consumed = start;
            error = default;
            return SipParseStatus.NeedMore;
        }

        var max = options.MaxHeaderCount;
        SipHeaderEntry[]? pooled = null;
        Span<SipHeaderEntry> scratch;
        if (max <= StackHeaderLimit) { scratch = t_scratch ??= new SipHeaderEntry[StackHeaderLimit]; }
        else { scratch = pooled = ArrayPool<SipHeaderEntry>.Shared.Rent(max + 1); }
        try
        {
            var s = all[start..];
            var status = SipFrameReader.Read(s, options, datagram, scratch, out var frame, out var reason, out var offset);
            if (status == SipParseStatus.NeedMore)
            {
                consumed = start; // only leading CRLF keep-alives; the partial message stays in the buffer
                error = default;
                return status;
            }
            if (status == SipParseStatus.Invalid && !frame.Answerable)
            {
                error = new SipParseError(reason, start + offset);
                consumed = datagram ? all.Length : 0;
                return status;
            }

            var length = frame.MessageLength;
            ReadOnlyMemory<byte> bytes = copy ? s[..length].ToArray() : memory.Slice(start, length);
            var headers = scratch[..frame.HeaderCount].ToArray();
            message = frame.IsRequest
                ? new SipRequest(bytes, headers, frame.BodyStart, frame.BodyLength, frame.Method!, frame.UriStart, frame.UriLength)
                : new SipResponse(bytes, headers, frame.BodyStart, frame.BodyLength, frame.StatusCode, frame.ReasonStart, frame.ReasonLength);
            if (status == SipParseStatus.Invalid)
            {
                error = new SipParseError(reason, start + offset);
                consumed = datagram ? all.Length : 0;
                return status;
            }
            error = default;
            consumed = datagram ? all.Length : start + length;
            return SipParseStatus.Complete;
        }
        finally
        {
            if (pooled is not null) { ArrayPool<SipHeaderEntry>.Shared.Return(pooled); }
        }
    }
}

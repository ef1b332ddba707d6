using System.Buffers;
using System.Globalization;
using System.Text;
using Cpm.Interwork.Mime;

namespace Cpm.Interwork.Mm4;

/// <summary>
/// Strict, canonical MM4 writer. Header order follows real operator traffic: From, Sender, To, Cc, Message-ID,
/// Date, Subject, MIME-Version and the content headers, then the X-Mms headers (version, type, IDs, type-specific),
/// then the extra headers. X-Mms IDs are written quoted, Message-ID in angle brackets, Subject and status texts
/// RFC 2047-encoded when non-ASCII, long lines folded at whitespace before 76 characters.
/// </summary>
public static class Mm4Writer
{
    private const int FoldAt = 76;

    public static byte[] ToBytes(Mm4Message message)
    {
        var w = new ArrayBufferWriter<byte>(4096);
        Write(message, w);
        return w.WrittenSpan.ToArray();
    }

    /// <summary>Writes the whole mail (headers, blank line, body). Throws <see cref="Mm4ValidationException"/> when a mandatory element is missing or a value cannot be written.</summary>
    public static void Write(Mm4Message message, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(writer);
        var missing = message.GetMissingMandatoryHeaders();
        if (missing.Count > 0) { throw new Mm4ValidationException(missing); }

        var h = new HeaderSink(writer);
        if (message.From is { } from) { h.Address(Mm4HeaderNames.From, from); }
        if (message.Sender is { } sender) { h.Address(Mm4HeaderNames.Sender, sender); }
        if (message.To.Count > 0) { h.Line(Mm4HeaderNames.To, FormatList(message.To)); }
        if (message is Mm4ForwardRequest { Cc.Count: > 0 } fc) { h.Line(Mm4HeaderNames.Cc, FormatList(fc.Cc)); }
        if (message.RfcMessageId is { } rfcId) { h.Line(Mm4HeaderNames.MessageIdRfc, "<" + Ascii(Mm4HeaderNames.MessageIdRfc, rfcId) + ">"); }
        if (message.Date is { } date) { h.Line(Mm4HeaderNames.Date, Mm4Dates.Format(date)); }
        if (message is Mm4ForwardRequest { Subject: { } subject }) { h.Line(Mm4HeaderNames.Subject, Mm4EncodedWords.Encode(subject)); }
        if (message.Content is { } content)
        {
            h.Line(Mm4HeaderNames.MimeVersion, "1.0");
            content.Entity.Headers.WriteTo(writer);
        }
        h.Line(Mm4HeaderNames.MmsVersion, Ascii(Mm4HeaderNames.MmsVersion, message.MmsVersion));
        h.Line(Mm4HeaderNames.MessageType, Mm4Values.Format(message.MessageType));
        h.Line(Mm4HeaderNames.TransactionId, QuoteId(Mm4HeaderNames.TransactionId, message.TransactionId));
        h.Line(Mm4HeaderNames.MessageId, QuoteId(Mm4HeaderNames.MessageId, message.MessageId));
        switch (message)
        {
            case Mm4ForwardRequest f: WriteForward(f, h); break;
            case Mm4ForwardResponse r: WriteStatus(r.RequestStatus, r.StatusText, h); Originator(message, h); break;
            case Mm4DeliveryReportResponse r: WriteStatus(r.RequestStatus, r.StatusText, h); Originator(message, h); break;
            case Mm4ReadReplyReportResponse r: WriteStatus(r.RequestStatus, r.StatusText, h); Originator(message, h); break;
            case Mm4DeliveryReportRequest d:
                h.Line(Mm4HeaderNames.MmStatusCode, Ascii(Mm4HeaderNames.MmStatusCode, d.MmStatus.Text));
                if (d.MmStatusExtension is { } ext) { h.Line(Mm4HeaderNames.MmStatusExtension, Ascii(Mm4HeaderNames.MmStatusExtension, ext)); }
                if (d.StatusText is { } dt) { h.Line(Mm4HeaderNames.StatusText, Mm4EncodedWords.Encode(dt)); }
                h.Line(Mm4HeaderNames.ForwardToOriginatorUa, Mm4Values.Format(d.ForwardToOriginatorUa));
                if (d.AckRequest is { } da) { h.Line(Mm4HeaderNames.AckRequest, Mm4Values.Format(da)); }
                Originator(message, h);
                break;
            case Mm4ReadReplyReportRequest rr:
                h.Line(Mm4HeaderNames.ReadStatus, Mm4Values.Format(rr.ReadStatus));
                if (rr.StatusText is { } rt) { h.Line(Mm4HeaderNames.StatusText, Mm4EncodedWords.Encode(rt)); }
                if (rr.AckRequest is { } ra) { h.Line(Mm4HeaderNames.AckRequest, Mm4Values.Format(ra)); }
                Originator(message, h);
                break;
            default: throw new ArgumentException("unknown message type", nameof(message));
        }
        message.ExtraHeaders.WriteTo(writer);
        writer.Write("\r\n"u8);
        message.Content?.WriteBodyTo(writer);
    }

    private static void WriteForward(Mm4ForwardRequest f, HeaderSink h)
    {
        if (f.MessageClass is { } mc) { h.Line(Mm4HeaderNames.MessageClass, Mm4Values.Format(mc)); }
        if (f.Expiry is { } ex) { h.Line(Mm4HeaderNames.Expiry, ex.ToString()); }
        if (f.DeliveryReport is { } dr) { h.Line(Mm4HeaderNames.DeliveryReport, Mm4Values.Format(dr)); }
        if (f.Priority is { } p) { h.Line(Mm4HeaderNames.Priority, Mm4Values.Format(p)); }
        if (f.SenderVisibility is { } sv) { h.Line(Mm4HeaderNames.SenderVisibility, Mm4Values.Format(sv)); }
        if (f.ReadReply is { } rr) { h.Line(Mm4HeaderNames.ReadReply, Mm4Values.Format(rr)); }
        if (f.AckRequest is { } ack) { h.Line(Mm4HeaderNames.AckRequest, Mm4Values.Format(ack)); }
        if (f.ForwardCounter is { } fc)
        {
            if (fc < 0) { throw new Mm4ValidationException([Mm4HeaderNames.ForwardCounter], "X-Mms-Forward-Counter must not be negative"); }
            h.Line(Mm4HeaderNames.ForwardCounter, fc.ToString(CultureInfo.InvariantCulture));
        }
        foreach (var v in f.PreviouslySentBy) { h.Line(Mm4HeaderNames.PreviouslySentBy, Ascii(Mm4HeaderNames.PreviouslySentBy, v)); }
        foreach (var v in f.PreviouslySentDateAndTime) { h.Line(Mm4HeaderNames.PreviouslySentDateAndTime, Ascii(Mm4HeaderNames.PreviouslySentDateAndTime, v)); }
        Optional(h, Mm4HeaderNames.VaspId, f.VaspId);
        Optional(h, Mm4HeaderNames.VasId, f.VasId);
        Optional(h, Mm4HeaderNames.ApplicId, f.ApplicId);
        Optional(h, Mm4HeaderNames.ReplyApplicId, f.ReplyApplicId);
        Optional(h, Mm4HeaderNames.AuxApplicInfo, f.AuxApplicInfo);
        Optional(h, Mm4HeaderNames.ContentClass, f.ContentClass);
        if (f.DrmContent is { } drm) { h.Line(Mm4HeaderNames.DrmContent, Mm4Values.Format(drm)); }
        if (f.AdaptationAllowed is { } ad) { h.Line(Mm4HeaderNames.AdaptationAllowed, Mm4Values.Format(ad)); }
        Originator(f, h);
        if (f.OriginatorRsDeliveryReport is { } rs) { h.Line(Mm4HeaderNames.OriginatorRsDeliveryReport, Mm4Values.Format(rs)); }
    }

    private static void WriteStatus(Mm4RequestStatus status, string? text, HeaderSink h)
    {
        h.Line(Mm4HeaderNames.RequestStatusCode, Ascii(Mm4HeaderNames.RequestStatusCode, status.Text));
        if (text is not null) { h.Line(Mm4HeaderNames.StatusText, Mm4EncodedWords.Encode(text)); }
    }

    private static void Originator(Mm4Message m, HeaderSink h)
    {
        if (m.OriginatorSystem is { } os) { h.Address(Mm4HeaderNames.OriginatorSystem, os); }
    }

    private static void Optional(HeaderSink h, string name, string? value)
    {
        if (value is not null) { h.Line(name, Ascii(name, value)); }
    }

    private static string FormatList(IReadOnlyList<Mm4Address> list) => string.Join(", ", list.Select(a => a.ToString()));

    /// <summary>IDs go out as a quoted-string, as real peers write them (<c>"abc@mms.example.net"</c>).</summary>
    private static string QuoteId(string header, string id)
    {
        Ascii(header, id);
        if (id.Contains('"', StringComparison.Ordinal) || id.Contains('\\', StringComparison.Ordinal) || id.Any(char.IsWhiteSpace))
        {
            throw new Mm4ValidationException([header], $"{header} must be visible ASCII without quotes or backslashes");
        }
        return "\"" + id + "\"";
    }

    private static string Ascii(string header, string value)
    {
        if (value.Length == 0 || value.Any(c => c < 0x20 || c >= 0x7F))
        {
            throw new Mm4ValidationException([header], $"{header} must be non-empty printable ASCII");
        }
        return value;
    }

    /// <summary>Writes Name: value CRLF, folding at whitespace so that lines stay within 76 characters (RFC 2047 §2) where possible.</summary>
    private readonly struct HeaderSink(IBufferWriter<byte> writer)
    {
        public void Address(string name, Mm4Address a) => Line(name, a.ToString());

        public void Line(string name, string value)
        {
            if (value.Any(c => c is '\r' or '\n' || c >= 0x7F))
            {
                throw new Mm4ValidationException([name], $"{name} contains a line break or non-ASCII character");
            }
            var line = name + ": " + value;
            if (line.Length <= FoldAt)
            {
                Emit(line);
                writer.Write("\r\n"u8);
                return;
            }
            var sb = new StringBuilder(line.Length + 16);
            var start = 0;
            while (line.Length - start > FoldAt)
            {
                var limit = start + FoldAt;
                var cut = line.LastIndexOfAny([' ', '\t'], limit, limit - start);
                if (cut <= (start == 0 ? name.Length + 1 : start))
                {
                    // nothing to fold at within the limit: fold right after "Name:" once, else at the next whitespace
                    cut = start == 0 ? name.Length + 1 : line.IndexOfAny([' ', '\t'], limit);
                    if (cut < 0) { break; }
                }
                sb.Append(line, start, cut - start).Append("\r\n");
                start = cut;
            }
            sb.Append(line, start, line.Length - start).Append("\r\n");
            Emit(sb.ToString());
        }

        private void Emit(string s)
        {
            var span = writer.GetSpan(s.Length);
            var n = Encoding.ASCII.GetBytes(s, span);
            writer.Advance(n);
        }
    }
}

/// <summary>A model that cannot be written: a mandatory element is missing or a value is not writable. This is a bug in the caller, not peer input.</summary>
public sealed class Mm4ValidationException : Exception
{
    public Mm4ValidationException() : this([], "invalid MM4 message") { }
    public Mm4ValidationException(string message) : this([], message) { }
    public Mm4ValidationException(string message, Exception innerException) : base(message, innerException) => Headers = [];

    public Mm4ValidationException(IReadOnlyList<string> headers, string? message = null)
        : base(message ?? "missing mandatory MM4 header(s): " + string.Join(", ", headers)) => Headers = headers;

    /// <summary>The header names at fault.</summary>
    public IReadOnlyList<string> Headers { get; }
}

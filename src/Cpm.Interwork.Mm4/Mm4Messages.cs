using Cpm.Interwork.Mime;

namespace Cpm.Interwork.Mm4;

/// <summary>
/// What every MM4 message has. Immutable; the reader fills it from a mail, builders and
/// <see cref="Mm4ReplyFactory"/> create it for sending, <see cref="Mm4Writer"/> refuses one that lacks a mandatory element.
/// </summary>
public abstract record Mm4Message
{
    public abstract Mm4MessageType MessageType { get; }

    /// <summary>X-Mms-3GPP-MMS-Version, e.g. 6.10.0.</summary>
    public required string MmsVersion { get; init; }

    /// <summary>X-Mms-Transaction-ID without surrounding quotes.</summary>
    public required string TransactionId { get; init; }

    /// <summary>X-Mms-Message-ID without surrounding quotes (for reports and responses: the original message's).</summary>
    public required string MessageId { get; init; }

    /// <summary>From: the originator (forward.REQ), the recipient (delivery/read reports).</summary>
    public Mm4Address? From { get; init; }

    /// <summary>To: recipients (forward.REQ), the original sender (reports), the transport destination (responses).</summary>
    public IReadOnlyList<Mm4Address> To { get; init; } = [];

    /// <summary>Sender: (transport level), usually the qualified originator or a system address.</summary>
    public Mm4Address? Sender { get; init; }

    /// <summary>X-Mms-Originator-System: where responses go.</summary>
    public Mm4Address? OriginatorSystem { get; init; }

    /// <summary>RFC 5322 Message-ID: without angle brackets.</summary>
    public string? RfcMessageId { get; init; }

    /// <summary>Date: (mandatory for the .REQ types).</summary>
    public DateTimeOffset? Date { get; init; }

    /// <summary>The body entity; mandatory for forward.REQ, optional (usually absent or text/plain) otherwise.</summary>
    public Mm4Content? Content { get; init; }

    /// <summary>Headers we do not model (or whose value we did not understand), in their original order and bytes.</summary>
    public MimeHeaderList ExtraHeaders { get; init; } = MimeHeaderList.Empty;

    /// <summary>The mandatory header names that are missing or empty in this model (empty when it can be written).</summary>
    public IReadOnlyList<string> GetMissingMandatoryHeaders()
    {
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(MmsVersion)) { missing.Add(Mm4HeaderNames.MmsVersion); }
        if (string.IsNullOrWhiteSpace(TransactionId)) { missing.Add(Mm4HeaderNames.TransactionId); }
        if (string.IsNullOrWhiteSpace(MessageId)) { missing.Add(Mm4HeaderNames.MessageId); }
        CollectMissing(missing);
        return missing;
    }

    private protected abstract void CollectMissing(List<string> missing);

    private protected void RequireReportFields(List<string> missing)
    {
        if (To.Count == 0) { missing.Add(Mm4HeaderNames.To); }
        if (From is null) { missing.Add(Mm4HeaderNames.From); }
        if (Date is null) { missing.Add(Mm4HeaderNames.Date); }
    }

    /// <summary>The canonical wire form (see <see cref="Mm4Writer"/>).</summary>
    public byte[] ToBytes() => Mm4Writer.ToBytes(this);
}

/// <summary>MM4_forward.REQ (TS 23.140 §8.4.1.1).</summary>
public sealed record Mm4ForwardRequest : Mm4Message
{
    public override Mm4MessageType MessageType => Mm4MessageType.ForwardRequest;

    public IReadOnlyList<Mm4Address> Cc { get; init; } = [];

    /// <summary>Subject, decoded (RFC 2047 on the wire when non-ASCII).</summary>
    public string? Subject { get; init; }

    public MessageClass? MessageClass { get; init; }
    public Mm4Expiry? Expiry { get; init; }
    public bool? DeliveryReport { get; init; }
    public bool? OriginatorRsDeliveryReport { get; init; }
    public Priority? Priority { get; init; }
    public SenderVisibility? SenderVisibility { get; init; }
    public bool? ReadReply { get; init; }
    public bool? AckRequest { get; init; }
    public int? ForwardCounter { get; init; }

    /// <summary>X-Mms-Previously-sent-by values as written (one per header).</summary>
    public IReadOnlyList<string> PreviouslySentBy { get; init; } = [];

    /// <summary>X-Mms-Previously-sent-date-and-time values as written (one per header).</summary>
    public IReadOnlyList<string> PreviouslySentDateAndTime { get; init; } = [];

    public string? VaspId { get; init; }
    public string? VasId { get; init; }
    public string? ApplicId { get; init; }
    public string? ReplyApplicId { get; init; }
    public string? AuxApplicInfo { get; init; }

    /// <summary>X-Mms-Content-Class token (text, image-basic, image-rich, video-basic, video-rich, megapixel, content-basic, content-rich).</summary>
    public string? ContentClass { get; init; }

    public bool? DrmContent { get; init; }
    public bool? AdaptationAllowed { get; init; }

    /// <summary>All recipients: To then Cc.</summary>
    public IEnumerable<Mm4Address> Recipients => To.Concat(Cc);

    private protected override void CollectMissing(List<string> missing)
    {
        if (To.Count == 0 && Cc.Count == 0) { missing.Add(Mm4HeaderNames.To); }
        if (From is null) { missing.Add(Mm4HeaderNames.From); }
        if (Content is null) { missing.Add(Mm4HeaderNames.ContentType); }
        if (Date is null) { missing.Add(Mm4HeaderNames.Date); }
    }
}

/// <summary>MM4_forward.RES (TS 23.140 §8.4.1.2).</summary>
public sealed record Mm4ForwardResponse : Mm4Message
{
    public override Mm4MessageType MessageType => Mm4MessageType.ForwardResponse;
    public required Mm4RequestStatus RequestStatus { get; init; }
    public string? StatusText { get; init; }

    private protected override void CollectMissing(List<string> missing)
    {
        if (string.IsNullOrWhiteSpace(RequestStatus.Text)) { missing.Add(Mm4HeaderNames.RequestStatusCode); }
    }
}

/// <summary>MM4_delivery_report.REQ (TS 23.140 §8.4.2.1).</summary>
public sealed record Mm4DeliveryReportRequest : Mm4Message
{
    public override Mm4MessageType MessageType => Mm4MessageType.DeliveryReportRequest;
    public required Mm4MmStatus MmStatus { get; init; }
    public required bool ForwardToOriginatorUa { get; init; }
    public string? MmStatusExtension { get; init; }
    public string? StatusText { get; init; }
    public bool? AckRequest { get; init; }

    private protected override void CollectMissing(List<string> missing)
    {
        RequireReportFields(missing);
        if (string.IsNullOrWhiteSpace(MmStatus.Text)) { missing.Add(Mm4HeaderNames.MmStatusCode); }
    }
}

/// <summary>MM4_delivery_report.RES (TS 23.140 §8.4.2.2).</summary>
public sealed record Mm4DeliveryReportResponse : Mm4Message
{
    public override Mm4MessageType MessageType => Mm4MessageType.DeliveryReportResponse;
    public required Mm4RequestStatus RequestStatus { get; init; }
    public string? StatusText { get; init; }

    private protected override void CollectMissing(List<string> missing)
    {
        if (string.IsNullOrWhiteSpace(RequestStatus.Text)) { missing.Add(Mm4HeaderNames.RequestStatusCode); }
    }
}

/// <summary>MM4_read_reply_report.REQ (TS 23.140 §8.4.3.1).</summary>
public sealed record Mm4ReadReplyReportRequest : Mm4Message
{
    public override Mm4MessageType MessageType => Mm4MessageType.ReadReplyReportRequest;
    public required ReadStatus ReadStatus { get; init; }
    public string? StatusText { get; init; }
    public bool? AckRequest { get; init; }

    private protected override void CollectMissing(List<string> missing) => RequireReportFields(missing);
}

/// <summary>MM4_read_reply_report.RES (TS 23.140 §8.4.3.2).</summary>
public sealed record Mm4ReadReplyReportResponse : Mm4Message
{
    public override Mm4MessageType MessageType => Mm4MessageType.ReadReplyReportResponse;
    public required Mm4RequestStatus RequestStatus { get; init; }
    public string? StatusText { get; init; }

    private protected override void CollectMissing(List<string> missing)
    {
        if (string.IsNullOrWhiteSpace(RequestStatus.Text)) { missing.Add(Mm4HeaderNames.RequestStatusCode); }
    }
}

using Cpm.Interwork.Mime;
using Cpm.Interwork.Mime.Cpim;
using Cpm.Interwork.Mime.Imdn;
using Cpm.Interwork.Mm4;
using Cpm.Interwork.Sip;

namespace Cpm.Interwork.Core;

/// <summary>Which MM4 report an IMDN becomes.</summary>
public enum Mm4ReportKind
{
    /// <summary>No MM4 equivalent: nothing is sent.</summary>
    None = 0,
    DeliveryReport,
    ReadReply,
}

/// <summary>The MM4 report an IMDN maps to: an X-Mms-MM-Status-Code, an X-Mms-Read-Status, or none (with why).</summary>
public sealed record ImdnToMm4(Mm4ReportKind Kind, Mm4MmStatus? MmStatus, ReadStatus? ReadStatus, string StatusText);

/// <summary>The CPM original a report refers to (from the store): who sent it, its imdn.Message-ID, what it asked for.</summary>
public sealed record CpmOriginal(string SenderUri, string ImdnMessageId, DispositionNotification RequestedNotifications, string? RecipientUri = null);

/// <summary>IMDN (RFC 5438) ↔ MM4 delivery / read-reply reports (PROTOCOLS.md §6; docs/mapping.md).</summary>
public sealed class ImdnReports
{
    private readonly Mm4ToCpmMapper _uris;
    private readonly CpmOptions _cpm;

    public ImdnReports(ImsOptions ims, CpmOptions cpm)
    {
        ArgumentNullException.ThrowIfNull(ims);
        ArgumentNullException.ThrowIfNull(cpm);
        _uris = new Mm4ToCpmMapper(ims, cpm);
        _cpm = cpm;
    }

    /// <summary>
    /// IMDN from a CPM user → MM4: delivered → Retrieved; failed → Rejected; forbidden → Rejected; error → Indeterminate;
    /// displayed → Read; display forbidden/error and processing notifications → none (MM4 has no equivalent).
    /// </summary>
    public static ImdnToMm4 ToMm4(ImdnDocument imdn)
    {
        ArgumentNullException.ThrowIfNull(imdn);
        var text = "IMDN " + imdn.Kind.ToString().ToLowerInvariant() + " " + imdn.Status.ToString().ToLowerInvariant();
        Mm4MmStatus M(MmStatusCode c) => Mm4MmStatus.From(c);
        return (imdn.Kind, imdn.Status) switch
        {
            (ImdnNotificationKind.Delivery, ImdnStatus.Delivered) => new(Mm4ReportKind.DeliveryReport, M(MmStatusCode.Retrieved), null, text),
            (ImdnNotificationKind.Delivery, ImdnStatus.Failed) => new(Mm4ReportKind.DeliveryReport, M(MmStatusCode.Rejected), null, text),
            (ImdnNotificationKind.Delivery, ImdnStatus.Forbidden) => new(Mm4ReportKind.DeliveryReport, M(MmStatusCode.Rejected), null, text),
            (ImdnNotificationKind.Delivery, ImdnStatus.Error) => new(Mm4ReportKind.DeliveryReport, M(MmStatusCode.Indeterminate), null, text),
            (ImdnNotificationKind.Display, ImdnStatus.Displayed) => new(Mm4ReportKind.ReadReply, null, ReadStatus.Read, text),
            _ => new(Mm4ReportKind.None, null, null, text + ": no MM4 equivalent"),
        };
    }

    /// <summary>
    /// MM4_delivery_report.REQ → IMDN delivery-notification to the CPM sender, or null when nothing is to be sent:
    /// Retrieved → delivered (if positive-delivery was asked); Expired, Rejected, Unrecognised → failed (if negative-delivery
    /// was asked); Forwarded, Deferred, Indeterminate → null (interim: no IMDN yet); other tokens → error (if negative-delivery).
    /// </summary>
    public CpmOutboundMessage? DeliveryNotification(Mm4DeliveryReportRequest report, CpmOriginal original, string imdnMessageId)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(original);
        var (status, needs) = report.MmStatus.Code switch
        {
            MmStatusCode.Retrieved => (ImdnStatus.Delivered, DispositionNotification.PositiveDelivery),
            MmStatusCode.Expired or MmStatusCode.Rejected or MmStatusCode.Unrecognised => (ImdnStatus.Failed, DispositionNotification.NegativeDelivery),
            MmStatusCode.Forwarded or MmStatusCode.Deferred or MmStatusCode.Indeterminate => ((ImdnStatus?)null, DispositionNotification.None),
            _ => (ImdnStatus.Error, DispositionNotification.NegativeDelivery),
        };
        if (status is null || !original.RequestedNotifications.HasFlag(needs)) { return null; }
        return Notification(report.From, report.Date, original, imdnMessageId, ImdnNotificationKind.Delivery, status.Value);
    }

    /// <summary>
    /// MM4_read_reply_report.REQ → IMDN display-notification (only when display was asked): Read → displayed;
    /// Deleted without being read → per Cpm:DeletedWithoutReading (Drop: null; Error: status error).
    /// </summary>
    public CpmOutboundMessage? DisplayNotification(Mm4ReadReplyReportRequest report, CpmOriginal original, string imdnMessageId)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(original);
        if (!original.RequestedNotifications.HasFlag(DispositionNotification.Display)) { return null; }
        ImdnStatus? status = report.ReadStatus switch
        {
            ReadStatus.Read => ImdnStatus.Displayed,
            _ => _cpm.DeletedWithoutReading == DeletedWithoutReadingPolicy.Error ? ImdnStatus.Error : null,
        };
        return status is null ? null : Notification(report.From, report.Date, original, imdnMessageId, ImdnNotificationKind.Display, status.Value);
    }

    private CpmOutboundMessage Notification(Mm4Address? mmsUser, DateTimeOffset? date, CpmOriginal original, string imdnMessageId, ImdnNotificationKind kind, ImdnStatus status)
    {
        ArgumentException.ThrowIfNullOrEmpty(imdnMessageId);
        var fromUri = E164Addressing.FromMm4(mmsUser) is { } e164 ? _uris.UriOf(e164) : original.RecipientUri ?? E164Addressing.AnonymousUri;
        var when = date ?? DateTimeOffset.UnixEpoch;
        var xml = new ImdnDocument(original.ImdnMessageId, when, kind, status, fromUri, original.RecipientUri).ToXml();
        var cpim = new CpimMessageBuilder()
            .From(new CpimAddress(null, fromUri))
            .To(new CpimAddress(null, original.SenderUri))
            .DateTime(when)
            .Imdn(imdnMessageId, DispositionNotification.None)
            .ContentType(ImdnDocument.ContentType)
            .ContentHeader(MimeHeaderNames.ContentDisposition, "notification")
            .Body(xml)
            .ToBytes();
        return new CpmOutboundMessage
        {
            RequestUri = original.SenderUri,
            From = "<" + fromUri + ">",
            To = "<" + original.SenderUri + ">",
            Headers =
            [
                new(SipHeaderNames.AcceptContact, CpmOutboundMessage.AcceptContactValue),
                new(SipHeaderNames.PAssertedService, CpmOutboundMessage.CpmMessageIcsi),
            ],
            Body = cpim,
            ImdnMessageId = imdnMessageId,
        };
    }
}

using System.Text;
using Cpm.Interwork.Mime;

namespace Cpm.Interwork.Mm4.Tests;

public class VectorReadTests
{
    [Fact]
    public void OperatorForwardRequest_AllHeadersTyped()
    {
        var m = Vectors.ReadAs<Mm4ForwardRequest>("forward-req-operator.eml");
        Assert.Equal("6.10.0", m.MmsVersion);
        Assert.Equal("3863722022012600@mms.example.net", m.TransactionId);
        Assert.Equal("k1uoj0sg@mms.example.net", m.MessageId);
        Assert.Equal("k1uoj0sg@mms.example.net", m.RfcMessageId);
        Assert.Equal(Mm4Address.Plmn("+15550100001"), m.From);
        Assert.Equal(Mm4Address.Plmn("+15550100001", "mms.mnc006.mcc260.gprs"), m.Sender);
        Assert.Equal([Mm4Address.Plmn("+15550100002")], m.To);
        Assert.Empty(m.Cc);
        Assert.Equal(new DateTimeOffset(2022, 1, 25, 22, 17, 44, TimeSpan.Zero), m.Date);
        Assert.Equal("hello", m.Subject);
        Assert.Equal(MessageClass.Personal, m.MessageClass);
        Assert.False(m.Expiry!.Value.IsRelative);
        Assert.Equal(new DateTimeOffset(2022, 2, 1, 22, 17, 44, TimeSpan.Zero), m.Expiry.Value.AbsoluteTime);
        Assert.True(m.DeliveryReport);
        Assert.Equal(Priority.Normal, m.Priority);
        Assert.False(m.ReadReply);
        Assert.True(m.AckRequest);
        Assert.Equal(Mm4Address.Email("system-user@mms.example.net"), m.OriginatorSystem);
        Assert.False(m.OriginatorRsDeliveryReport);
        Assert.Null(m.SenderVisibility);
        Assert.Empty(m.ExtraHeaders);
    }

    [Fact]
    public void OperatorForwardRequest_ContentIsMultipartRelatedWithSmilJpegAndUtf8Text()
    {
        var m = Vectors.ReadAs<Mm4ForwardRequest>("forward-req-operator.eml");
        var content = m.Content!;
        Assert.True(content.ContentType.Is("multipart", "related"));
        Assert.Equal("<smil>", content.ContentType.Start);
        Assert.Equal("application/smil", content.ContentType.Type);
        Assert.All(content.Entity.Headers, h => Assert.StartsWith("Content-", h.Name, StringComparison.Ordinal));
        var related = Assert.IsType<MimeMultipart>(content.Entity);
        Assert.Equal(3, related.Parts.Count);
        var smil = Assert.IsType<MimePart>(related.Parts[0]);
        Assert.True(smil.ContentType.Is("application", "smil"));
        Assert.Contains("cid:image1", smil.GetText(), StringComparison.Ordinal);
        var jpeg = Assert.IsType<MimePart>(related.Parts[1]).GetDecodedContent();
        Assert.Equal(300, jpeg.Length);
        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        Assert.Equal([0xFF, 0xD9], jpeg[^2..]);
        Assert.Equal("<image1>", related.Parts[1].ContentId);
        Assert.Equal("Grüße aus Köln — 你好 👋", Assert.IsType<MimePart>(related.Parts[2]).GetText());
    }

    [Fact]
    public void OperatorForwardRequest_BodyBytesKeptExactly()
    {
        var bytes = Vectors.Load("forward-req-operator.eml");
        var m = Vectors.ReadAs<Mm4ForwardRequest>("forward-req-operator.eml");
        var text = Encoding.ASCII.GetString(bytes);
        var bodyStart = text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        Assert.Equal(bytes[bodyStart..], m.Content!.GetWireBody());
    }

    [Fact]
    public void LenientForwardRequest_OddCaseNamesAndTypeValue_UnquotedIds_RelativeExpiry()
    {
        var m = Vectors.ReadAs<Mm4ForwardRequest>("forward-req-lenient.eml");
        Assert.Equal("5.5.0", m.MmsVersion);
        Assert.Equal("tx-odd-1@mms.example.net", m.TransactionId);
        Assert.Equal("odd-msg-1@mms.example.net", m.MessageId);
        Assert.True(m.Expiry!.Value.IsRelative);
        Assert.Equal(TimeSpan.FromSeconds(604800), m.Expiry.Value.RelativeTime);
        Assert.Equal(new DateTimeOffset(2022, 2, 1, 22, 17, 44, TimeSpan.Zero), m.Expiry.Value.ResolveAgainst(m.Date!.Value));
        Assert.Equal(SenderVisibility.Hide, m.SenderVisibility);
        Assert.True(m.ReadReply);
        Assert.Equal(2, m.ForwardCounter);
        Assert.Equal(["0, +15550100009/TYPE=PLMN"], m.PreviouslySentBy);
        Assert.Equal(["0, Mon, 24 Jan 2022 10:00:00 +0100"], m.PreviouslySentDateAndTime);
        Assert.Equal("vasp-17", m.VaspId);
        Assert.Equal("svc-4", m.VasId);
        Assert.Equal("com.example.app", m.ApplicId);
        Assert.Equal("com.example.reply", m.ReplyApplicId);
        Assert.Equal("aux=1", m.AuxApplicInfo);
        Assert.Equal("text", m.ContentClass);
        Assert.False(m.DrmContent);
        Assert.True(m.AdaptationAllowed);
    }

    [Fact]
    public void LenientForwardRequest_FoldedAddressListsDisplayNamesAndOtherAddressTypes()
    {
        var m = Vectors.ReadAs<Mm4ForwardRequest>("forward-req-lenient.eml");
        Assert.Equal(Mm4Address.Plmn("+15550100001").WithDisplayName("Alice Example"), m.From);
        Assert.Equal([Mm4Address.Plmn("+15550100002"), Mm4Address.Plmn("+15550100003").WithDisplayName("Bob")], m.To);
        Assert.Equal(Mm4AddressKind.IPv4, m.Cc[0].Kind);
        Assert.Equal("192.0.2.44", m.Cc[0].Value);
        Assert.Equal(Mm4Address.Email("carol@example.org"), m.Cc[1]);
        Assert.Equal(4, m.Recipients.Count());
    }

    [Fact]
    public void LenientForwardRequest_EncodedFoldedSubjectAndTwoDigitYearGmtDate()
    {
        var m = Vectors.ReadAs<Mm4ForwardRequest>("forward-req-lenient.eml");
        Assert.Equal("Grüße 👋 aus Köln", m.Subject);
        Assert.Equal(new DateTimeOffset(2022, 1, 25, 22, 17, 44, TimeSpan.Zero), m.Date);
    }

    [Fact]
    public void LenientForwardRequest_UnknownHeadersAndUnreadableOptionalValuesKeptInOrder()
    {
        var m = Vectors.ReadAs<Mm4ForwardRequest>("forward-req-lenient.eml");
        Assert.Null(m.Priority);
        Assert.Equal(["x-mms-priority", "X-Operator-Trace", "Received"], m.ExtraHeaders.Select(h => h.Name));
        Assert.Equal("Urgent", m.ExtraHeaders[0].Value);
        Assert.Equal("Grüße aus Köln\r\n", Encoding.UTF8.GetString(((MimePart)m.Content!.Entity).GetDecodedContent()));
    }

    [Fact]
    public void BareLfForwardRequest_RawUtf8Subject_PaddedQuotedId_IPv6Recipient_DateWithoutSeconds()
    {
        var m = Vectors.ReadAs<Mm4ForwardRequest>("forward-req-bare-lf.eml");
        Assert.Equal("Grüße", m.Subject);
        Assert.Equal("lf-tx-1@mms.example.de", m.TransactionId);
        Assert.Equal(Mm4AddressKind.IPv6, Assert.Single(m.To).Kind);
        Assert.Equal(new DateTimeOffset(2022, 2, 2, 8, 5, 0, TimeSpan.FromHours(1)), m.Date);
        Assert.Null(m.AckRequest);
    }

    public static TheoryData<string, RequestStatusCode, bool, bool> ResponseCodes => new()
    {
        { "Ok", RequestStatusCode.Ok, false, false },
        { "Error-unspecified", RequestStatusCode.ErrorUnspecified, false, false },
        { "Error-service-denied", RequestStatusCode.ErrorServiceDenied, false, false },
        { "Error-message-format-corrupt", RequestStatusCode.ErrorMessageFormatCorrupt, false, false },
        { "Error-sending-address-unresolved", RequestStatusCode.ErrorSendingAddressUnresolved, false, false },
        { "Error-message-not-found", RequestStatusCode.ErrorMessageNotFound, false, false },
        { "Error-network-problem", RequestStatusCode.ErrorNetworkProblem, true, false },
        { "Error-content-not-accepted", RequestStatusCode.ErrorContentNotAccepted, false, false },
        { "Error-unsupported-message", RequestStatusCode.ErrorUnsupportedMessage, false, false },
        { "Error-transient-failure", RequestStatusCode.ErrorTransientFailure, true, false },
        { "Error-transient-network-problem", RequestStatusCode.ErrorTransientNetworkProblem, true, false },
        { "Error-permanent-service-denied", RequestStatusCode.ErrorPermanentServiceDenied, false, true },
        { "Error-permanent-message-format-corrupt", RequestStatusCode.ErrorPermanentMessageFormatCorrupt, false, true },
        { "Error-transient-future-thing", RequestStatusCode.Unknown, true, false },
        { "Error-permanent-future-thing", RequestStatusCode.Unknown, false, true },
        { "Some-vendor-code", RequestStatusCode.Unknown, false, false },
    };

    [Theory]
    [MemberData(nameof(ResponseCodes))]
    public void ForwardResponse_EachStatusCode(string token, RequestStatusCode code, bool transient, bool permanent)
    {
        var m = Vectors.ReadAs<Mm4ForwardResponse>($"forward-res-{token}.eml");
        Assert.Equal(code, m.RequestStatus.Code);
        Assert.Equal(token, m.RequestStatus.Text);
        Assert.Equal(transient, m.RequestStatus.IsTransient);
        Assert.Equal(permanent, m.RequestStatus.IsPermanent);
        Assert.Equal(code == RequestStatusCode.Ok, m.RequestStatus.IsOk);
        Assert.Equal("status " + token, m.StatusText);
        Assert.Equal("3863722022012600@mms.example.net", m.TransactionId);
        Assert.Equal("k1uoj0sg@mms.example.net", m.MessageId);
        Assert.Equal([Mm4Address.Email("system-user@mms.example.net")], m.To);
        Assert.Equal(Mm4Address.Email("system-user@mms.example.org"), m.Sender);
        Assert.Null(m.Content);
        // and back: the token survives a write
        Assert.Contains("X-Mms-Request-Status-Code: " + token, Vectors.HeaderLines(m.ToBytes()));
    }

    [Fact]
    public void DeliveryReportRequest_MixedCaseTypeValue_AllHeaders()
    {
        var m = Vectors.ReadAs<Mm4DeliveryReportRequest>("delivery-report-req.eml");
        Assert.Equal("dr-tx-1@mms.example.org", m.TransactionId);
        Assert.Equal("k1uoj0sg@mms.example.net", m.MessageId);
        Assert.Equal([Mm4Address.Plmn("+15550100001")], m.To);
        Assert.Equal(Mm4Address.Plmn("+15550100002"), m.From);
        Assert.Equal(new DateTimeOffset(2022, 1, 26, 7, 0, 1, TimeSpan.FromHours(1)), m.Date);
        Assert.Equal(Mm4MmStatus.From(MmStatusCode.Retrieved), m.MmStatus);
        Assert.Equal("Rejection-by-MMS-recipient", m.MmStatusExtension);
        Assert.Equal("zugestellt über MM4", m.StatusText);
        Assert.True(m.ForwardToOriginatorUa);
        Assert.True(m.AckRequest);
        Assert.Equal(Mm4Address.Email("system-user@mms.example.org"), m.OriginatorSystem);
    }

    [Fact]
    public void DeliveryReportResponse_UnquotedIds_TextBodyKept()
    {
        var m = Vectors.ReadAs<Mm4DeliveryReportResponse>("delivery-report-res.eml");
        Assert.Equal("dr-tx-1@mms.example.org", m.TransactionId);
        Assert.Equal("k1uoj0sg@mms.example.net", m.MessageId);
        Assert.True(m.RequestStatus.IsOk);
        Assert.Equal("drres-1@mms.example.net", m.RfcMessageId);
        Assert.Equal("report accepted\r\n", ((MimePart)m.Content!.Entity).GetText());
        Assert.Empty(m.ExtraHeaders);
    }

    [Fact]
    public void ReadReplyReportRequest_LowercaseType_DeletedWithoutBeingRead()
    {
        var m = Vectors.ReadAs<Mm4ReadReplyReportRequest>("read-reply-report-req.eml");
        Assert.Equal(ReadStatus.DeletedWithoutBeingRead, m.ReadStatus);
        Assert.False(m.AckRequest);
        Assert.Equal("rr-tx-1@mms.example.org", m.TransactionId);
        Assert.Equal(Mm4Address.Plmn("+15550100002"), m.From);
        Assert.Equal([Mm4Address.Plmn("+15550100001")], m.To);
    }

    [Fact]
    public void ReadReplyReportResponse_ErrorStatusAndText()
    {
        var m = Vectors.ReadAs<Mm4ReadReplyReportResponse>("read-reply-report-res.eml");
        Assert.Equal(RequestStatusCode.ErrorMessageNotFound, m.RequestStatus.Code);
        Assert.Equal("no such message", m.StatusText);
        Assert.Null(m.RfcMessageId);
    }

    public static TheoryData<string, Mm4MessageType, string> MissingVectors => new()
    {
        { "missing-forward-req-transaction-id.eml", Mm4MessageType.ForwardRequest, Mm4HeaderNames.TransactionId },
        { "missing-forward-res-status-code.eml", Mm4MessageType.ForwardResponse, Mm4HeaderNames.RequestStatusCode },
        { "missing-delivery-report-req-mm-status-code.eml", Mm4MessageType.DeliveryReportRequest, Mm4HeaderNames.MmStatusCode },
        { "missing-delivery-report-res-message-id.eml", Mm4MessageType.DeliveryReportResponse, Mm4HeaderNames.MessageId },
        { "missing-read-reply-report-req-read-status.eml", Mm4MessageType.ReadReplyReportRequest, Mm4HeaderNames.ReadStatus },
        { "missing-read-reply-report-res-version.eml", Mm4MessageType.ReadReplyReportResponse, Mm4HeaderNames.MmsVersion },
    };

    [Theory]
    [MemberData(nameof(MissingVectors))]
    public void MissingMandatoryHeaderVector_IsErrorDataMappedToFormatCorrupt(string file, Mm4MessageType type, string header)
    {
        var r = Vectors.Read(file);
        Assert.False(r.IsSuccess);
        Assert.Equal(Mm4ReadErrorKind.MissingMandatoryHeader, r.Error.Kind);
        Assert.Equal(header, r.Error.Header);
        Assert.Equal(type, r.Error.MessageType);
        Assert.Equal(RequestStatusCode.ErrorMessageFormatCorrupt, r.Error.RequestStatus.Code);
    }

    [Fact]
    public void MissingTransactionId_ErrorStillCarriesWhatTheResponseNeeds()
    {
        var e = Vectors.Read("missing-forward-req-transaction-id.eml").Error!;
        Assert.Null(e.TransactionId);
        Assert.Equal("nt-1@mms.example.net", e.MessageId);
        Assert.Equal(Mm4Address.Email("system-user@mms.example.net"), e.ReplyAddress);
    }

    [Fact]
    public void UnsupportedMessageType_MapsToErrorUnsupportedMessage_WithIds()
    {
        var e = Vectors.Read("unsupported-type.eml").Error!;
        Assert.Equal(Mm4ReadErrorKind.UnsupportedMessageType, e.Kind);
        Assert.Equal(RequestStatusCode.ErrorUnsupportedMessage, e.RequestStatus.Code);
        Assert.Equal("MM4_cancel.REQ", e.MessageTypeText);
        Assert.Null(e.MessageType);
        Assert.Equal("cx-1@mms.example.net", e.TransactionId);
        Assert.Equal(Mm4Address.Plmn("+15550100001", "mms.mnc006.mcc260.gprs"), e.ReplyAddress);
    }
}

using System.Text;
using Cpm.Interwork.Mime;
using Cpm.Interwork.Mime.Cpim;
using Cpm.Interwork.Mm4;

namespace Cpm.Interwork.Core.Tests;

/// <summary>One test per row of Table 1 (CPM MESSAGE → MM4_forward.REQ), named after the row.</summary>
public class Table1Tests
{
    private static (CpmForward Forward, Mm4ForwardRequest Request) MapOne(Core.InterworkOptions? o = null, IEnumerable<string>? sip = null, IEnumerable<string>? cpim = null, string from = T.Alice)
    {
        var options = o ?? T.Options();
        var ids = new SequentialIds("mms.gw.example");
        var f = T.Forward(T.Mapper(options, ids).Map(T.CpimMessage(sip, cpim, from)));
        var split = T.Splitter(options, ids).Split(f, new Dictionary<string, string> { ["+15550100002"] = "mms.peer.example" });
        var req = Assert.Single(split.Forwards).Request;
        // every mapped REQ is writable and reads back
        return (f, T.Read(req.ToBytes()));
    }

    [Fact]
    public void Table1_MmsVersion_FromOptions()
    {
        Assert.Equal("6.10.0", MapOne().Request.MmsVersion);
        Assert.Equal("6.5.0", MapOne(T.Options(o => o.MmsVersion = "6.5.0")).Request.MmsVersion);
    }

    [Fact]
    public void Table1_MessageType_IsForwardRequest()
    {
        var bytes = Encoding.ASCII.GetString(MapOne().Request.ToBytes());
        Assert.Contains("X-Mms-Message-Type: MM4_forward.REQ\r\n", bytes, StringComparison.Ordinal);
    }

    [Fact]
    public void Table1_TransactionId_UniquePerRequest_And_MessageId_Assigned()
    {
        var ids = new SequentialIds("mms.gw.example");
        var mapper = T.Mapper(ids: ids);
        var splitter = T.Splitter(ids: ids);
        var routes = new Dictionary<string, string> { ["+15550100002"] = "mms.peer.example" };
        var a = splitter.Split(T.Forward(mapper.Map(T.CpimMessage())), routes).Forwards[0].Request;
        var b = splitter.Split(T.Forward(mapper.Map(T.CpimMessage())), routes).Forwards[0].Request;
        Assert.NotEqual(a.TransactionId, b.TransactionId);
        Assert.NotEqual(a.MessageId, b.MessageId);
        Assert.Equal(a.MessageId, a.RfcMessageId);
        Assert.EndsWith("@mms.gw.example", a.MessageId, StringComparison.Ordinal);
    }

    [Fact]
    public void Table1_MessageId_AssignedByGateway_SameOnEverySplitRequest()
    {
        var ids = new SequentialIds("mms.gw.example");
        var f = T.Forward(T.Mapper(ids: ids).Map(T.Vector("urilist-three-recipients.sip")));
        Assert.Equal("m1@mms.gw.example", f.Mm4MessageId);
        var split = T.Splitter(ids: ids).Split(f, new Dictionary<string, string> { ["+15550100002"] = "a.example", ["+15550200003"] = "b.example", ["+15550100004"] = "c.example" });
        Assert.Equal(3, split.Forwards.Count);
        Assert.All(split.Forwards, o => Assert.Equal("m1@mms.gw.example", T.Read(o.Request.ToBytes()).MessageId));
        Assert.Equal(3, split.Forwards.Select(o => o.TransactionId).Distinct().Count());
    }

    [Fact]
    public void Table1_MailFrom_SenderQualifiedWithGatewayDomain()
    {
        var f = T.Forward(T.Mapper().Map(T.CpimMessage()));
        var o = T.Splitter().Split(f, new Dictionary<string, string> { ["+15550100002"] = "mms.peer.example" }).Forwards[0];
        Assert.Equal("+15550100001/TYPE=PLMN@mms.gw.example", o.Envelope.MailFrom);
        Assert.Equal("+15550100001/TYPE=PLMN@mms.gw.example", o.Request.Sender!.AddressSpec);
    }

    [Fact]
    public void Table1_RequestUri_To_RecipientAddress()
    {
        var (f, req) = MapOne();
        Assert.Equal("+15550100002", Assert.Single(f.Recipients).E164);
        Assert.Equal("+15550100002/TYPE=PLMN", Assert.Single(req.To).ToString());
        Assert.Empty(req.Cc);
    }

    [Fact]
    public void Table1_RequestUri_To_RcptTo_QualifiedWithMmseDomain()
    {
        var f = T.Forward(T.Mapper().Map(T.CpimMessage()));
        var o = T.Splitter().Split(f, new Dictionary<string, string> { ["+15550100002"] = "MMS.Peer.Example" }).Forwards[0];
        Assert.Equal(["+15550100002/TYPE=PLMN@mms.peer.example"], o.Envelope.RcptTo);
    }

    [Fact]
    public void Table1_UriList_To_RecipientAddresses_WithRoles()
    {
        var f = T.Forward(T.Mapper().Map(T.Vector("urilist-three-recipients.sip")));
        Assert.Equal(
            [("+15550100002", RecipientRole.To), ("+15550200003", RecipientRole.Cc), ("+15550100004", RecipientRole.Bcc)],
            f.Recipients.Select(r => (r.E164, r.Role)).ToArray());
        Assert.Equal("123456789abcdef", T.Text(f.Content.Entity));
    }

    [Fact]
    public void Table1_From_To_SenderAddress()
    {
        var (f, req) = MapOne();
        Assert.Equal("+15550100001/TYPE=PLMN", req.From!.ToString());
        Assert.Equal("sip:+15550100001@ims.example.com", f.Correlation.SenderUri);
    }

    [Fact]
    public void Table1_From_TelUri_WithVisualSeparators_To_SenderAddress()
    {
        var (_, req) = MapOne(from: "<tel:+1-555-010-0009>");
        Assert.Equal("+15550100009/TYPE=PLMN", req.From!.ToString());
    }

    [Fact]
    public void Table1_PAssertedIdentity_To_SenderAddress_WhenTrusted()
    {
        var pai = new[] { "P-Asserted-Identity: <sip:+15550100077@ims.example.com;user=phone>, <tel:+15550100077>" };
        var trusted = MapOne(T.Options(o => o.TrustPAssertedIdentity = true), sip: pai).Request;
        Assert.Equal("+15550100077/TYPE=PLMN", trusted.From!.ToString());
        var untrusted = MapOne(T.Options(o => o.TrustPAssertedIdentity = false), sip: pai).Request;
        Assert.Equal("+15550100001/TYPE=PLMN", untrusted.From!.ToString());
    }

    [Fact]
    public void Table1_ContentType_To_ContentType_CpimInnerContent()
    {
        var (_, req) = MapOne();
        Assert.Equal("text/plain", req.Content!.ContentType.MimeType);
        Assert.Equal("UTF-8", req.Content.ContentType.Charset, ignoreCase: true);
        Assert.Equal("hello", T.Text(req.Content.Entity));
    }

    [Fact]
    public void Table1_Body_To_Content_PlainTextBody_Utf8_QuotedPrintable()
    {
        var body = Encoding.UTF8.GetBytes("Grüße — 你好");
        var f = T.Forward(T.Mapper().Map(T.Message(T.BobUri, T.Alice, null, "text/plain; charset=utf-8", body)));
        var part = Assert.IsType<MimePart>(f.Content.Entity);
        Assert.Equal("quoted-printable", part.ContentTransferEncoding);
        Assert.Equal(body, part.GetDecodedContent());
    }

    [Fact]
    public void Table1_Body_To_Content_MultipartBecomesMultipartRelatedWithStart()
    {
        var f = T.Forward(T.Mapper().Map(T.Vector("cpim-multipart-image.sip")));
        var content = Assert.IsType<MimeMultipart>(f.Content.Entity);
        Assert.Equal("multipart/related", content.ContentType.MimeType);
        Assert.Equal("<part1>", content.ContentType.Start);
        Assert.Equal("text/plain", content.ContentType.Type);
        Assert.Same(content.Parts[0], content.Root);
        Assert.Equal("Grüße", ((MimePart)content.Parts[0]).GetText());
        var png = Assert.IsType<MimePart>(content.Parts[1]);
        Assert.Equal("base64", png.ContentTransferEncoding);
        Assert.Equal("<pic1>", png.ContentId);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0xff, 0xfe, 0x00, 0x80 }, png.GetDecodedContent());
        // the written REQ is 7-bit: it survives any SMTP relay
        var req = T.Splitter().Split(f, new Dictionary<string, string> { ["+15550100002"] = "mms.peer.example" }).Forwards[0].Request;
        Assert.All(req.ToBytes(), b => Assert.True(b < 0x80));
    }

    [Fact]
    public void Table1_MessageClass_Omitted()
    {
        Assert.Null(MapOne().Request.MessageClass);
    }

    [Fact]
    public void Table1_Date_To_DateAndTime_SipDateFirst()
    {
        var (_, req) = MapOne(sip: ["Date: Sat, 13 Nov 2010 23:29:00 GMT"], cpim: ["DateTime: 2015-02-17T06:54:27Z"]);
        Assert.Equal(new DateTimeOffset(2010, 11, 13, 23, 29, 0, TimeSpan.Zero), req.Date);
    }

    [Fact]
    public void Table1_Date_To_DateAndTime_CpimDateTimeWhenNoSipDate()
    {
        var (_, req) = MapOne(cpim: ["DateTime: 2015-02-17T06:54:27Z"]);
        Assert.Equal(new DateTimeOffset(2015, 2, 17, 6, 54, 27, TimeSpan.Zero), req.Date);
    }

    [Fact]
    public void Table1_Date_To_DateAndTime_GatewayClockOtherwise()
    {
        Assert.Equal(T.Now, MapOne().Request.Date);
    }

    [Fact]
    public void Table1_Expires_To_TimeOfExpiry()
    {
        var (_, req) = MapOne(sip: ["Expires: 3600"]);
        Assert.False(req.Expiry!.Value.IsRelative);
        Assert.Equal(T.Now.AddHours(1), req.Expiry.Value.AbsoluteTime);
    }

    [Fact]
    public void Table1_Expires_To_TimeOfExpiry_CappedAndDefaulted()
    {
        Assert.Equal(T.Now.AddDays(30), MapOne(sip: ["Expires: 99999999"]).Request.Expiry!.Value.AbsoluteTime);
        Assert.Equal(T.Now.AddDays(7), MapOne().Request.Expiry!.Value.AbsoluteTime);
        Assert.Equal(T.Now.AddDays(7), MapOne(sip: ["Expires: 0"]).Request.Expiry!.Value.AbsoluteTime);
        Assert.Null(MapOne(T.Options(o => o.DefaultExpiry = null)).Request.Expiry);
    }

    [Fact]
    public void Table1_DispositionNotification_PositiveDelivery_To_DeliveryReport()
    {
        var (f, req) = MapOne(cpim: ["imdn.Disposition-Notification: positive-delivery"]);
        Assert.True(req.DeliveryReport);
        Assert.False(req.ReadReply);
        Assert.Equal(DispositionNotification.PositiveDelivery, f.RequestedNotifications);
    }

    [Fact]
    public void Table1_DispositionNotification_NegativeDelivery_To_DeliveryReport()
    {
        Assert.True(MapOne(cpim: ["imdn.Disposition-Notification: negative-delivery"]).Request.DeliveryReport);
    }

    [Fact]
    public void Table1_DispositionNotification_None_To_DeliveryReportNo_ReadReplyNo()
    {
        var req = MapOne().Request;
        Assert.False(req.DeliveryReport);
        Assert.False(req.ReadReply);
    }

    [Fact]
    public void Table1_DispositionNotification_Display_To_ReadReply()
    {
        var (_, req) = MapOne(cpim: ["imdn.Disposition-Notification: display"]);
        Assert.True(req.ReadReply);
        Assert.False(req.DeliveryReport);
    }

    [Fact]
    public void Table1_DispositionNotification_SipHeader_Also_Read()
    {
        var (_, req) = MapOne(sip: ["Disposition-Notification: display, positive-delivery"]);
        Assert.True(req.ReadReply);
        Assert.True(req.DeliveryReport);
    }

    [Fact]
    public void Table1_OriginatorRsDeliveryReport_Omitted()
    {
        Assert.Null(MapOne().Request.OriginatorRsDeliveryReport);
    }

    [Theory]
    [InlineData("non-urgent", Priority.Low)]
    [InlineData("normal", Priority.Normal)]
    [InlineData("urgent", Priority.High)]
    [InlineData("emergency", Priority.High)]
    [InlineData("Urgent", Priority.High)]
    public void Table1_Priority_To_Priority(string sip, Priority expected)
    {
        Assert.Equal(expected, MapOne(sip: ["Priority: " + sip]).Request.Priority);
    }

    [Fact]
    public void Table1_Priority_AbsentOrUnknown_Omitted()
    {
        Assert.Null(MapOne().Request.Priority);
        Assert.Null(MapOne(sip: ["Priority: whenever"]).Request.Priority);
    }

    [Fact]
    public void Table1_DisplayName_Anonymous_To_SenderVisibilityHide()
    {
        var (f, req) = MapOne(from: "\"Anonymous\" <sip:+15550100001@ims.example.com>");
        Assert.Equal(SenderVisibility.Hide, req.SenderVisibility);
        Assert.Equal("+15550100001/TYPE=PLMN", req.From!.ToString());
        Assert.Equal(SenderVisibility.Hide, f.SenderVisibility);
    }

    [Fact]
    public void Table1_AnonymousUri_With_TrustedPai_To_SenderVisibilityHide()
    {
        var (_, req) = MapOne(T.Options(o => o.TrustPAssertedIdentity = true),
            sip: ["P-Asserted-Identity: <tel:+15550100001>"], from: "\"Anonymous\" <sip:anonymous@anonymous.invalid>");
        Assert.Equal(SenderVisibility.Hide, req.SenderVisibility);
        Assert.Equal("+15550100001/TYPE=PLMN", req.From!.ToString());
    }

    [Fact]
    public void Table1_PrivacyId_To_SenderVisibilityHide()
    {
        Assert.Equal(SenderVisibility.Hide, MapOne(sip: ["Privacy: id"]).Request.SenderVisibility);
        Assert.Null(MapOne(sip: ["Privacy: none"]).Request.SenderVisibility);
    }

    [Fact]
    public void Table1_DisplayName_NotAnonymous_SenderVisibilityOmitted()
    {
        Assert.Null(MapOne(from: "\"Alice\" <sip:+15550100001@ims.example.com>").Request.SenderVisibility);
    }

    [Fact]
    public void Table1_Subject_To_Subject_SipSubject()
    {
        Assert.Equal("Grüße aus Köln", MapOne(sip: ["Subject: Grüße aus Köln"]).Request.Subject);
    }

    [Fact]
    public void Table1_Subject_To_Subject_CpimSubjectWins()
    {
        var (_, req) = MapOne(sip: ["Subject: from SIP"], cpim: ["Subject: 你好 from CPIM"]);
        Assert.Equal("你好 from CPIM", req.Subject);
    }

    [Fact]
    public void Table1_AcknowledgementRequest_AlwaysYes()
    {
        Assert.True(MapOne().Request.AckRequest);
        var f = T.Forward(T.Mapper().Map(T.Vector("urilist-three-recipients.sip")));
        var split = T.Splitter().Split(f, new Dictionary<string, string> { ["+15550100002"] = "a.example", ["+15550200003"] = "b.example", ["+15550100004"] = "a.example" });
        Assert.All(split.Forwards, o => Assert.True(o.Request.AckRequest));
    }

    [Theory]
    [InlineData(70, 0)]
    [InlineData(68, 2)]
    [InlineData(0, 70)]
    [InlineData(200, 0)]
    public void Table1_MaxForwards_To_ForwardCounter(int maxForwards, int expected)
    {
        Assert.Equal(expected, MapOne(sip: ["Max-Forwards: " + maxForwards]).Request.ForwardCounter);
    }

    [Fact]
    public void Table1_MaxForwards_Absent_ForwardCounterOmitted()
    {
        Assert.Null(MapOne().Request.ForwardCounter);
    }

    [Fact]
    public void Table1_OptionalElements_Omitted()
    {
        var req = MapOne().Request;
        Assert.Empty(req.PreviouslySentBy);
        Assert.Empty(req.PreviouslySentDateAndTime);
        Assert.Null(req.ApplicId);
        Assert.Null(req.ReplyApplicId);
        Assert.Null(req.AuxApplicInfo);
        Assert.Null(req.ContentClass);
        Assert.Null(req.AdaptationAllowed);
        Assert.Null(req.DrmContent);
    }

    [Fact]
    public void Table1_OriginatorSystem_IsGatewayAddress()
    {
        Assert.Equal("system-user@mms.gw.example", MapOne().Request.OriginatorSystem!.ToString());
        Assert.Equal("mmsc@mms.gw.example", MapOne(T.Options(o => o.SystemUser = "mmsc")).Request.OriginatorSystem!.ToString());
    }

    [Fact]
    public void Table1_CorrelationKeys_KeptOnModel()
    {
        var f = T.Forward(T.Mapper().Map(T.Vector("rcs-client-cpim.sip")));
        Assert.Equal(new CpmCorrelation("3f7a1c-rcs@192.0.2.10", "PH7qAIV8cgH5", "sip:+15550100001@ims.example.com", "+15550100001"), f.Correlation);
    }

    [Fact]
    public void Table1_RcsClientVector_AllRows()
    {
        var f = T.Forward(T.Mapper().Map(T.Vector("rcs-client-cpim.sip")));
        var o = T.Splitter().Split(f, new Dictionary<string, string> { ["+15550100002"] = "mms.peer.example" }).Forwards[0];
        var req = T.Read(o.Request.ToBytes());
        Assert.Equal("+15550100001/TYPE=PLMN", req.From!.ToString());
        Assert.Equal("+15550100002/TYPE=PLMN", req.To[0].ToString());
        Assert.Equal(new DateTimeOffset(2015, 2, 17, 6, 54, 27, TimeSpan.Zero), req.Date);
        Assert.True(req.DeliveryReport);
        Assert.True(req.ReadReply);
        Assert.Equal(2, req.ForwardCounter);
        Assert.Equal("123456789abcdef", T.Text(req.Content!.Entity));
        Assert.Equal(o.Request.TransactionId, req.TransactionId);
    }
}

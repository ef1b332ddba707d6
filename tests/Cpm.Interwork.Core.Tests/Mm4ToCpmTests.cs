using System.Text;
using Cpm.Interwork.Mime;
using Cpm.Interwork.Mime.Cpim;
using Cpm.Interwork.Mm4;
using Cpm.Interwork.Sip;

namespace Cpm.Interwork.Core.Tests;

public class Mm4ToCpmTests
{
    private static Mm4ToCpmMapper Mapper(ImsUriForm form = ImsUriForm.Sip, int max = 1300, bool assert = true) =>
        new(new ImsOptions { Domain = "ims.example.com", UriForm = form, AssertIdentity = assert }, new CpmOptions { PagerModeMaxBytes = max });

    private static Mm4ForwardRequest Vector(string name) => T.Read(T.VectorBytes(name));

    private static CpimMessage Cpim(CpmOutboundMessage m) =>
        CpimMessage.Parse(m.Body, new MimeParserOptions()) ?? throw new InvalidOperationException("CPIM did not parse");

    private static string Header(CpmOutboundMessage m, string name) => m.Headers.Single(h => h.Key == name).Value;

    [Fact]
    public void ImageMm_MultipartRelatedWithSmil_CarriedWhole()
    {
        var req = Vector("mm4-forward-image.eml");
        var r = Mapper(max: 64 * 1024).Map(req, Mm4Address.Parse("+15550100002/TYPE=PLMN@mms.gw.example"), "imdn-1");
        Assert.True(r.IsSuccess, r.Failure?.ToString());
        var m = r.Message!;
        Assert.Equal("sip:+15550100002@ims.example.com;user=phone", m.RequestUri);
        Assert.Equal("<sip:+15550100001@ims.example.com;user=phone>", m.From);
        Assert.Equal("<sip:+15550100002@ims.example.com;user=phone>", m.To);
        Assert.Equal("message/cpim", m.ContentType);
        var cpim = Cpim(m);
        Assert.Equal("multipart/related", cpim.ContentType.MimeType);
        Assert.Equal("<smil>", cpim.ContentType.Start);
        Assert.Equal("application/smil", cpim.ContentType.Type);
        Assert.Equal(req.Content!.GetWireBody(), cpim.Body.ToArray());
        // the carried entity parses back to the same three parts (SMIL, JPEG, text)
        var entity = (MimeMultipart)MimeParser.Parse(Encoding.UTF8.GetBytes("Content-Type: " + cpim.ContentHeaders.Get("Content-Type")!.Value + "\r\n\r\n").Concat(cpim.Body.ToArray()).ToArray(), new MimeParserOptions()).Entity!;
        Assert.Equal(["application/smil", "image/jpeg", "text/plain"], entity.Parts.Select(p => p.ContentType.MimeType));
        Assert.Equal(((MimePart)((MimeMultipart)req.Content.Entity).Parts[1]).GetDecodedContent(), ((MimePart)entity.Parts[1]).GetDecodedContent());
    }

    [Fact]
    public void Cpim_Headers_From_To_DateTime_Subject_Imdn()
    {
        var req = Vector("mm4-forward-image.eml");
        var m = Mapper(max: 64 * 1024).Map(req, Mm4Address.Parse("+15550100002/TYPE=PLMN"), "fresh-42").Message!;
        var cpim = Cpim(m);
        Assert.Equal("sip:+15550100001@ims.example.com;user=phone", cpim.From!.Address);
        Assert.Equal("sip:+15550100002@ims.example.com;user=phone", Assert.Single(cpim.To).Address);
        Assert.Equal(new DateTimeOffset(2022, 1, 25, 22, 17, 44, TimeSpan.Zero), cpim.DateTime);
        Assert.Equal("hello", cpim.Subject);
        Assert.Equal("fresh-42", cpim.ImdnMessageId);
        Assert.Equal("fresh-42", m.ImdnMessageId);
        // X-Mms-Delivery-Report: Yes, X-Mms-Read-Reply: No
        Assert.Equal(DispositionNotification.PositiveDelivery | DispositionNotification.NegativeDelivery, cpim.DispositionNotification);
    }

    [Fact]
    public void CpmIcsi_AcceptContact_PAssertedService()
    {
        var m = Mapper(max: 64 * 1024).Map(Vector("mm4-forward-image.eml"), Mm4Address.Parse("+15550100002/TYPE=PLMN"), "i").Message!;
        Assert.Equal("*;+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.msg\"", Header(m, "Accept-Contact"));
        Assert.Equal("urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg", Header(m, "P-Asserted-Service"));
        Assert.Equal("<sip:+15550100001@ims.example.com;user=phone>", Header(m, "P-Asserted-Identity"));
    }

    [Fact]
    public void AnonymousSender_Utf8Subject_ReadReply_TextLeafDecoded()
    {
        var req = Vector("mm4-forward-anonymous-utf8.eml");
        var m = Mapper().Map(req, Mm4Address.Parse("+15550100002/TYPE=PLMN@mms.gw.example"), "anon-imdn").Message!;
        Assert.Equal("\"Anonymous\" <sip:anonymous@anonymous.invalid>", m.From);
        Assert.Equal("id", Header(m, "Privacy"));
        Assert.Equal("urgent", Header(m, "Priority"));
        var cpim = Cpim(m);
        Assert.Equal("sip:anonymous@anonymous.invalid", cpim.From!.Address);
        Assert.DoesNotContain("+15550100001", Encoding.UTF8.GetString(m.Body.Span), StringComparison.Ordinal);
        Assert.Equal("Grüße aus Köln — 你好", cpim.Subject);
        Assert.Equal(DispositionNotification.PositiveDelivery | DispositionNotification.NegativeDelivery | DispositionNotification.Display, cpim.DispositionNotification);
        Assert.Equal("text/plain", cpim.ContentType.MimeType);
        Assert.Null(cpim.ContentHeaders.Get("Content-Transfer-Encoding"));
        Assert.Equal("Hallo Bob, schöne Grüße!", Encoding.UTF8.GetString(cpim.Body.Span));
    }

    [Fact]
    public void TextOnlyMm_SmilPlusText_SentAsPlainText_WhenEnabled()
    {
        var smil = new MimePartBuilder("application/smil").ContentId("<smil>").Content("<smil><body><par><text src=\"t.txt\"/></par></body></smil>"u8, "7bit").Build();
        var text = new MimePartBuilder("text/plain; charset=utf-8").ContentId("<t>").Content(Encoding.UTF8.GetBytes("Grüße"), "quoted-printable").Build();
        var content = new Mm4Content(MimeMultipartBuilder.Related("<smil>", "application/smil").Add(smil).Add(text).Build());
        var req = new Mm4ForwardRequestBuilder(new SequentialIds("p"), T.Clock()).From(Mm4Address.Plmn("+15550100001")).To(Mm4Address.Plmn("+15550100002")).Content(content).Build();
        var ims = new ImsOptions { Domain = "ims.example.com" };
        var unwrapped = Cpim(new Mm4ToCpmMapper(ims, new CpmOptions { TextOnlyMmAsText = true }).Map(req, Mm4Address.Plmn("+15550100002"), "i").Message!);
        Assert.Equal("text/plain", unwrapped.ContentType.MimeType);
        Assert.Equal("Grüße", Encoding.UTF8.GetString(unwrapped.Body.Span));
        var whole = Cpim(new Mm4ToCpmMapper(ims, new CpmOptions()).Map(req, Mm4Address.Plmn("+15550100002"), "i").Message!);
        Assert.Equal("multipart/related", whole.ContentType.MimeType);
        // an image MM is never unwrapped
        var image = Cpim(new Mm4ToCpmMapper(ims, new CpmOptions { TextOnlyMmAsText = true, PagerModeMaxBytes = 65536 }).Map(Vector("mm4-forward-image.eml"), Mm4Address.Plmn("+15550100002"), "i").Message!);
        Assert.Equal("multipart/related", image.ContentType.MimeType);
    }

    [Fact]
    public void TelUriForm_RequestUri_And_From()
    {
        var m = Mapper(ImsUriForm.Tel, max: 64 * 1024).Map(Vector("mm4-forward-image.eml"), Mm4Address.Parse("+15550100002/TYPE=PLMN"), "i").Message!;
        Assert.Equal("tel:+15550100002", m.RequestUri);
        Assert.Equal("<tel:+15550100001>", m.From);
    }

    [Fact]
    public void OverPagerModeLimit_ErrorContentNotAccepted_LargeMessageText()
    {
        var r = Mapper(max: 1300).Map(Vector("mm4-forward-image.eml"), Mm4Address.Parse("+15550100002/TYPE=PLMN"), "i");
        Assert.False(r.IsSuccess);
        Assert.Equal(Mm4InboundError.TooLargeForPagerMode, r.Failure!.Error);
        Assert.Equal(RequestStatusCode.ErrorContentNotAccepted, r.Failure.RequestStatus.Code);
        Assert.Equal("Large Message mode (MSRP) not supported yet", r.Failure.StatusText);
    }

    [Fact]
    public void NonPlmnRecipient_ErrorSendingAddressUnresolved()
    {
        var r = Mapper().Map(Vector("mm4-forward-anonymous-utf8.eml"), Mm4Address.Parse("bob@example.org"), "i");
        Assert.Equal(RequestStatusCode.ErrorSendingAddressUnresolved, r.Failure!.RequestStatus.Code);
    }

    [Fact]
    public void Builder_ProducesParsableSipMessage_WithTransactionFields()
    {
        var m = Mapper().Map(Vector("mm4-forward-anonymous-utf8.eml"), Mm4Address.Parse("+15550100002/TYPE=PLMN"), "i").Message!;
        var bytes = m.ToBuilder("call-1@gw", "tag77", 1, "SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bKabc").ToArray();
        var sip = T.Parse(bytes);
        Assert.Equal("MESSAGE", sip.Method);
        Assert.Equal("sip:+15550100002@ims.example.com;user=phone", sip.RequestUri);
        Assert.Equal("tag77", sip.From.Tag);
        Assert.Equal("call-1@gw", sip.CallId);
        Assert.Equal("message/cpim", sip.ContentType);
        Assert.Equal(m.Body.ToArray(), sip.Body.ToArray());
        Assert.Equal("urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg", sip.GetHeader("P-Asserted-Service"));
    }
}

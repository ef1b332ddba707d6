using System.Text;
using Cpm.Interwork.Mime.Cpim;
using Cpm.Interwork.Mime.Imdn;

namespace Cpm.Interwork.Mime.Tests;

public class CpimTests
{
    private static CpimMessage Parse(byte[] bytes)
    {
        Assert.True(CpimMessage.TryParse(bytes, MimeParserOptions.Default, out var m, out var reason), reason.ToString());
        return m!;
    }

    [Fact]
    public void Rfc3862_5_1_Example_AllHeaders()
    {
        var m = Parse(Vectors.Read("cpim-rfc3862-5_1.txt"));
        Assert.Equal(new CpimAddress("MR SANDERS", "im:piglet@100akerwood.com"), m.From);
        Assert.Equal([new CpimAddress("Depressed Donkey", "im:eeyore@100akerwood.com")], m.To);
        Assert.Equal(new DateTimeOffset(2000, 12, 13, 13, 40, 0, TimeSpan.FromHours(-8)), m.DateTime);
        Assert.Equal([new CpimSubject("the weather will be fine today", null), new CpimSubject("beau temps prevu pour aujourd'hui", "fr")], m.Subjects);
        Assert.Equal("mid:MessageFeatures@id.foo.com", m.Namespaces["MyFeatures"]);
        Assert.Equal(["MyFeatures.VitalMessageOption"], m.Require);
        Assert.Equal("Confirmation-requested", m.GetNamespaced("mid:MessageFeatures@id.foo.com", "VitalMessageOption"));
        Assert.Equal("Use-silly-font", m.GetNamespaced("mid:MessageFeatures@id.foo.com", "WackyMessageOption"));
        Assert.True(m.ContentType.Is("text", "xml"));
        Assert.Equal("utf-8", m.ContentType.Charset);
        Assert.Equal("<1234567890@foo.com>", m.ContentHeaders.Get("Content-ID")!.Value);
        Assert.Equal("<body>\r\nHere is the text of my message.\r\n</body>", Encoding.UTF8.GetString(m.Body.Span));
        Assert.Null(m.ImdnMessageId);
    }

    [Fact]
    public void RealRcsClient_PagerModeCpim_FromProtocolsMd()
    {
        var m = Parse(Vectors.Read("cpim-rcs-client.txt"));
        Assert.Equal("sip:+15550100001@ims.example.com", m.From!.Address);
        Assert.Null(m.From.DisplayName);
        Assert.Equal("sip:+15550100002@ims.example.com;user=phone", Assert.Single(m.To).Address);
        Assert.Equal(new DateTimeOffset(2015, 2, 17, 6, 54, 27, TimeSpan.Zero), m.DateTime);
        Assert.Equal("PH7qAIV8cgH5", m.ImdnMessageId);
        Assert.Equal(DispositionNotification.PositiveDelivery | DispositionNotification.Display, m.DispositionNotification);
        Assert.Equal("UTF-8", m.ContentType.Charset);
        Assert.Equal("123456789abcdef", Encoding.UTF8.GetString(m.Body.Span));
    }

    [Fact]
    public void Lenient_NsWithoutSpace_MixedCaseNames_Base64Content_SeveralTo_Cc()
    {
        var m = Parse(Vectors.Read("cpim-lenient-base64.txt"));
        Assert.Equal(new CpimAddress("Alice A.", "sip:alice@example.com"), m.From);
        Assert.Equal(["sip:bob@example.com", "tel:+15550100003"], m.To.Select(a => a.Address));
        Assert.Equal(new CpimAddress("Carol", "sip:carol@example.com"), Assert.Single(m.Cc));
        Assert.Equal("urn:ietf:params:imdn", m.Namespaces["imdn"]);
        Assert.Equal("x7Yq-01", m.ImdnMessageId);
        Assert.Equal(DispositionNotification.NegativeDelivery, m.DispositionNotification);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, 123, TimeSpan.FromHours(2)), m.DateTime);
        Assert.Equal("Grüße – ünïcödé ✓", Encoding.UTF8.GetString(m.GetDecodedBody()));
    }

    [Fact]
    public void Rfc5438_7_1_1_RequestWithContentLength_TrimsTrailingLineEnd()
    {
        var m = Parse(Vectors.Read("cpim-rfc5438-request.txt"));
        Assert.Equal("34jk324j", m.ImdnMessageId);
        Assert.Equal("Hello World\r", Encoding.ASCII.GetString(m.Body.Span)[..12]);
        Assert.Equal(12, m.Body.Length);
    }

    [Fact]
    public void Rfc5438_7_2_1_1_DeliveryNotification_CpimAndXml()
    {
        var m = Parse(Vectors.Read("cpim-rfc5438-delivery-notification.txt"));
        Assert.Equal("d834jied93rf", m.ImdnMessageId);
        Assert.True(m.ContentType.Is("message", "imdn+xml"));
        Assert.Equal("notification", m.ContentDisposition!.Disposition);
        var doc = ImdnDocument.Parse(m.Body, null, out var reason);
        Assert.Equal(ImdnRejectionReason.None, reason);
        Assert.Equal(new ImdnDocument("34jk324j", new DateTimeOffset(2008, 4, 4, 12, 16, 49, TimeSpan.FromHours(-5)), ImdnNotificationKind.Delivery, ImdnStatus.Delivered,
            "im:bob@example.com", "im:bob@example.com"), doc);
    }

    [Fact]
    public void Builder_WritesWhatTheParserReads_IncludingBinaryBody()
    {
        byte[] body = [0, 0xFF, 0x0D, 0x0A, 0x0D, 0x0A, 0x80];
        var bytes = new CpimMessageBuilder()
            .From(new CpimAddress("Alice, \"A\"", "sip:+15550100001@ims.example.com"))
            .To(new CpimAddress(null, "sip:+15550100002@ims.example.com"))
            .To(new CpimAddress("Bob", "tel:+15550100003"))
            .Cc(new CpimAddress(null, "sip:carol@example.com"))
            .DateTime(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero))
            .Subject("Grüße", "de")
            .Imdn("m-1", DispositionNotification.PositiveDelivery | DispositionNotification.NegativeDelivery | DispositionNotification.Display)
            .Namespace("MyFeatures", "mid:MessageFeatures@id.foo.com")
            .Header("MyFeatures.VitalMessageOption", "Confirmation-requested")
            .Require("MyFeatures.VitalMessageOption")
            .ContentType("application/octet-stream")
            .Body(body)
            .ToBytes();
        var text = Encoding.UTF8.GetString(bytes);
        Assert.StartsWith("NS: imdn <urn:ietf:params:imdn>\r\nNS: MyFeatures <mid:MessageFeatures@id.foo.com>\r\nFrom: \"Alice, \\\"A\\\"\" <sip:", text, StringComparison.Ordinal);
        Assert.Contains("Subject:;lang=de Grüße\r\n", text, StringComparison.Ordinal);
        Assert.Contains("DateTime: 2024-01-02T03:04:05Z\r\n", text, StringComparison.Ordinal);
        Assert.Contains("imdn.Disposition-Notification: positive-delivery, negative-delivery, display\r\n", text, StringComparison.Ordinal);
        var m = Parse(bytes);
        Assert.Equal("Alice, \"A\"", m.From!.DisplayName);
        Assert.Equal(2, m.To.Count());
        Assert.Single(m.Cc);
        Assert.Equal(new CpimSubject("Grüße", "de"), Assert.Single(m.Subjects));
        Assert.Equal("m-1", m.ImdnMessageId);
        Assert.Equal(DispositionNotification.PositiveDelivery | DispositionNotification.NegativeDelivery | DispositionNotification.Display, m.DispositionNotification);
        Assert.Equal(["MyFeatures.VitalMessageOption"], m.Require);
        Assert.Equal(body, m.Body.ToArray());
    }

    [Fact]
    public void LegacyWrite_ProducesParsableMessage()
    {
        var bytes = CpimMessage.Write([("From", "<sip:a@b>"), ("NS", "imdn <urn:ietf:params:imdn>"), ("imdn.Message-ID", "q")], [("Content-Type", "text/plain")], "hi"u8);
        var m = Parse(bytes);
        Assert.Equal("q", m.ImdnMessageId);
        Assert.Equal("hi", Encoding.ASCII.GetString(m.Body.Span));
    }

    [Theory]
    [InlineData("From: <sip:a@b>\r\nTo: <sip:c@d>\r\n", CpimRejectionReason.MissingContentHeaders)]
    [InlineData("From: <sip:a@b>\r\n\r\nnot a header line", CpimRejectionReason.MalformedContentHeaders)]
    public void Rejections_AreData(string text, CpimRejectionReason expected)
    {
        Assert.False(CpimMessage.TryParse(Encoding.ASCII.GetBytes(text), MimeParserOptions.Default, out var m, out var reason));
        Assert.Null(m);
        Assert.Equal(expected, reason);
    }

    [Fact]
    public void OverLimits_AreRejected()
    {
        var big = Encoding.ASCII.GetBytes("From: <sip:a@b>\r\nX: " + new string('a', 5000) + "\r\n\r\nContent-Type: text/plain\r\n\r\nx");
        Assert.False(CpimMessage.TryParse(big, new MimeParserOptions { MaxLineLength = 1000 }, out _, out var r1));
        Assert.Equal(CpimRejectionReason.LineTooLong, r1);
        Assert.False(CpimMessage.TryParse(big, new MimeParserOptions { MaxMessageBytes = 100 }, out _, out var r2));
        Assert.Equal(CpimRejectionReason.MessageTooLarge, r2);
        Assert.False(CpimMessage.TryParse(big, new MimeParserOptions { MaxHeaderBytes = 1000 }, out _, out var r3));
        Assert.Equal(CpimRejectionReason.HeaderTooLarge, r3);
    }

    [Fact]
    public void Builder_RefusesHeaderInjection()
    {
        Assert.Throws<ArgumentException>(() => new CpimMessageBuilder().Subject("a\r\nimdn.Message-ID: forged"));
        Assert.Throws<ArgumentException>(() => new CpimMessageBuilder().Header("Bad Name", "x"));
    }
}

using System.Text;
using Cpm.Interwork.Mime.Imdn;

namespace Cpm.Interwork.Mime.Tests;

public class ImdnTests
{
    [Fact]
    public void Rfc5438_DisplayNotification_WithSubject()
    {
        var d = ImdnDocument.Parse(Vectors.Read("imdn-rfc5438-display.xml"), null, out var reason);
        Assert.Equal(ImdnRejectionReason.None, reason);
        Assert.Equal(ImdnNotificationKind.Display, d!.Kind);
        Assert.Equal(ImdnStatus.Displayed, d.Status);
        Assert.Equal("34jk324j", d.MessageId);
        Assert.Equal("Weekly report", d.Subject);
        Assert.Equal("im:bob@example.com", d.OriginalRecipientUri);
    }

    [Fact]
    public void ProcessingNotification_Stored_ExtensionsIgnored()
    {
        var d = ImdnDocument.Parse(Vectors.Read("imdn-processing-stored.xml"), null, out _);
        Assert.Equal(ImdnNotificationKind.Processing, d!.Kind);
        Assert.Equal(ImdnStatus.Stored, d.Status);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), d.DateTime);
        Assert.Null(d.RecipientUri);
    }

    [Fact]
    public void Dtd_IsRejected_NeverExpanded()
    {
        Assert.Null(ImdnDocument.Parse(Vectors.Read("imdn-dtd-bomb.xml"), null, out var reason));
        Assert.Equal(ImdnRejectionReason.DtdProhibited, reason);
    }

    [Fact]
    public void OverSizeLimit_IsRejected()
    {
        Assert.Null(ImdnDocument.Parse(Vectors.Read("imdn-rfc5438-display.xml"), new ImdnParserOptions { MaxBytes = 100 }, out var reason));
        Assert.Equal(ImdnRejectionReason.TooLarge, reason);
    }

    [Theory]
    [InlineData("<imdn xmlns='urn:ietf:params:xml:ns:imdn'><datetime>2008-04-04T12:16:49Z</datetime><delivery-notification><status><delivered/></status></delivery-notification></imdn>", ImdnRejectionReason.MissingMessageId)]
    [InlineData("<imdn xmlns='urn:ietf:params:xml:ns:imdn'><message-id>a</message-id><delivery-notification><status><delivered/></status></delivery-notification></imdn>", ImdnRejectionReason.MissingDateTime)]
    [InlineData("<imdn xmlns='urn:ietf:params:xml:ns:imdn'><message-id>a</message-id><datetime>yesterday</datetime><delivery-notification><status><delivered/></status></delivery-notification></imdn>", ImdnRejectionReason.InvalidDateTime)]
    [InlineData("<imdn xmlns='urn:ietf:params:xml:ns:imdn'><message-id>a</message-id><datetime>2008-04-04T12:16:49Z</datetime></imdn>", ImdnRejectionReason.MissingNotification)]
    [InlineData("<imdn xmlns='urn:ietf:params:xml:ns:imdn'><message-id>a</message-id><datetime>2008-04-04T12:16:49Z</datetime><delivery-notification><status><unknown/></status></delivery-notification></imdn>", ImdnRejectionReason.MissingStatus)]
    [InlineData("<imdn xmlns='urn:ietf:params:xml:ns:imdn'><message-id>a</message-id><datetime>2008-04-04T12:16:49Z</datetime><delivery-notification><status><displayed/></status></delivery-notification></imdn>", ImdnRejectionReason.StatusNotAllowed)]
    [InlineData("<resource-lists/>", ImdnRejectionReason.NotImdn)]
    [InlineData("<imdn><message-id>a", ImdnRejectionReason.MalformedXml)]
    [InlineData("", ImdnRejectionReason.MalformedXml)]
    public void InvalidDocuments_AreRejectedWithReason(string xml, ImdnRejectionReason expected)
    {
        Assert.Null(ImdnDocument.Parse(Encoding.UTF8.GetBytes(xml), null, out var reason));
        Assert.Equal(expected, reason);
    }

    public static TheoryData<ImdnNotificationKind, ImdnStatus> AllowedPairs()
    {
        var data = new TheoryData<ImdnNotificationKind, ImdnStatus>();
        foreach (var k in Enum.GetValues<ImdnNotificationKind>())
        {
            foreach (var s in Enum.GetValues<ImdnStatus>().Where(s => ImdnDocument.IsAllowed(k, s))) { data.Add(k, s); }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AllowedPairs))]
    public void WriteThenRead_EveryAllowedKindAndStatus(ImdnNotificationKind kind, ImdnStatus status)
    {
        var doc = new ImdnDocument("id<&>\"1", new DateTimeOffset(2024, 2, 3, 4, 5, 6, TimeSpan.FromHours(1)), kind, status, "sip:bob@example.com", "tel:+15550100002", "Grüße & <hi>");
        var xml = doc.ToXml();
        Assert.Contains("xmlns=\"urn:ietf:params:xml:ns:imdn\"", Encoding.UTF8.GetString(xml), StringComparison.Ordinal);
        Assert.Equal(doc, ImdnDocument.Parse(xml, null, out _));
    }

    [Fact]
    public void Rfc5438_7_2_1_1_StatusSetsPerKind()
    {
        Assert.Equal([ImdnStatus.Delivered, ImdnStatus.Failed, ImdnStatus.Forbidden, ImdnStatus.Error], Enum.GetValues<ImdnStatus>().Where(s => ImdnDocument.IsAllowed(ImdnNotificationKind.Delivery, s)));
        Assert.Equal([ImdnStatus.Forbidden, ImdnStatus.Error, ImdnStatus.Displayed], Enum.GetValues<ImdnStatus>().Where(s => ImdnDocument.IsAllowed(ImdnNotificationKind.Display, s)));
        Assert.Throws<InvalidOperationException>(() => new ImdnDocument("a", DateTimeOffset.UnixEpoch, ImdnNotificationKind.Display, ImdnStatus.Delivered).ToXml());
    }
}

using System.Text;
using Cpm.Interwork.Mm4;

namespace Cpm.Interwork.Core.Tests;

public class SplitTests
{
    private static Mm4SplitResult SplitThree(Dictionary<string, string> routes)
    {
        var ids = new SequentialIds("mms.gw.example");
        var f = T.Forward(T.Mapper(ids: ids).Map(T.Vector("urilist-three-recipients.sip")));
        return T.Splitter(ids: ids).Split(f, routes);
    }

    [Fact]
    public void ThreeRecipients_TwoMmses_OneRequestPerMmse_BccHidden_OwnTransactionIds_RcptSets()
    {
        var split = SplitThree(new() { ["+15550100002"] = "mms.a.example", ["+15550200003"] = "mms.b.example", ["+15550100004"] = "mms.a.example" });
        Assert.Empty(split.Unrouted);
        Assert.Equal(2, split.Forwards.Count);
        var (a, b) = (split.Forwards[0], split.Forwards[1]);
        Assert.Equal("mms.a.example", a.MmseDomain);
        Assert.Equal("mms.b.example", b.MmseDomain);
        Assert.Equal(["+15550100002/TYPE=PLMN@mms.a.example", "+15550100004/TYPE=PLMN@mms.a.example"], a.Envelope.RcptTo);
        Assert.Equal(["+15550200003/TYPE=PLMN@mms.b.example"], b.Envelope.RcptTo);
        Assert.NotEqual(a.TransactionId, b.TransactionId);
        Assert.Equal(a.Request.MessageId, b.Request.MessageId);
        foreach (var o in split.Forwards)
        {
            var wire = Encoding.UTF8.GetString(o.Request.ToBytes());
            Assert.DoesNotContain("+15550100004", wire, StringComparison.Ordinal);
            var back = T.Read(o.Request.ToBytes());
            Assert.Equal(["+15550100002/TYPE=PLMN"], back.To.Select(x => x.ToString()));
            Assert.Equal(["+15550200003/TYPE=PLMN"], back.Cc.Select(x => x.ToString()));
            Assert.Equal("+15550100001/TYPE=PLMN@mms.gw.example", o.Envelope.MailFrom);
        }
        Assert.Equal(["+15550100002", "+15550100004"], a.Recipients.Select(r => r.E164));
    }

    [Fact]
    public void Unrouted_Recipients_Reported_Not_Sent()
    {
        var split = SplitThree(new() { ["+15550100002"] = "mms.a.example" });
        Assert.Single(split.Forwards);
        Assert.Equal(["+15550200003", "+15550100004"], split.Unrouted.Select(r => r.E164));
        Assert.Equal(["+15550100002/TYPE=PLMN@mms.a.example"], split.Forwards[0].Envelope.RcptTo);
    }

    [Fact]
    public void BccOnly_Message_AddressedToSender_NoRecipientShown()
    {
        var list = """
            <?xml version="1.0" encoding="UTF-8"?>
            <resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists" xmlns:cp="urn:ietf:params:xml:ns:copycontrol">
              <list><entry uri="tel:+15550100005" cp:copyControl="bcc"/><entry uri="tel:+15550100006" cp:copyControl="bcc"/></list>
            </resource-lists>
            """;
        var body = "--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\nContent-Type: application/resource-lists+xml\r\nContent-Disposition: recipient-list\r\n\r\n" + list + "\r\n--b--\r\n";
        var msg = T.Message("sip:exploder@ims.example.com", T.Alice, null, "multipart/mixed; boundary=b", Encoding.UTF8.GetBytes(body));
        var f = T.Forward(T.Mapper().Map(msg));
        var o = Assert.Single(T.Splitter().Split(f, new Dictionary<string, string> { ["+15550100005"] = "x.example", ["+15550100006"] = "x.example" }).Forwards);
        Assert.Equal(["+15550100001/TYPE=PLMN"], o.Request.To.Select(a => a.ToString()));
        Assert.Empty(o.Request.Cc);
        Assert.Equal(2, o.Envelope.RcptTo.Count);
        Assert.DoesNotContain("+1555010000", Encoding.UTF8.GetString(o.Request.ToBytes()).Replace("+15550100001", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_Recipients_Merged_KeepingMostVisibleRole()
    {
        var list = """
            <resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists" xmlns:cp="urn:ietf:params:xml:ns:copycontrol">
              <list><entry uri="tel:+15550100005" cp:copyControl="bcc"/><entry uri="sip:+15550100005@x;user=phone" cp:copyControl="cc"/></list>
            </resource-lists>
            """;
        var body = "--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\nContent-Type: application/resource-lists+xml\r\nContent-Disposition: recipient-list\r\n\r\n" + list + "\r\n--b--\r\n";
        var f = T.Forward(T.Mapper().Map(T.Message("sip:exploder@ims.example.com", T.Alice, null, "multipart/mixed; boundary=b", Encoding.UTF8.GetBytes(body))));
        var r = Assert.Single(f.Recipients);
        Assert.Equal(RecipientRole.Cc, r.Role);
    }
}

public class MappingErrorTests
{
    private static CpmMappingFailure Fail(CpmMappingResult r)
    {
        Assert.False(r.IsSuccess);
        return r.Failure!;
    }

    [Fact]
    public void NotE164Recipient_404_NamingTheUri()
    {
        var f = Fail(T.Mapper().Map(T.Message("sip:bob@example.com", T.Alice, null, "text/plain", "x"u8.ToArray())));
        Assert.Equal(CpmMappingError.NotE164Recipient, f.Error);
        Assert.Equal("sip:bob@example.com", f.Uri);
        var answer = f.ToSipAnswer("gw.example");
        Assert.Equal(404, answer.StatusCode);
        Assert.Contains("sip:bob@example.com", Assert.Single(answer.Warnings), StringComparison.Ordinal);
        Assert.StartsWith("399 gw.example \"", answer.Warnings[0], StringComparison.Ordinal);
    }

    [Fact]
    public void LocalNumberRecipient_484_AddressIncomplete()
    {
        var f = Fail(T.Mapper().Map(T.Message("tel:5550100;phone-context=example.com", T.Alice, null, "text/plain", "x"u8.ToArray())));
        Assert.Equal(CpmMappingError.IncompleteRecipient, f.Error);
        Assert.Equal(484, f.ToSipAnswer("gw").StatusCode);
    }

    [Fact]
    public void UriList_WithNonE164Entry_404()
    {
        var list = """<resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists"><list><entry uri="tel:+15550100005"/><entry uri="sip:carol@example.org"/></list></resource-lists>""";
        var body = "--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\nContent-Type: application/resource-lists+xml\r\nContent-Disposition: recipient-list\r\n\r\n" + list + "\r\n--b--\r\n";
        var f = Fail(T.Mapper().Map(T.Message("sip:exploder@ims.example.com", T.Alice, null, "multipart/mixed; boundary=b", Encoding.UTF8.GetBytes(body))));
        Assert.Equal(CpmMappingError.NotE164Recipient, f.Error);
        Assert.Equal("sip:carol@example.org", f.Uri);
    }

    [Fact]
    public void TooManyRecipients_403()
    {
        var entries = string.Concat(Enumerable.Range(10, 5).Select(i => $"<entry uri=\"tel:+155501000{i}\"/>"));
        var body = "--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\nContent-Type: application/resource-lists+xml\r\nContent-Disposition: recipient-list\r\n\r\n<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\"><list>" + entries + "</list></resource-lists>\r\n--b--\r\n";
        var f = Fail(T.Mapper(T.Options(o => o.MaxRecipients = 4)).Map(T.Message("sip:exploder@ims.example.com", T.Alice, null, "multipart/mixed; boundary=b", Encoding.UTF8.GetBytes(body))));
        Assert.Equal(CpmMappingError.TooManyRecipients, f.Error);
        Assert.Equal(403, f.ToSipAnswer("gw").StatusCode);
    }

    [Fact]
    public void MalformedRecipientList_400()
    {
        var body = "--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\nContent-Type: application/resource-lists+xml\r\nContent-Disposition: recipient-list\r\n\r\n<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\"><list><entry\r\n--b--\r\n";
        var f = Fail(T.Mapper().Map(T.Message("sip:exploder@ims.example.com", T.Alice, null, "multipart/mixed; boundary=b", Encoding.UTF8.GetBytes(body))));
        Assert.Equal(CpmMappingError.MalformedRecipientList, f.Error);
        Assert.Equal(400, f.ToSipAnswer("gw").StatusCode);
    }

    [Theory]
    [InlineData("application/im-iscomposing+xml")]
    [InlineData("application/vnd.gsma.rcs-ft-http+xml")]
    [InlineData("application/octet-stream")]
    public void UnsupportedContent_415_WithAccept(string type)
    {
        var f = Fail(T.Mapper().Map(T.Message(T.BobUri, T.Alice, null, "message/cpim", T.Cpim("<x/>", contentType: type))));
        Assert.Equal(CpmMappingError.UnsupportedContent, f.Error);
        var a = f.ToSipAnswer("gw");
        Assert.Equal(415, a.StatusCode);
        Assert.Contains("message/cpim", a.Accept, StringComparison.Ordinal);
    }

    [Fact]
    public void CpimRequire_UnknownHeader_415_KnownHeaders_Accepted()
    {
        var f = Fail(T.Mapper().Map(T.CpimMessage(cpimHeaders: ["NS: MyFeatures <mid:MessageFeatures@id.foo.com>", "Require: MyFeatures.VitalMessageOption", "MyFeatures.VitalMessageOption: Confirmation-requested"])));
        Assert.Equal(CpmMappingError.UnsupportedContent, f.Error);
        Assert.Contains("MyFeatures.VitalMessageOption", f.Detail, StringComparison.Ordinal);
        Assert.True(T.Mapper().Map(T.CpimMessage(cpimHeaders: ["Require: imdn.Disposition-Notification", "imdn.Disposition-Notification: display", "Subject: x"])).IsSuccess);
    }

    [Fact]
    public void UnsupportedSipBodyType_415()
    {
        Assert.Equal(415, Fail(T.Mapper().Map(T.Message(T.BobUri, T.Alice, null, "application/sdp", "v=0"u8.ToArray()))).ToSipAnswer("gw").StatusCode);
    }

    [Fact]
    public void EmptyBody_400()
    {
        Assert.Equal(CpmMappingError.EmptyBody, Fail(T.Mapper().Map(T.Message(T.BobUri, T.Alice, null, null, []))).Error);
    }

    [Fact]
    public void MalformedCpim_400()
    {
        var f = Fail(T.Mapper().Map(T.Message(T.BobUri, T.Alice, null, "message/cpim", "From: <sip:a@b>\r\nTo: <sip:c@d>"u8.ToArray())));
        Assert.Equal(CpmMappingError.MalformedCpim, f.Error);
        Assert.Equal(400, f.ToSipAnswer("gw").StatusCode);
    }

    [Fact]
    public void SenderNotE164_403()
    {
        var f = Fail(T.Mapper().Map(T.CpimMessage(from: "<sip:alice@example.com>")));
        Assert.Equal(CpmMappingError.SenderNotE164, f.Error);
        Assert.Equal(403, f.ToSipAnswer("gw").StatusCode);
    }

    [Fact]
    public void AnonymousSender_WithoutTrustedPai_403()
    {
        var f = Fail(T.Mapper().Map(T.CpimMessage(sipHeaders: ["P-Asserted-Identity: <tel:+15550100001>"], from: "\"Anonymous\" <sip:anonymous@anonymous.invalid>")));
        Assert.Equal(CpmMappingError.AnonymousWithoutIdentity, f.Error);
        Assert.Equal(403, f.ToSipAnswer("gw").StatusCode);
    }

    [Fact]
    public void Imdn_FromCpmUser_IsANotification_NotAForward()
    {
        var xml = """<?xml version="1.0" encoding="UTF-8"?><imdn xmlns="urn:ietf:params:xml:ns:imdn"><message-id>abc123</message-id><datetime>2026-11-25T12:00:00Z</datetime><display-notification><status><displayed/></status></display-notification></imdn>""";
        var msg = T.Message("sip:+15550100001@ims.example.com;user=phone", "<sip:+15550100002@ims.example.com>", null, "message/cpim",
            T.Cpim(xml, ["Content-Disposition: notification"], "message/imdn+xml"));
        var r = T.Mapper().Map(msg);
        Assert.True(r.IsSuccess);
        Assert.Null(r.Forward);
        var n = r.Notification!;
        Assert.Equal("abc123", n.Imdn.MessageId);
        Assert.Equal("+15550100001", n.RecipientE164);
        Assert.Equal("+15550100002", n.Correlation.SenderE164);
    }
}

using System.Text;
using Cpm.Interwork.Mime.ResourceLists;

namespace Cpm.Interwork.Mime.Tests;

public class ResourceListTests
{
    [Fact]
    public void Rfc5366_Example_CopyControlAndAnonymize()
    {
        var list = ResourceList.Parse(Vectors.Read("resource-lists-rfc5366.xml"), null, out var reason);
        Assert.Equal(ResourceListRejectionReason.None, reason);
        Assert.Equal(
        [
            new ResourceListEntry("sip:bill@example.com", null, CopyControl.To),
            new ResourceListEntry("sip:randy@example.net", null, CopyControl.To, Anonymize: true),
            new ResourceListEntry("sip:eddy@example.com", null, CopyControl.To, Anonymize: true),
            new ResourceListEntry("sip:joe@example.org", null, CopyControl.Cc),
            new ResourceListEntry("sip:carol@example.net", null, CopyControl.Cc, Anonymize: true),
            new ResourceListEntry("sip:ted@example.net", null, CopyControl.Bcc),
            new ResourceListEntry("sip:andy@example.com", null, CopyControl.Bcc),
        ], list!.Entries);
    }

    [Fact]
    public void Rfc4826_NestedListsFlattened_DisplayNames_ExternalIgnored()
    {
        var list = ResourceList.Parse(Vectors.Read("resource-lists-rfc4826.xml"), null, out _);
        Assert.Equal(["sip:bill@example.com", "sip:joe@example.com", "sip:nancy@example.com"], list!.Entries.Select(e => e.Uri));
        Assert.Equal(["Bill Doe", "Joe Smith", "Nancy Gross"], list.Entries.Select(e => e.DisplayName));
        Assert.All(list.Entries, e => Assert.Equal(CopyControl.To, e.EffectiveCopyControl));
    }

    [Fact]
    public void Rfc5365_RecipientListInMultipartMixed_NamespaceCaseInsensitive()
    {
        var body = MimeParser.Parse(Vectors.Read("recipient-list-mixed.eml"), MimeParserOptions.Default).Entity!;
        Assert.True(RecipientListBody.TryRead(body, null, out var message, out var list, out var reason), reason.ToString());
        Assert.True(message!.ContentType.Is("message", "cpim"));
        Assert.Equal(
        [
            new ResourceListEntry("sip:+15550100002@ims.example.com", null, CopyControl.To),
            new ResourceListEntry("tel:+15550100003", null, CopyControl.Cc),
            new ResourceListEntry("sip:+15550100004@ims.example.com", null, CopyControl.Bcc, Anonymize: true),
        ], list!.Entries);
    }

    [Fact]
    public void Build_RecipientListBody_ReadsBack()
    {
        var list = new ResourceList([new("sip:a@x", "Ä & <b>", CopyControl.To), new("tel:+1555", null, CopyControl.Bcc, true, 2), new("sip:c@x")]);
        var msg = new MimePartBuilder("text/plain; charset=utf-8").Content("hi"u8, "8bit").Build();
        var bytes = RecipientListBody.Build(msg, list, "rl").ToBytes();
        var text = Encoding.UTF8.GetString(bytes);
        Assert.Contains("Content-Disposition: recipient-list\r\n", text, StringComparison.Ordinal);
        Assert.Contains("cp:copyControl=\"bcc\"", text, StringComparison.Ordinal);
        var parsed = MimeParser.Parse(bytes, MimeParserOptions.Default).Entity!;
        Assert.True(RecipientListBody.TryRead(parsed, null, out var m, out var back, out _));
        Assert.Equal("hi", ((MimePart)m!).GetText());
        Assert.Equal(list.Entries, back!.Entries);
    }

    [Theory]
    [InlineData("<resource-lists xmlns='urn:ietf:params:xml:ns:resource-lists'><list><entry/></list></resource-lists>", ResourceListRejectionReason.EntryWithoutUri)]
    [InlineData("<imdn/>", ResourceListRejectionReason.NotResourceLists)]
    [InlineData("<!DOCTYPE x [<!ENTITY a 'b'>]><resource-lists/>", ResourceListRejectionReason.DtdProhibited)]
    [InlineData("<resource-lists><list>", ResourceListRejectionReason.MalformedXml)]
    public void InvalidDocuments_AreRejectedWithReason(string xml, ResourceListRejectionReason expected)
    {
        Assert.Null(ResourceList.Parse(Encoding.UTF8.GetBytes(xml), null, out var reason));
        Assert.Equal(expected, reason);
    }

    [Fact]
    public void MoreEntriesThanLimit_IsRejected()
    {
        var xml = "<resource-lists><list>" + string.Concat(Enumerable.Range(0, 20).Select(i => $"<entry uri='sip:{i}@x'/>")) + "</list></resource-lists>";
        Assert.Null(ResourceList.Parse(Encoding.UTF8.GetBytes(xml), new ResourceListParserOptions { MaxEntries = 10 }, out var reason));
        Assert.Equal(ResourceListRejectionReason.TooManyEntries, reason);
        Assert.Equal(20, ResourceList.Parse(Encoding.UTF8.GetBytes(xml), null, out _)!.Entries.Count);
    }
}

using System.Net;
using Cpm.Interwork.Dns.Wire;

namespace Cpm.Interwork.Dns.Tests;

public class BuilderRoundTripTests
{
    [Fact]
    public void EveryTypedRecord_SurvivesWriteThenRead()
    {
        DnsRecord[] records =
        [
            new ARecord("a.example", DnsClass.IN, 60, IPAddress.Parse("192.0.2.7")),
            new AaaaRecord("a.example", DnsClass.IN, 60, IPAddress.Parse("2001:db8::7")),
            new CnameRecord("c.example", DnsClass.IN, 60, "a.example"),
            new NsRecord("example", DnsClass.IN, 60, "ns1.example"),
            new MxRecord("example", DnsClass.IN, 60, 10, "mx.example"),
            new SrvRecord("_smtp._tcp.example", DnsClass.IN, 60, 1, 5, 25, "mx.example"),
            new NaptrRecord("2.1.e164.arpa", DnsClass.IN, 60, 100, 10, "u", "E2U+mms:mailto", "!^.*$!mailto:x@y!", ""),
            new SoaRecord("example", DnsClass.IN, 60, "ns1.example", "host\\.master.example", 1, 2, 3, 4, 5),
            new TxtRecord("t.example", DnsClass.IN, 60, [[.. "abc"u8], []]),
            new UnknownRecord("u.example", DnsClass.IN, 60, (DnsRecordType)65280, [1, 2, 3]),
        ];
        var builder = new DnsMessageBuilder(7, DnsHeader.BuildFlags(true, DnsOpcode.Query, true, false, true, true, DnsResponseCode.NoError))
            .AddQuestion(new DnsQuestion("example", DnsRecordType.Any));
        foreach (var r in records)
        {
            builder.AddAnswer(r);
        }

        Assert.True(DnsMessage.TryParse(builder.ToArray(), out var m, out var error), error.ToString());
        Assert.Equal(records.Length, m.Answers.Length);
        for (var i = 0; i < records.Length; i++)
        {
            Assert.Equal(records[i].GetType(), m.Answers[i].GetType());
            Assert.Equal(records[i].Name, m.Answers[i].Name);
            Assert.Equal(records[i].Type, m.Answers[i].Type);
        }

        Assert.Equal(records[6], m.Answers[6]);
        Assert.Equal(records[7], m.Answers[7]);
        Assert.Equal("abc", ((TxtRecord)m.Answers[8]).Text);
        Assert.Equal(new byte[] { 1, 2, 3 }, ((UnknownRecord)m.Answers[9]).Data.ToArray());
    }

    [Theory]
    [InlineData("a..example")]
    [InlineData("exämple.net")]
    [InlineData("bad\\")]
    public void InvalidNames_AreRefusedByTheNameSplitter(string name)
    {
        Assert.False(DnsName.TryGetLabels(name, out _, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void LabelOf64Octets_IsRefused()
    {
        Assert.False(DnsName.TryGetLabels(new string('a', 64) + ".example", out _, out _));
        Assert.True(DnsName.TryGetLabels(new string('a', 63) + ".example", out var labels, out _));
        Assert.Equal(2, labels.Count);
    }

    [Fact]
    public void Rfc4343_NamesCompareCaseInsensitivelyAndIgnoreTheTrailingDot()
    {
        Assert.True(DnsName.EqualsIgnoreCase("MMS.Example.NET.", "mms.example.net"));
        Assert.False(DnsName.EqualsIgnoreCase("mms.example.net", "mms.example.org"));
    }

    [Fact]
    public void QueryHeader_HasRdAndOneQuestion()
    {
        var bytes = DnsMessageBuilder.BuildQuery(0xABCD, new DnsQuestion("mms.example.net", DnsRecordType.Mx));
        Assert.True(DnsMessage.TryParse(bytes, out var m, out _));
        Assert.Equal(0xABCD, m.Header.Id);
        Assert.False(m.Header.IsResponse);
        Assert.True(m.Header.RecursionDesired);
        Assert.Equal(DnsRecordType.Mx, m.Questions[0].Type);
    }
}

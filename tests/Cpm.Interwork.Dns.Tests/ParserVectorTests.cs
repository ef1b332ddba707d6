using System.Diagnostics;
using System.Net;
using Cpm.Interwork.Dns.Tests.Support;
using Cpm.Interwork.Dns.Wire;

namespace Cpm.Interwork.Dns.Tests;

public class ParserVectorTests
{
    [Fact]
    public void Rfc3403_NaptrAnswer_ReadsBothRulesWithFieldsIntact()
    {
        Assert.True(DnsMessage.TryParse(Vectors.Load("naptr-answer.hex"), out var m, out var error), error.ToString());
        Assert.Equal(0x1234, m.Header.Id);
        Assert.True(m.Header.IsResponse);
        Assert.True(m.Header.IsAuthoritative);
        Assert.Equal(DnsResponseCode.NoError, m.Header.ResponseCode);
        Assert.Equal(new DnsQuestion("2.0.0.0.0.1.0.5.5.5.1.e164.arpa", DnsRecordType.Naptr), Assert.Single(m.Questions));
        Assert.Equal(2, m.Answers.Length);
        var mms = Assert.IsType<NaptrRecord>(m.Answers[1]);
        Assert.Equal("2.0.0.0.0.1.0.5.5.5.1.e164.arpa", mms.Name);
        Assert.Equal((ushort)100, mms.Order);
        Assert.Equal((ushort)10, mms.Preference);
        Assert.Equal("u", mms.Flags);
        Assert.Equal("E2U+mms:mailto", mms.Services);
        Assert.Equal("!^.*$!mailto:+15550100002/TYPE=PLMN@mms.example.net!", mms.Regexp);
        Assert.Equal("", mms.Replacement);
        Assert.Equal(300u, mms.Ttl);
    }

    [Fact]
    public void Rfc1035_4_1_4_MxAnswer_DecompressesExchangeNamesAndReadsGlue()
    {
        Assert.True(DnsMessage.TryParse(Vectors.Load("mx-answer.hex"), out var m, out var error), error.ToString());
        var mx = m.Answers.Cast<MxRecord>().ToList();
        Assert.Equal(["mmsc2.mms.example.net", "mmsc.mms.example.net"], mx.Select(r => r.Exchange));
        Assert.Equal([(ushort)20, (ushort)10], mx.Select(r => r.Preference));
        var glue = Assert.IsType<ARecord>(Assert.Single(m.Additionals));
        Assert.Equal("mmsc.mms.example.net", glue.Name);
        Assert.Equal(IPAddress.Loopback, glue.Address);
        Assert.Equal(600u, glue.Ttl);
    }

    [Fact]
    public void NxDomainWithSoa_ReadsRcodeAndSoaMinimum()
    {
        Assert.True(DnsMessage.TryParse(Vectors.Load("nxdomain-soa.hex"), out var m, out var error), error.ToString());
        Assert.Equal(DnsResponseCode.NXDomain, m.Header.ResponseCode);
        var soa = Assert.IsType<SoaRecord>(Assert.Single(m.Authorities));
        Assert.Equal("e164.arpa", soa.Name);
        Assert.Equal("ns1.e164.arpa", soa.PrimaryServer);
        Assert.Equal("hostmaster.e164.arpa", soa.ResponsibleMailbox);
        Assert.Equal(300u, soa.Minimum);
        Assert.Equal(3600u, soa.Ttl);
    }

    [Fact]
    public void Rfc3597_UnknownTypeKeptRaw_AlongsideCnameAaaaTxtSrv()
    {
        Assert.True(DnsMessage.TryParse(Vectors.Load("mixed-types.hex"), out var m, out var error), error.ToString());
        Assert.Equal("y.example", Assert.IsType<CnameRecord>(m.Answers[0]).Target);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), Assert.IsType<AaaaRecord>(m.Answers[1]).Address);
        var txt = Assert.IsType<TxtRecord>(m.Answers[2]);
        Assert.Equal(2, txt.Strings.Length);
        Assert.Equal("helloworld", txt.Text);
        var srv = Assert.IsType<SrvRecord>(m.Answers[3]);
        Assert.Equal((1, 2, 25, "mx.example"), (srv.Priority, srv.Weight, srv.Port, srv.Target));
        var unknown = Assert.IsType<UnknownRecord>(m.Answers[4]);
        Assert.Equal((DnsRecordType)99, unknown.Type);
        Assert.Equal(new byte[] { 2, (byte)'v', (byte)'1' }, unknown.Data.ToArray());
    }

    [Theory]
    [InlineData("truncated.hex", DnsFormatError.Truncated)]
    [InlineData("compression-loop-self.hex", DnsFormatError.CompressionLoop)]
    [InlineData("compression-loop-two.hex", DnsFormatError.CompressionLoop)]
    [InlineData("pointer-beyond-end.hex", DnsFormatError.PointerOutOfRange)]
    [InlineData("rdlength-mismatch.hex", DnsFormatError.RdLengthMismatch)]
    [InlineData("rdlength-a-five.hex", DnsFormatError.RdLengthMismatch)]
    [InlineData("huge-counts.hex", DnsFormatError.CountExceedsMessage)]
    [InlineData("bad-label-type.hex", DnsFormatError.BadLabelType)]
    [InlineData("name-too-long.hex", DnsFormatError.NameTooLong)]
    public void MaliciousVector_EndsAsFormatErrorQuickly(string file, DnsFormatError expected)
    {
        var data = Vectors.Load(file);
        var sw = Stopwatch.StartNew();
        var ok = DnsMessage.TryParse(data, out var message, out var error);
        sw.Stop();
        Assert.False(ok);
        Assert.Null(message);
        Assert.Equal(expected, error.Reason);
        Assert.InRange(error.Offset, 0, data.Length);
        Assert.True(sw.ElapsedMilliseconds < 200, $"took {sw.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void RdLengthMismatch_ReportsTheRecordsRdataOffset()
    {
        Assert.False(DnsMessage.TryParse(Vectors.Load("rdlength-mismatch.hex"), out _, out var error));
        Assert.Equal(37, error.Offset);
    }

    [Theory]
    [InlineData("naptr-answer.hex")]
    [InlineData("mx-answer.hex")]
    [InlineData("nxdomain-soa.hex")]
    [InlineData("mixed-types.hex")]
    public void EveryStrictPrefixOfAValidMessage_IsRejectedAsData(string file)
    {
        var data = Vectors.Load(file);
        Assert.True(DnsMessage.TryParse(data, out _, out _));
        for (var n = 0; n < data.Length; n++)
        {
            Assert.False(DnsMessage.TryParse(data.AsSpan(0, n), out _, out var error), $"prefix {n} parsed");
            Assert.NotEqual(DnsFormatError.None, error.Reason);
        }
    }

    [Fact]
    public void TrailingGarbage_IsRejected()
    {
        var data = Vectors.Load("mx-answer.hex").Concat(new byte[] { 0, 0 }).ToArray();
        Assert.False(DnsMessage.TryParse(data, out _, out var error));
        Assert.Equal(DnsFormatError.TrailingBytes, error.Reason);
    }

    [Fact]
    public void RandomMutationsOfEveryVector_NeverThrowAndFinishFast()
    {
        var random = new Random(20240601);
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Vectors", "dns"), "*.hex").Select(Path.GetFileName).ToList();
        var sw = Stopwatch.StartNew();
        var parsed = 0;
        foreach (var file in files)
        {
            var original = Vectors.Load(file!);
            for (var i = 0; i < 2000; i++)
            {
                var data = (byte[])original.Clone();
                var flips = random.Next(1, 4);
                for (var f = 0; f < flips; f++)
                {
                    data[random.Next(data.Length)] = (byte)random.Next(256);
                }

                if (DnsMessage.TryParse(data, out var m, out _))
                {
                    parsed++;
                    Assert.NotNull(m);
                }
            }
        }

        Assert.True(parsed > 0, "some mutations should still be valid messages");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
    }
}

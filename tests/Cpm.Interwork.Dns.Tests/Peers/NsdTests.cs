using System.Net;
using Cpm.Interwork.Dns.Client;
using Cpm.Interwork.Dns.Wire;

namespace Cpm.Interwork.Dns.Tests.Peers;

/// <summary>Our client against NSD serving a real zone file.</summary>
public class NsdTests : IClassFixture<NsdFixture>
{
    private readonly NsdFixture _peer;

    public NsdTests(NsdFixture peer) => _peer = peer;

    private DnsClient Client(int cacheEntries = 0)
    {
        var options = new DnsOptions { Timeout = TimeSpan.FromSeconds(2), Attempts = 1, CacheMaxEntries = cacheEntries };
        options.Servers.Add(_peer.Server);
        return new DnsClient(options);
    }

    [Fact]
    public async Task Soa_FromTheZoneFile()
    {
        var result = await Client().QueryAsync("example.test", DnsRecordType.Soa);
        Assert.True(result.IsSuccess, result + _peer.Log);
        var soa = Assert.IsType<SoaRecord>(Assert.Single(result.Answers));
        Assert.Equal(("ns1.example.test", "hostmaster.example.test"), (soa.PrimaryServer, soa.ResponsibleMailbox));
        Assert.Equal((2024010101u, 7200u, 3600u, 1209600u, 300u), (soa.Serial, soa.Refresh, soa.Retry, soa.Expire, soa.Minimum));
        Assert.Equal(3600u, soa.Ttl);
    }

    [Fact]
    public async Task Ns_AndPerRecordTtls_FromTheZoneFile()
    {
        var client = Client();
        var ns = await client.QueryAsync("example.test", DnsRecordType.Ns);
        Assert.Equal("ns1.example.test", Assert.IsType<NsRecord>(Assert.Single(ns.Answers)).Host);
        var www = await client.QueryAsync("www.example.test", DnsRecordType.A);
        var a = Assert.IsType<ARecord>(Assert.Single(www.Answers));
        Assert.Equal((IPAddress.Parse("192.0.2.80"), 600u), (a.Address, a.Ttl));
        var aaaa = await client.QueryAsync("www.example.test", DnsRecordType.Aaaa);
        Assert.Equal(IPAddress.Parse("2001:db8::80"), Assert.IsType<AaaaRecord>(Assert.Single(aaaa.Answers)).Address);
    }

    [Fact]
    public async Task LargeAnswer_ComesTruncatedOverUdp_AndWholeOverTcp()
    {
        var result = await Client().QueryAsync("big.example.test", DnsRecordType.Txt);
        Assert.True(result.IsSuccess, result + _peer.Log);
        Assert.True(result.UsedTcp);
        var texts = result.Answers.OfType<TxtRecord>().Select(t => t.Text).ToHashSet();
        Assert.Equal(NsdFixture.BigCount, texts.Count);
        Assert.Contains("record 60 of a large answer set", texts);
    }

    [Fact]
    public async Task SmallAnswer_StaysOnUdp()
    {
        var result = await Client().QueryAsync("www.example.test", DnsRecordType.A);
        Assert.False(result.UsedTcp);
    }

    [Fact]
    public async Task Rfc2308_NxDomain_CarriesTheSoa_AndIsCachedForTheSoaMinimum()
    {
        var client = Client(cacheEntries: 10);
        var result = await client.QueryAsync("nothere.example.test", DnsRecordType.A);
        Assert.True(result.IsNameError, result.ToString());
        var soa = Assert.IsType<SoaRecord>(Assert.Single(result.Authorities));
        Assert.Equal(300u, soa.Minimum);
        Assert.Equal(TimeSpan.FromSeconds(300), client.Cache!.Lifetime(result));
        var again = await client.QueryAsync("nothere.example.test", DnsRecordType.A);
        Assert.True(again.FromCache);
        Assert.True(again.IsNameError);
    }

    [Fact]
    public async Task Rfc2308_NoData_IsReportedAsNoData()
    {
        var result = await Client().QueryAsync("www.example.test", DnsRecordType.Mx);
        Assert.True(result.IsNoData, result.ToString());
        Assert.Single(result.Authorities.OfType<SoaRecord>());
    }

    [Fact]
    public async Task Cname_IsReturnedWithItsTarget()
    {
        var result = await Client().QueryAsync("alias.example.test", DnsRecordType.A);
        Assert.Equal("www.example.test", result.Answers.OfType<CnameRecord>().Single().Target);
        Assert.Contains(result.Answers.OfType<ARecord>(), a => a.Address.Equals(IPAddress.Parse("192.0.2.80")));
    }

    [Fact]
    public async Task OutOfZoneName_IsRefused_AsData()
    {
        var result = await Client().QueryAsync("elsewhere.invalid", DnsRecordType.A);
        Assert.Equal(DnsResultStatus.Response, result.Status);
        Assert.Equal(DnsResponseCode.Refused, result.Rcode);
        Assert.True(result.IsFailure);
    }
}

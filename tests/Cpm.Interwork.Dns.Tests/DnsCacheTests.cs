using System.Net;
using Cpm.Interwork.Dns.Client;
using Cpm.Interwork.Dns.Wire;
using Microsoft.Extensions.Time.Testing;

namespace Cpm.Interwork.Dns.Tests;

public class DnsCacheTests
{
    private readonly FakeTimeProvider _time = new();

    private DnsCache Cache(int max = 100, int maxNegativeSeconds = 900) =>
        new(max, TimeSpan.FromDays(1), TimeSpan.FromSeconds(maxNegativeSeconds), _time);

    private static DnsResult Positive(string name, uint ttl, params uint[] more) => new()
    {
        Question = new DnsQuestion(name, DnsRecordType.A),
        Status = DnsResultStatus.Response,
        Answers = [.. new[] { ttl }.Concat(more).Select((t, i) => new ARecord(name, DnsClass.IN, t, new IPAddress([192, 0, 2, (byte)(i + 1)])))],
    };

    private static SoaRecord Soa(uint ttl, uint minimum) =>
        new("example", DnsClass.IN, ttl, "ns1.example", "hostmaster.example", 1, 7200, 3600, 1209600, minimum);

    private static DnsResult Negative(string name, DnsResponseCode rcode, SoaRecord? soa) => new()
    {
        Question = new DnsQuestion(name, DnsRecordType.Naptr),
        Status = DnsResultStatus.Response,
        Rcode = rcode,
        Authorities = soa is null ? [] : [soa],
    };

    [Fact]
    public void PositiveAnswer_LivesForItsSmallestTtl_AndTtlsCountDown()
    {
        var cache = Cache();
        Assert.Equal(TimeSpan.FromSeconds(60), cache.Store(Positive("a.example", 300, 60)));
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.True(cache.TryGet(new DnsQuestion("a.example", DnsRecordType.A), out var hit));
        Assert.True(hit.FromCache);
        Assert.Equal([241u, 1u], hit.Answers.Select(r => r.Ttl));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cache.TryGet(new DnsQuestion("a.example", DnsRecordType.A), out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void ZeroTtl_IsNotCached()
    {
        var cache = Cache();
        Assert.Equal(TimeSpan.Zero, cache.Store(Positive("a.example", 0)));
        Assert.False(cache.TryGet(new DnsQuestion("a.example", DnsRecordType.A), out _));
    }

    [Fact]
    public void SizeBound_EvictsTheLeastRecentlyUsedEntry()
    {
        var cache = Cache(max: 2);
        cache.Store(Positive("one.example", 300));
        cache.Store(Positive("two.example", 300));
        Assert.True(cache.TryGet(new DnsQuestion("one.example", DnsRecordType.A), out _)); // one is now the most recent
        cache.Store(Positive("three.example", 300));
        Assert.Equal(2, cache.Count);
        Assert.True(cache.TryGet(new DnsQuestion("one.example", DnsRecordType.A), out _));
        Assert.False(cache.TryGet(new DnsQuestion("two.example", DnsRecordType.A), out _));
        Assert.True(cache.TryGet(new DnsQuestion("three.example", DnsRecordType.A), out _));
    }

    [Fact]
    public void Rfc2308_5_NxDomain_LivesForMinOfSoaTtlAndMinimum()
    {
        var cache = Cache();
        var nx = Negative("9.9.9.e164.arpa", DnsResponseCode.NXDomain, Soa(ttl: 3600, minimum: 300));
        Assert.Equal(TimeSpan.FromSeconds(300), cache.Store(nx));
        _time.Advance(TimeSpan.FromSeconds(299));
        Assert.True(cache.TryGet(nx.Question, out var hit));
        Assert.True(hit.IsNameError);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cache.TryGet(nx.Question, out _));

        // The SOA's own TTL bounds it too.
        Assert.Equal(TimeSpan.FromSeconds(120), cache.Store(Negative("8.e164.arpa", DnsResponseCode.NXDomain, Soa(ttl: 120, minimum: 300))));
    }

    [Fact]
    public void Rfc2308_NoData_IsCachedNegatively()
    {
        var cache = Cache();
        var nodata = Negative("mms.example", DnsResponseCode.NoError, Soa(ttl: 600, minimum: 60));
        Assert.True(nodata.IsNoData);
        Assert.Equal(TimeSpan.FromSeconds(60), cache.Store(nodata));
        Assert.True(cache.TryGet(nodata.Question, out var hit));
        Assert.True(hit.IsNoData);
    }

    [Fact]
    public void NegativeTtl_IsCappedByMaxNegativeTtl()
    {
        var cache = Cache(maxNegativeSeconds: 30);
        Assert.Equal(TimeSpan.FromSeconds(30), cache.Store(Negative("x.e164.arpa", DnsResponseCode.NXDomain, Soa(86400, 86400))));
    }

    [Fact]
    public void Rfc2308_5_NegativeAnswerWithoutSoa_IsNotCached()
    {
        var cache = Cache();
        Assert.Equal(TimeSpan.Zero, cache.Store(Negative("x.e164.arpa", DnsResponseCode.NXDomain, null)));
        Assert.Equal(0, cache.Count);
    }

    [Theory]
    [InlineData(DnsResponseCode.ServFail)]
    [InlineData(DnsResponseCode.Refused)]
    public void ServerFailures_AreNotCached(DnsResponseCode rcode)
    {
        var cache = Cache();
        Assert.Equal(TimeSpan.Zero, cache.Store(Negative("x.example", rcode, Soa(300, 300))));
    }

    [Fact]
    public void Timeouts_AreNotCached()
    {
        var cache = Cache();
        Assert.Equal(TimeSpan.Zero, cache.Store(DnsResult.Failure(new DnsQuestion("x.example", DnsRecordType.A), DnsResultStatus.Timeout, "t")));
    }

    [Fact]
    public void PositiveTtl_IsCappedByMaxPositiveTtl()
    {
        var cache = new DnsCache(10, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), _time);
        Assert.Equal(TimeSpan.FromMinutes(5), cache.Store(Positive("a.example", 86400)));
    }

    [Fact]
    public void ZeroEntries_DisablesTheCache()
    {
        var cache = Cache(max: 0);
        Assert.Equal(TimeSpan.Zero, cache.Store(Positive("a.example", 300)));
        Assert.False(cache.TryGet(new DnsQuestion("a.example", DnsRecordType.A), out _));
    }
}

using System.Net;
using System.Net.Sockets;
using Cpm.Interwork.Dns.Client;
using Cpm.Interwork.Dns.Tests.Support;
using Cpm.Interwork.Dns.Wire;
using Microsoft.Extensions.Time.Testing;

namespace Cpm.Interwork.Dns.Tests;

public class DnsClientTests
{
    private static readonly IPEndPoint s_a = IPEndPoint.Parse("192.0.2.1:53");
    private static readonly IPEndPoint s_b = IPEndPoint.Parse("192.0.2.2:53");
    private const string EnumName = "2.0.0.0.0.1.0.5.5.5.1.e164.arpa";

    private static DnsClient Client(ScriptedTransport transport, TimeProvider? time = null, int attempts = 2, int cache = 0, int timeoutMs = 2000, params string[] servers)
    {
        var options = new DnsOptions { Attempts = attempts, CacheMaxEntries = cache, Timeout = TimeSpan.FromMilliseconds(timeoutMs) };
        foreach (var s in servers.Length == 0 ? ["192.0.2.1:53"] : servers)
        {
            options.Servers.Add(s);
        }

        return new DnsClient(options, transport, time);
    }

    private static ARecord A(string name, string ip, uint ttl = 60) => new(name, DnsClass.IN, ttl, IPAddress.Parse(ip));

    [Fact]
    public async Task CapturedNaptrBytes_AreReturnedAsTypedRecords()
    {
        var captured = Vectors.Load("naptr-answer.hex");
        var transport = new ScriptedTransport(e => [ScriptedTransport.WithId(captured, e.Id)]);
        var result = await Client(transport).QueryAsync(EnumName, DnsRecordType.Naptr);
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(2, result.Answers.OfType<NaptrRecord>().Count());
        Assert.Equal(s_a, result.Server);
    }

    [Fact]
    public async Task Rfc5452_SpoofedIdAndMismatchedQuestion_AreIgnored_RealAnswerTaken()
    {
        var transport = new ScriptedTransport(e =>
        [
            ScriptedTransport.Answer(e, DnsResponseCode.NoError, answers: [A("a.example", "203.0.113.66")], id: (ushort)(e.Id + 1)),
            ScriptedTransport.Answer(e, DnsResponseCode.NoError, answers: [A("evil.example", "203.0.113.66")], question: new DnsQuestion("evil.example", DnsRecordType.A)),
            ScriptedTransport.Answer(e, DnsResponseCode.NoError, answers: [A("a.example", "192.0.2.10")]),
        ]);
        var result = await Client(transport).QueryAsync("a.example", DnsRecordType.A);
        Assert.True(result.IsSuccess);
        Assert.Equal(IPAddress.Parse("192.0.2.10"), Assert.IsType<ARecord>(Assert.Single(result.Answers)).Address);
        Assert.Single(transport.Exchanges);
    }

    [Fact]
    public async Task QuestionMatch_IsCaseInsensitive()
    {
        var transport = new ScriptedTransport(e =>
            [ScriptedTransport.Answer(e, DnsResponseCode.NoError, answers: [A("A.EXAMPLE", "192.0.2.10")], question: new DnsQuestion("A.Example", DnsRecordType.A))]);
        var result = await Client(transport).QueryAsync("a.example", DnsRecordType.A);
        Assert.True(result.IsSuccess);
    }

    [Fact]
    public async Task Rfc7766_TruncatedUdpAnswer_IsRepeatedOverTcp()
    {
        var tcCaptured = Vectors.Load("tc-empty.hex");
        var transport = new ScriptedTransport(e => e.Tcp
            ? [ScriptedTransport.Answer(e, DnsResponseCode.NoError, answers: Enumerable.Range(1, 40).Select(i => A("big.example.test", $"192.0.2.{i}")))]
            : [ScriptedTransport.WithId(tcCaptured, e.Id)]);
        var result = await Client(transport).QueryAsync("big.example.test", DnsRecordType.Txt);
        Assert.True(result.IsSuccess);
        Assert.True(result.UsedTcp);
        Assert.Equal(40, result.Answers.Length);
        Assert.Equal([false, true], transport.Exchanges.Select(x => x.Tcp));
    }

    [Fact]
    public async Task TcpAnswerWithAnotherId_IsFormatError()
    {
        var transport = new ScriptedTransport(e => e.Tcp
            ? [ScriptedTransport.Answer(e, DnsResponseCode.NoError, id: (ushort)(e.Id ^ 0x5555))]
            : [ScriptedTransport.Answer(e, DnsResponseCode.NoError, truncated: true)]);
        var result = await Client(transport, attempts: 1).QueryAsync("big.example", DnsRecordType.A);
        Assert.Equal(DnsResultStatus.FormatError, result.Status);
    }

    [Fact]
    public async Task ServFail_MovesToTheNextServer_AndNxDomainEndsTheSearch()
    {
        var transport = new ScriptedTransport(e => e.Server.Equals(s_a)
            ? [ScriptedTransport.Answer(e, DnsResponseCode.ServFail)]
            : [ScriptedTransport.Answer(e, DnsResponseCode.NXDomain)]);
        var result = await Client(transport, servers: ["192.0.2.1:53", "192.0.2.2:53"]).QueryAsync("gone.example", DnsRecordType.A);
        Assert.True(result.IsNameError);
        Assert.Equal(s_b, result.Server);
        Assert.Equal([s_a, s_b], transport.Exchanges.Select(x => x.Server));
    }

    [Fact]
    public async Task AllServersServFail_EveryAttempt_ResultIsServFailAfterAttemptsTimesServers()
    {
        var transport = new ScriptedTransport(e => [ScriptedTransport.Answer(e, DnsResponseCode.ServFail)]);
        var result = await Client(transport, attempts: 3, servers: ["192.0.2.1:53", "192.0.2.2:53"]).QueryAsync("x.example", DnsRecordType.A);
        Assert.Equal(DnsResultStatus.Response, result.Status);
        Assert.Equal(DnsResponseCode.ServFail, result.Rcode);
        Assert.True(result.IsFailure);
        Assert.Equal(6, transport.Exchanges.Count);
        Assert.Equal([s_a, s_b, s_a, s_b, s_a, s_b], transport.Exchanges.Select(x => x.Server));
    }

    [Fact]
    public async Task EachExchange_UsesAFreshQueryId()
    {
        var transport = new ScriptedTransport(e => [ScriptedTransport.Answer(e, DnsResponseCode.Refused)]);
        await Client(transport, attempts: 10).QueryAsync("x.example", DnsRecordType.A);
        Assert.True(transport.Exchanges.Select(x => x.Id).Distinct().Count() > 1);
    }

    [Fact]
    public async Task StartingServer_RotatesBetweenQueries()
    {
        var transport = new ScriptedTransport(e => [ScriptedTransport.Answer(e, DnsResponseCode.NoError, answers: [A(e.Query.Questions[0].Name, "192.0.2.1")])]);
        var client = Client(transport, servers: ["192.0.2.1:53", "192.0.2.2:53"]);
        await client.QueryAsync("one.example", DnsRecordType.A);
        await client.QueryAsync("two.example", DnsRecordType.A);
        Assert.Equal([s_a, s_b], transport.Exchanges.Select(x => x.Server));
    }

    [Fact]
    public async Task SilentServer_TimesOut_ThenTheNextServerAnswers()
    {
        var transport = new ScriptedTransport(e => e.Server.Equals(s_a) ? null : [ScriptedTransport.Answer(e, DnsResponseCode.NoError, answers: [A("a.example", "192.0.2.9")])]);
        var result = await Client(transport, timeoutMs: 50, servers: ["192.0.2.1:53", "192.0.2.2:53"]).QueryAsync("a.example", DnsRecordType.A);
        Assert.True(result.IsSuccess);
        Assert.Equal(s_b, result.Server);
    }

    [Fact]
    public async Task NoAnswerAnywhere_IsTimeoutAsData()
    {
        var transport = new ScriptedTransport(_ => null);
        var started = DateTime.UtcNow;
        var result = await Client(transport, attempts: 2, timeoutMs: 50).QueryAsync("a.example", DnsRecordType.A);
        Assert.Equal(DnsResultStatus.Timeout, result.Status);
        Assert.True(result.IsFailure);
        Assert.Equal(2, transport.Exchanges.Count);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Timeout_FollowsTheInjectedTimeProvider()
    {
        var time = new FakeTimeProvider();
        var transport = new ScriptedTransport(_ => null);
        var query = Client(transport, time, attempts: 1, timeoutMs: 2000).QueryAsync("a.example", DnsRecordType.A);
        await WaitUntil(() => !transport.Exchanges.IsEmpty);
        Assert.False(query.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1999));
        await Task.Delay(20);
        Assert.False(query.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await query.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(DnsResultStatus.Timeout, result.Status);
    }

    [Fact]
    public async Task MalformedAnswerWithOurId_IsFormatError_AndTheNextServerIsTried()
    {
        var loop = Vectors.Load("compression-loop-self.hex");
        var transport = new ScriptedTransport(e => e.Server.Equals(s_a)
            ? [ScriptedTransport.WithId(loop, e.Id)]
            : [ScriptedTransport.Answer(e, DnsResponseCode.NoError, answers: [A("a.example", "192.0.2.9")])]);
        var result = await Client(transport, servers: ["192.0.2.1:53", "192.0.2.2:53"]).QueryAsync("a.example", DnsRecordType.A);
        Assert.True(result.IsSuccess);

        var onlyBad = new ScriptedTransport(e => [ScriptedTransport.WithId(loop, e.Id)]);
        var bad = await Client(onlyBad, attempts: 1).QueryAsync("a.example", DnsRecordType.A);
        Assert.Equal(DnsResultStatus.FormatError, bad.Status);
        Assert.Equal(DnsFormatError.CompressionLoop, bad.ParseError?.Reason);
    }

    [Fact]
    public async Task SocketErrors_AreNetworkErrorAsData()
    {
        var transport = new ScriptedTransport(_ => ScriptedTransport.Throw(SocketError.ConnectionRefused));
        var result = await Client(transport).QueryAsync("a.example", DnsRecordType.A);
        Assert.Equal(DnsResultStatus.NetworkError, result.Status);
        Assert.True(result.IsFailure);
    }

    [Fact]
    public async Task InvalidName_IsRefusedWithoutSending()
    {
        var transport = new ScriptedTransport(_ => throw new InvalidOperationException("must not be called"));
        var result = await Client(transport).QueryAsync("bad..name", DnsRecordType.A);
        Assert.Equal(DnsResultStatus.InvalidName, result.Status);
        Assert.Empty(transport.Exchanges);
    }

    [Fact]
    public async Task CachedAnswer_IsServedUntilItsTtlRunsOut()
    {
        var time = new FakeTimeProvider();
        var transport = new ScriptedTransport(e => [ScriptedTransport.Answer(e, DnsResponseCode.NoError, answers: [A("a.example", "192.0.2.9", ttl: 30)])]);
        var client = Client(transport, time, cache: 100);
        await client.QueryAsync("a.example", DnsRecordType.A);
        time.Advance(TimeSpan.FromSeconds(10));
        var cached = await client.QueryAsync("A.EXAMPLE", DnsRecordType.A);
        Assert.True(cached.FromCache);
        Assert.Equal(20u, cached.Answers[0].Ttl);
        Assert.Single(transport.Exchanges);
        time.Advance(TimeSpan.FromSeconds(20));
        var fresh = await client.QueryAsync("a.example", DnsRecordType.A);
        Assert.False(fresh.FromCache);
        Assert.Equal(2, transport.Exchanges.Count);
    }

    [Fact]
    public async Task CancellationByTheCaller_IsNotReportedAsTimeout()
    {
        using var cts = new CancellationTokenSource();
        var transport = new ScriptedTransport(_ => null);
        var query = Client(transport).QueryAsync("a.example", DnsRecordType.A, cts.Token);
        await WaitUntil(() => !transport.Exchanges.IsEmpty);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => query);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}

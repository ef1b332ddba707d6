using System.Text;
using Cpm.Interwork.Sip.Stack.Client;
using Microsoft.Extensions.Time.Testing;

namespace Cpm.Interwork.Sip.Stack.Tests;

/// <summary>RFC 3261 §17.1.2.2 non-INVITE client transaction: the state table and the timers on a FakeTimeProvider.</summary>
public sealed class ClientTransactionTests
{
    private static readonly SipClientOptions Options = new() { OutboundProxy = "sip:127.0.0.1:5060", T1 = TimeSpan.FromMilliseconds(500), T2 = TimeSpan.FromSeconds(4), T4 = TimeSpan.FromSeconds(5) };

    [Theory]
    [InlineData(NonInviteClientState.Trying, NonInviteClientEvent.TimerE, NonInviteClientState.Trying, NonInviteClientActions.Retransmit | NonInviteClientActions.ArmTimerE)]
    [InlineData(NonInviteClientState.Proceeding, NonInviteClientEvent.TimerE, NonInviteClientState.Proceeding, NonInviteClientActions.Retransmit | NonInviteClientActions.ArmTimerE)]
    [InlineData(NonInviteClientState.Trying, NonInviteClientEvent.Provisional, NonInviteClientState.Proceeding, NonInviteClientActions.None)]
    [InlineData(NonInviteClientState.Trying, NonInviteClientEvent.Final, NonInviteClientState.Completed, NonInviteClientActions.ReportFinal | NonInviteClientActions.CancelTimers | NonInviteClientActions.ArmTimerK)]
    [InlineData(NonInviteClientState.Proceeding, NonInviteClientEvent.Final, NonInviteClientState.Completed, NonInviteClientActions.ReportFinal | NonInviteClientActions.CancelTimers | NonInviteClientActions.ArmTimerK)]
    [InlineData(NonInviteClientState.Trying, NonInviteClientEvent.TimerF, NonInviteClientState.Terminated, NonInviteClientActions.ReportTimeout | NonInviteClientActions.CancelTimers)]
    [InlineData(NonInviteClientState.Proceeding, NonInviteClientEvent.TransportError, NonInviteClientState.Terminated, NonInviteClientActions.ReportTransportError | NonInviteClientActions.CancelTimers)]
    [InlineData(NonInviteClientState.Completed, NonInviteClientEvent.Final, NonInviteClientState.Completed, NonInviteClientActions.None)]
    [InlineData(NonInviteClientState.Completed, NonInviteClientEvent.TimerK, NonInviteClientState.Terminated, NonInviteClientActions.None)]
    [InlineData(NonInviteClientState.Terminated, NonInviteClientEvent.Final, NonInviteClientState.Terminated, NonInviteClientActions.None)]
    public void StateTable_Rfc3261_17_1_2_2(NonInviteClientState from, NonInviteClientEvent e, NonInviteClientState to, NonInviteClientActions actions)
    {
        var (next, act) = NonInviteClientStateTable.Apply(from, e);
        Assert.Equal(to, next);
        Assert.Equal(actions, act);
    }

    [Fact]
    public void TimerE_DoublesUpToT2_InTrying_AndIsT2_InProceeding()
    {
        var t2 = TimeSpan.FromSeconds(4);
        var e = TimeSpan.FromMilliseconds(500);
        var seen = new List<double>();
        for (var i = 0; i < 5; i++) { e = NonInviteClientStateTable.NextTimerE(NonInviteClientState.Trying, e, t2); seen.Add(e.TotalMilliseconds); }
        Assert.Equal([1000, 2000, 4000, 4000, 4000], seen);
        Assert.Equal(t2, NonInviteClientStateTable.NextTimerE(NonInviteClientState.Proceeding, TimeSpan.FromMilliseconds(500), t2));
    }

    [Fact]
    public async Task Udp_RetransmitsOnTimerESchedule_ThenTimerFAt64T1_ReportsTimeout()
    {
        var time = new FakeTimeProvider();
        var sent = new List<TimeSpan>();
        var start = time.GetUtcNow();
        using var t = new NonInviteClientTransaction("z9hG4bKa", [1, 2, 3], SipClientTransport.Udp, _ => { sent.Add(time.GetUtcNow() - start); return true; }, time, Options);
        t.Start();
        for (var i = 0; i < 3300; i++) { time.Advance(TimeSpan.FromMilliseconds(10)); }
        // 0, then T1=0.5 s, +1, +2, +4, +4 … until Timer F (32 s).
        var expected = new[] { 0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5 }.Select(TimeSpan.FromSeconds).ToArray();
        Assert.Equal(expected, sent.ToArray());
        Assert.True(t.Result.IsCompleted);
        Assert.Equal(SipClientOutcome.Timeout, (await t.Result).Outcome);
        Assert.Equal(NonInviteClientState.Terminated, t.State);
    }

    [Fact]
    public async Task Tcp_NeverRetransmits_AndTimerFStillEndsIt()
    {
        var time = new FakeTimeProvider();
        var count = 0;
        using var t = new NonInviteClientTransaction("z9hG4bKb", [1], SipClientTransport.Tcp, _ => { count++; return true; }, time, Options);
        t.Start();
        time.Advance(TimeSpan.FromSeconds(31.9));
        Assert.False(t.Result.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(1, count);
        Assert.Equal(SipClientOutcome.Timeout, (await t.Result).Outcome);
    }

    [Fact]
    public async Task Provisional_MovesToProceeding_WhereRetransmissionsComeEveryT2()
    {
        var time = new FakeTimeProvider();
        var sent = new List<TimeSpan>();
        var start = time.GetUtcNow();
        using var t = new NonInviteClientTransaction("z9hG4bKc", [1], SipClientTransport.Udp, _ => { sent.Add(time.GetUtcNow() - start); return true; }, time, Options);
        t.Start();
        t.OnResponse(Response(100, "z9hG4bKc"));
        Assert.Equal(NonInviteClientState.Proceeding, t.State);
        for (var i = 0; i < 1000; i++) { time.Advance(TimeSpan.FromMilliseconds(10)); }
        Assert.Equal(new[] { 0, 0.5, 4.5, 8.5 }.Select(TimeSpan.FromSeconds), sent);
        t.OnResponse(Response(200, "z9hG4bKc"));
        Assert.Equal(200, (await t.Result).StatusCode);
    }

    [Fact]
    public async Task FinalOverUdp_StopsRetransmission_CompletedAbsorbsRepeats_UntilTimerK()
    {
        var time = new FakeTimeProvider();
        var count = 0;
        var terminated = 0;
        using var t = new NonInviteClientTransaction("z9hG4bKd", [1], SipClientTransport.Udp, _ => { count++; return true; }, time, Options, _ => terminated++);
        t.Start();
        t.OnResponse(Response(480, "z9hG4bKd"));
        t.OnResponse(Response(200, "z9hG4bKd"));
        Assert.Equal(480, (await t.Result).StatusCode);
        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Equal(NonInviteClientState.Completed, t.State);
        time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(NonInviteClientState.Terminated, t.State);
        Assert.Equal(1, count);
        Assert.Equal(1, terminated);
    }

    [Fact]
    public async Task FailedFirstSend_IsATransportError()
    {
        var time = new FakeTimeProvider();
        using var t = new NonInviteClientTransaction("z9hG4bKe", [1], SipClientTransport.Tcp, _ => false, time, Options);
        t.Start();
        Assert.Equal(SipClientOutcome.TransportError, (await t.Result).Outcome);
    }

    [Theory]
    [InlineData("sip:127.0.0.1:15070;transport=tcp", "127.0.0.1:15070", SipClientTransport.Tcp)]
    [InlineData("sip:127.0.0.1:15070", "127.0.0.1:15070", null)]
    [InlineData("sip:[::1]:5070;transport=UDP", "[::1]:5070", SipClientTransport.Udp)]
    public void OutboundProxy_Parses(string uri, string endpoint, SipClientTransport? transport)
    {
        Assert.True(SipProxyAddress.TryParse(uri, out var p));
        Assert.Equal(endpoint, p!.EndPoint.ToString());
        Assert.Equal(transport, p.Transport);
    }

    [Theory]
    [InlineData("")]
    [InlineData("http://127.0.0.1:5060")]
    [InlineData("sip:proxy.example.net:5060")]
    [InlineData("sip:127.0.0.1:5060;transport=sctp")]
    public void OutboundProxy_RefusesWhatItCannotUse(string uri) => Assert.False(SipProxyAddress.TryParse(uri, out _));

    internal static SipResponse Response(int code, string branch, string extra = "")
    {
        var text = $"SIP/2.0 {code} X\r\nVia: SIP/2.0/UDP 127.0.0.1:5999;branch={branch}\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\n{extra}Content-Length: 0\r\n\r\n";
        Assert.Equal(SipParseStatus.Complete, SipParser.TryParseDatagram(Encoding.ASCII.GetBytes(text), new SipParserOptions(), out var m, out _));
        return (SipResponse)m!;
    }
}

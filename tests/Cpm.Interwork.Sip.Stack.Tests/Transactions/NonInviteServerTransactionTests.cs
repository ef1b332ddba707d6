using System.Text;
using Cpm.Interwork.Sip.Stack.Transactions;
using Cpm.Interwork.Sip.Stack.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Cpm.Interwork.Sip.Stack.Tests.Transactions;

public sealed class NonInviteServerTransactionTests
{
    private static readonly byte[] s_trying = Encoding.ASCII.GetBytes("SIP/2.0 100 Trying\r\n\r\n");
    private static readonly byte[] s_final = Encoding.ASCII.GetBytes("SIP/2.0 480 Temporarily Unavailable\r\n\r\n");
    private static readonly byte[] s_otherFinal = Encoding.ASCII.GetBytes("SIP/2.0 200 OK\r\n\r\n");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly SipStackOptions _options = new();
    private readonly List<string> _sent = [];
    private readonly List<(string Method, int Status)> _counted = [];
    private readonly List<NonInviteServerTransaction> _terminated = [];

    private NonInviteServerTransaction Create(SipTransportKind transport)
    {
        var sink = new RecordingSink(transport, _sent);
        var transaction = new NonInviteServerTransaction(
            SipTransactionKey.ForRfc3261("z9hG4bK-1", "192.0.2.1:5060", "MESSAGE"),
            "MESSAGE",
            sink,
            () => s_trying,
            _options,
            _time,
            t => _terminated.Add(t),
            (m, s) => _counted.Add((m, s)),
            NullLogger.Instance);
        transaction.Start();
        return transaction;
    }

    [Fact]
    public void Rfc4320_UdpTryingDelay_IsTheTimeTimerEReachesT2_3500msWithDefaults()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(3500), _options.UdpTryingDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(700), new SipStackOptions { T1 = TimeSpan.FromMilliseconds(100), T2 = TimeSpan.FromMilliseconds(800) }.UdpTryingDelay);
    }

    [Fact]
    public async Task Rfc3261_17_2_2_RetransmissionInTrying_IsDiscarded()
    {
        using var tx = Create(SipTransportKind.Udp);
        await tx.OnRetransmissionAsync(CancellationToken.None);
        Assert.Empty(_sent);
        Assert.Equal(NonInviteServerState.Trying, tx.State);
    }

    [Fact]
    public async Task Rfc4320_NoTryingOverUdpBefore3500ms()
    {
        using var tx = Create(SipTransportKind.Udp);
        _time.Advance(TimeSpan.FromMilliseconds(3499));
        await tx.OnRetransmissionAsync(CancellationToken.None);
        Assert.Empty(_sent);
        Assert.Equal(NonInviteServerState.Trying, tx.State);
    }

    [Fact]
    public async Task Rfc4320_TryingOverUdpAt3500ms_WhenStillPending_AndRetransmissionsGetIt()
    {
        using var tx = Create(SipTransportKind.Udp);
        _time.Advance(TimeSpan.FromMilliseconds(3500));
        await WaitForAsync(() => _sent.Count == 1);
        Assert.Equal(["SIP/2.0 100 Trying\r\n\r\n"], _sent);
        Assert.Equal(NonInviteServerState.Proceeding, tx.State);

        await tx.OnRetransmissionAsync(CancellationToken.None);
        Assert.Equal(2, _sent.Count);
        Assert.Equal(_sent[0], _sent[1]);
        Assert.Equal([("MESSAGE", 100)], _counted);
    }

    [Fact]
    public async Task Rfc4320_NoTryingAtAll_WhenTheFinalAnswerComesFirst()
    {
        using var tx = Create(SipTransportKind.Udp);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await tx.SendFinalAsync(s_final, 480, CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal([Encoding.ASCII.GetString(s_final)], _sent);
    }

    [Fact]
    public async Task Tcp_NeverSendsTrying()
    {
        using var tx = Create(SipTransportKind.Tcp);
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Empty(_sent);
        Assert.Equal(NonInviteServerState.Trying, tx.State);
    }

    [Fact]
    public async Task Rfc3261_17_2_2_RetransmissionInCompleted_IsAnsweredWithTheLastResponse()
    {
        using var tx = Create(SipTransportKind.Udp);
        Assert.True(await tx.SendFinalAsync(s_final, 480, CancellationToken.None));
        Assert.Equal(NonInviteServerState.Completed, tx.State);
        await tx.OnRetransmissionAsync(CancellationToken.None);
        await tx.OnRetransmissionAsync(CancellationToken.None);
        Assert.Equal(3, _sent.Count);
        Assert.All(_sent, s => Assert.Equal(Encoding.ASCII.GetString(s_final), s));
        Assert.Equal([("MESSAGE", 480)], _counted);
    }

    [Fact]
    public async Task Rfc3261_17_2_2_SecondFinalFromTu_IsDiscarded()
    {
        using var tx = Create(SipTransportKind.Udp);
        Assert.True(await tx.SendFinalAsync(s_final, 480, CancellationToken.None));
        Assert.False(await tx.SendFinalAsync(s_otherFinal, 200, CancellationToken.None));
        await tx.OnRetransmissionAsync(CancellationToken.None);
        Assert.Equal([Encoding.ASCII.GetString(s_final), Encoding.ASCII.GetString(s_final)], _sent);
    }

    [Fact]
    public async Task TimerJ_OverUdp_Is64T1_ThenTheTransactionTerminates()
    {
        using var tx = Create(SipTransportKind.Udp);
        Assert.True(await tx.SendFinalAsync(s_final, 480, CancellationToken.None));
        _time.Advance(TimeSpan.FromMilliseconds((64 * 500) - 1));
        Assert.Equal(NonInviteServerState.Completed, tx.State);
        Assert.Empty(_terminated);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await WaitForAsync(() => _terminated.Count == 1);
        Assert.Equal(NonInviteServerState.Terminated, tx.State);

        await tx.OnRetransmissionAsync(CancellationToken.None);
        Assert.Single(_sent);
    }

    [Fact]
    public async Task TimerJ_OverTcp_IsZero_TheTransactionTerminatesWithTheFinalResponse()
    {
        using var tx = Create(SipTransportKind.Tcp);
        Assert.True(await tx.SendFinalAsync(s_final, 480, CancellationToken.None));
        Assert.Equal(NonInviteServerState.Terminated, tx.State);
        Assert.Single(_terminated);
    }

    [Fact]
    public async Task TransportErrorOnTheFinalResponse_TerminatesTheTransaction()
    {
        var sink = new RecordingSink(SipTransportKind.Udp, _sent) { Fail = true };
        using var tx = new NonInviteServerTransaction(
            SipTransactionKey.ForRfc3261("z9hG4bK-2", "192.0.2.1", "OPTIONS"), "OPTIONS", sink, () => s_trying, _options, _time,
            t => _terminated.Add(t), null, NullLogger.Instance);
        tx.Start();
        await tx.SendFinalAsync(s_final, 480, CancellationToken.None);
        Assert.Equal(NonInviteServerState.Terminated, tx.State);
        Assert.Single(_terminated);
        Assert.True(tx.Answered.IsCompleted);
    }

    [Theory]
    [InlineData(NonInviteServerState.Trying, NonInviteServerEvent.RequestRetransmitted, NonInviteServerState.Trying, NonInviteServerActions.None)]
    [InlineData(NonInviteServerState.Trying, NonInviteServerEvent.TryingTimerFired, NonInviteServerState.Proceeding, NonInviteServerActions.Send100Trying)]
    [InlineData(NonInviteServerState.Trying, NonInviteServerEvent.FinalFromTu, NonInviteServerState.Completed, NonInviteServerActions.SendFinal | NonInviteServerActions.StartTimerJ)]
    [InlineData(NonInviteServerState.Proceeding, NonInviteServerEvent.RequestRetransmitted, NonInviteServerState.Proceeding, NonInviteServerActions.ResendLastResponse)]
    [InlineData(NonInviteServerState.Proceeding, NonInviteServerEvent.FinalFromTu, NonInviteServerState.Completed, NonInviteServerActions.SendFinal | NonInviteServerActions.StartTimerJ)]
    [InlineData(NonInviteServerState.Completed, NonInviteServerEvent.RequestRetransmitted, NonInviteServerState.Completed, NonInviteServerActions.ResendLastResponse)]
    [InlineData(NonInviteServerState.Completed, NonInviteServerEvent.FinalFromTu, NonInviteServerState.Completed, NonInviteServerActions.None)]
    [InlineData(NonInviteServerState.Completed, NonInviteServerEvent.TryingTimerFired, NonInviteServerState.Completed, NonInviteServerActions.None)]
    [InlineData(NonInviteServerState.Completed, NonInviteServerEvent.TimerJFired, NonInviteServerState.Terminated, NonInviteServerActions.Remove)]
    [InlineData(NonInviteServerState.Proceeding, NonInviteServerEvent.TransportError, NonInviteServerState.Terminated, NonInviteServerActions.Remove)]
    [InlineData(NonInviteServerState.Terminated, NonInviteServerEvent.RequestRetransmitted, NonInviteServerState.Terminated, NonInviteServerActions.None)]
    public void StateTable_MatchesRfc3261Figure8WithRfc4320(NonInviteServerState from, NonInviteServerEvent @event, NonInviteServerState to, NonInviteServerActions actions)
    {
        Assert.Equal((to, actions), NonInviteServerStateTable.Transition(from, @event));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        // Timer callbacks of FakeTimeProvider run synchronously, but the transaction's async gate may hand the
        // work to the thread pool; poll briefly instead of sleeping a fixed time.
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(5);
        }

        Assert.True(condition());
    }

    private sealed class RecordingSink(SipTransportKind transport, List<string> sent) : ISipResponseSink
    {
        public bool Fail { get; init; }

        public SipTransportKind Transport => transport;

        public ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                return ValueTask.FromResult(false);
            }

            lock (sent)
            {
                sent.Add(Encoding.ASCII.GetString(message.Span));
            }

            return ValueTask.FromResult(true);
        }
    }
}

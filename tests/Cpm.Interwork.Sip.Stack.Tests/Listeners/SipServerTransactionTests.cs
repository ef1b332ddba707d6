using System.Text;
using Cpm.Interwork.Sip.Stack.Tests.Support;
using static Cpm.Interwork.Sip.Stack.Tests.Support.SipTestMessages;

namespace Cpm.Interwork.Sip.Stack.Tests.Listeners;

/// <summary>Transactions end to end through the UDP listener in real time, with short timers (T1 100 ms, T2 800 ms).</summary>
public sealed class SipServerTransactionTests
{
    private static readonly SipStackOptions s_fast = new() { T1 = TimeSpan.FromMilliseconds(100), T2 = TimeSpan.FromMilliseconds(800) };

    [Fact]
    public async Task SlowHandler_SeesOneRequest_RetransmissionsGet100TryingAfterTimerEReachesT2_ThenTheFinal()
    {
        var handler = new CountingHandler(TimeSpan.FromMilliseconds(3000), SipFinalAnswer.Ok());
        await using var harness = await SipServerHarness.StartAsync(handler, s_fast);
        using var udp = new UdpSipClient();
        var request = Request("MESSAGE", "UDP", udp.Port, "z9hG4bK-slow", body: "hello");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await udp.SendAsync(request, harness.UdpEndPoint);
        await Task.Delay(300);
        await udp.SendAsync(request, harness.UdpEndPoint);

        // The retransmission in Trying is discarded; the first thing back is the 100 Trying, and not before
        // 700 ms (T1+2T1+4T1 with T1 = 100 ms, T2 = 800 ms).
        var trying = await udp.ReceiveAsync(TimeSpan.FromSeconds(3));
        Assert.Equal("SIP/2.0 100 Trying", StatusLineOf(trying!));
        // The OS timer runs on a millisecond-rounded coarse clock, so it may fire a fraction of a millisecond before
        // the stopwatch says 700; the exact boundary is pinned on the fake clock in NonInviteServerTransactionTests.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(695), $"100 Trying after {clock.Elapsed.TotalMilliseconds} ms");
        await udp.SendAsync(request, harness.UdpEndPoint);
        Assert.Equal("SIP/2.0 100 Trying", StatusLineOf((await udp.ReceiveAsync(TimeSpan.FromSeconds(2)))!));

        var final = await udp.ReceiveAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("SIP/2.0 200 OK", StatusLineOf(final!));
        await udp.SendAsync(request, harness.UdpEndPoint);
        Assert.Equal(final, await udp.ReceiveAsync(TimeSpan.FromSeconds(2)));
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task FastHandler_NoTryingIsEverSent()
    {
        var handler = new CountingHandler(TimeSpan.FromMilliseconds(200), SipFinalAnswer.Ok());
        await using var harness = await SipServerHarness.StartAsync(handler, s_fast);
        using var udp = new UdpSipClient();
        await udp.SendAsync(Request("MESSAGE", "UDP", udp.Port, "z9hG4bK-fast", body: "hello"), harness.UdpEndPoint);
        Assert.Equal(200, StatusOf((await udp.ReceiveAsync(TimeSpan.FromSeconds(3)))!));
        Assert.Null(await udp.ReceiveAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Rfc2543Client_WithoutMagicCookie_RetransmissionIsMatchedByTheFallbackKey()
    {
        var handler = new CountingHandler(TimeSpan.FromMilliseconds(300), SipFinalAnswer.Ok());
        await using var harness = await SipServerHarness.StartAsync(handler, s_fast);
        using var udp = new UdpSipClient();
        var request = Request("MESSAGE", "UDP", udp.Port, "old-style-1", body: "hello");
        await udp.SendAsync(request, harness.UdpEndPoint);
        await udp.SendAsync(request, harness.UdpEndPoint);
        Assert.Equal(200, StatusOf((await udp.ReceiveAsync(TimeSpan.FromSeconds(3)))!));
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task HandlerTooSlow_IsAnswered504_Never408_Rfc4320()
    {
        var handler = new CountingHandler(TimeSpan.FromSeconds(30), SipFinalAnswer.Ok());
        await using var harness = await SipServerHarness.StartAsync(handler, new SipStackOptions { MessageHandlerTimeout = TimeSpan.FromMilliseconds(300) });
        using var tcp = new TcpSipClient();
        await tcp.ConnectAsync(harness.TcpEndPoint!);
        await tcp.SendAsync(Request("MESSAGE", "TCP", tcp.Port, "z9hG4bK-504", body: "hello"));
        Assert.Equal(504, StatusOf((await tcp.ReceiveAsync(TimeSpan.FromSeconds(3)))!));
    }

    [Fact]
    public async Task Shutdown_WaitsForInFlightTransactions_WhichGetTheirRealAnswer()
    {
        var handler = new CountingHandler(TimeSpan.FromMilliseconds(800), new SipFinalAnswer(202, "Accepted"));
        var harness = await SipServerHarness.StartAsync(handler, new SipStackOptions { ShutdownDrainTimeout = TimeSpan.FromSeconds(5) });
        using var udp = new UdpSipClient();
        await udp.SendAsync(Request("MESSAGE", "UDP", udp.Port, "z9hG4bK-drain", body: "hello"), harness.UdpEndPoint);
        await WaitForAsync(() => handler.Calls == 1);

        var stop = harness.Server.StopAsync(CancellationToken.None);
        Assert.False(harness.Server.IsReady);
        Assert.Equal(202, StatusOf((await udp.ReceiveAsync(TimeSpan.FromSeconds(3)))!));
        await stop;
    }

    [Fact]
    public async Task Shutdown_AfterTheDrainTime_RemainingTransactionsGet503WithRetryAfter()
    {
        var handler = new CountingHandler(TimeSpan.FromSeconds(30), SipFinalAnswer.Ok());
        var harness = await SipServerHarness.StartAsync(handler, new SipStackOptions { ShutdownDrainTimeout = TimeSpan.FromMilliseconds(300), RetryAfterSeconds = 17 });
        using var tcp = new TcpSipClient();
        await tcp.ConnectAsync(harness.TcpEndPoint!);
        await tcp.SendAsync(Request("MESSAGE", "TCP", tcp.Port, "z9hG4bK-abandon", body: "hello"));
        await WaitForAsync(() => handler.Calls == 1);

        var stop = harness.Server.StopAsync(CancellationToken.None);
        var response = await tcp.ReceiveAsync(TimeSpan.FromSeconds(3));
        Assert.Equal(503, StatusOf(response!));
        Assert.Equal("17", HeaderOf(response!, "Retry-After"));
        await stop;
    }

    [Fact]
    public async Task TransactionTableFull_NewRequestsGet503()
    {
        var handler = new CountingHandler(TimeSpan.FromSeconds(5), SipFinalAnswer.Ok());
        await using var harness = await SipServerHarness.StartAsync(handler, new SipStackOptions { MaxTransactions = 1 });
        using var udp = new UdpSipClient();
        await udp.SendAsync(Request("MESSAGE", "UDP", udp.Port, "z9hG4bK-full1", body: "a"), harness.UdpEndPoint);
        await udp.SendAsync(Request("MESSAGE", "UDP", udp.Port, "z9hG4bK-full2", body: "b", callId: "call-2@test"), harness.UdpEndPoint);
        var response = await udp.ReceiveAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(503, StatusOf(response!));
        Assert.Equal("call-2@test", HeaderOf(response!, "Call-ID"));
        Assert.Equal(1, handler.Calls);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}

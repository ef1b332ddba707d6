using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Cpm.Interwork.Sip.Stack.Tests.Support;
using Cpm.Interwork.Sip.Stack.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using static Cpm.Interwork.Sip.Stack.Tests.Support.SipTestMessages;

namespace Cpm.Interwork.Sip.Stack.Tests.Listeners;

/// <summary>Connection limits, idle timeout, bind errors and the metrics of the server.</summary>
public sealed class SipServerLimitsTests
{
    [Fact]
    public async Task TcpConnectionsBeyondTheLimit_AreClosedAtAccept()
    {
        await using var harness = await SipServerHarness.StartAsync(options: new SipStackOptions { MaxTcpConnections = 1 });
        using var first = new TcpSipClient();
        await first.ConnectAsync(harness.TcpEndPoint!);
        await first.SendAsync(Request("OPTIONS", "TCP", first.Port, "z9hG4bK-c1"));
        Assert.Equal(200, StatusOf((await first.ReceiveAsync(TimeSpan.FromSeconds(3)))!));

        using var second = new TcpSipClient();
        await second.ConnectAsync(harness.TcpEndPoint!);
        Assert.Equal(string.Empty, await second.ReceiveAsync(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task IdleTcpConnection_IsClosedAfterTheIdleTimeout()
    {
        await using var harness = await SipServerHarness.StartAsync(options: new SipStackOptions { TcpIdleTimeout = TimeSpan.FromMilliseconds(300) });
        using var client = new TcpSipClient();
        await client.ConnectAsync(harness.TcpEndPoint!);
        Assert.Equal(string.Empty, await client.ReceiveAsync(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task HalfAMessageThenSilence_IsClosedByTheIdleTimeout_AndMemoryStaysBounded()
    {
        await using var harness = await SipServerHarness.StartAsync(options: new SipStackOptions { TcpIdleTimeout = TimeSpan.FromMilliseconds(300) });
        using var client = new TcpSipClient();
        await client.ConnectAsync(harness.TcpEndPoint!);
        var request = Request("MESSAGE", "TCP", client.Port, "z9hG4bK-half", body: "hello");
        await client.SendAsync(request[..(request.Length / 2)]);
        Assert.Equal(string.Empty, await client.ReceiveAsync(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task ListenerOnABusyPort_FailsToStartWithBindException()
    {
        using var blocker = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)blocker.Client.LocalEndPoint!).Port;
        var options = new SipStackOptions { Listen = [new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, port))] };
        await using var server = new SipServer(options, new UnavailableMessageHandler(), TimeProvider.System, NullLoggerFactory.Instance);
        var error = await Assert.ThrowsAsync<SipListenerBindException>(() => server.StartAsync(CancellationToken.None));
        Assert.StartsWith($"cannot bind udp:127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.False(server.IsReady);
    }

    [Fact]
    public async Task Metrics_CountRequestsByMethod_AndResponsesByClass_RetransmissionsExcluded()
    {
        using var meter = new Meter(SipMetrics.MeterName);
        var requests = new List<(long, string)>();
        var responses = new List<(string, string)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var t = tags.ToArray().ToDictionary(k => k.Key, k => k.Value?.ToString());
            lock (requests)
            {
                if (instrument.Name == "cpm_interwork.sip.requests")
                {
                    requests.Add((value, t["sip.method"]!));
                }
                else if (instrument.Name == "cpm_interwork.sip.responses")
                {
                    responses.Add((t["sip.method"]!, t["sip.status_class"]!));
                }
            }
        });
        listener.Start();

        var options = new SipStackOptions { Listen = [new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 0))] };
        await using var server = new SipServer(options, new UnavailableMessageHandler(), TimeProvider.System, NullLoggerFactory.Instance, new SipMetrics(meter));
        await server.StartAsync(CancellationToken.None);
        using var udp = new UdpSipClient();
        var target = server.BoundEndpoints[0].EndPoint;
        var message = Request("MESSAGE", "UDP", udp.Port, "z9hG4bK-m1", body: "x");
        await udp.SendAsync(message, target);
        Assert.Equal(480, StatusOf((await udp.ReceiveAsync(TimeSpan.FromSeconds(3)))!));
        await udp.SendAsync(message, target);
        Assert.Equal(480, StatusOf((await udp.ReceiveAsync(TimeSpan.FromSeconds(3)))!));
        await udp.SendAsync(Request("OPTIONS", "UDP", udp.Port, "z9hG4bK-o1"), target);
        Assert.Equal(200, StatusOf((await udp.ReceiveAsync(TimeSpan.FromSeconds(3)))!));

        // A response is counted once the send completed, which may be just after the client read it.
        for (var i = 0; i < 200; i++)
        {
            lock (requests)
            {
                if (responses.Count >= 2)
                {
                    break;
                }
            }

            await Task.Delay(10);
        }

        lock (requests)
        {
            Assert.Equal([(1L, "MESSAGE"), (1L, "OPTIONS")], requests);
            Assert.Equal([("MESSAGE", "4xx"), ("OPTIONS", "2xx")], responses);
        }
    }
}

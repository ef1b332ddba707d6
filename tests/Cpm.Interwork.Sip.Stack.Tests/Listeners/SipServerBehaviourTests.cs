using System.Net;
using System.Text;
using Cpm.Interwork.Sip.Stack.Tests.Support;
using static Cpm.Interwork.Sip.Stack.Tests.Support.SipTestMessages;

namespace Cpm.Interwork.Sip.Stack.Tests.Listeners;

/// <summary>What the gateway answers (RFC 3261 §8.2), over UDP and over TCP, against an in-process server.</summary>
public sealed class SipServerBehaviourTests : IAsyncLifetime
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(5);
    private SipServerHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SipServerHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task<string> ExchangeAsync(string transport, Func<int, byte[]> request)
    {
        if (transport == "UDP")
        {
            using var udp = new UdpSipClient();
            await udp.SendAsync(request(udp.Port), _harness.UdpEndPoint);
            return await udp.ReceiveAsync(s_wait) ?? throw new TimeoutException("no UDP response");
        }

        using var tcp = new TcpSipClient();
        await tcp.ConnectAsync(_harness.TcpEndPoint!);
        await tcp.SendAsync(request(tcp.Port));
        var response = await tcp.ReceiveAsync(s_wait);
        Assert.False(string.IsNullOrEmpty(response), "no TCP response");
        return response!;
    }

    [Theory]
    [InlineData("UDP")]
    [InlineData("TCP")]
    public async Task Options_Is200_WithAllowAcceptSupported(string transport)
    {
        var response = await ExchangeAsync(transport, port => Request("OPTIONS", transport, port, "z9hG4bK-opt-" + transport));
        Assert.Equal("SIP/2.0 200 OK", StatusLineOf(response));
        Assert.Equal("MESSAGE, OPTIONS, ACK, CANCEL", HeaderOf(response, "Allow"));
        Assert.Equal("message/cpim, text/plain, message/imdn+xml", HeaderOf(response, "Accept"));
        Assert.NotNull(HeaderOf(response, "Supported"));
        Assert.Contains(";tag=", HeaderOf(response, "To"), StringComparison.Ordinal);
        Assert.Equal("call-1@test", HeaderOf(response, "Call-ID"));
        Assert.Equal("1 OPTIONS", HeaderOf(response, "CSeq"));
    }

    [Theory]
    [InlineData("UDP")]
    [InlineData("TCP")]
    public async Task Message_WithTheDefaultHandler_Is480WithAnHonestReason(string transport)
    {
        var response = await ExchangeAsync(transport, port => Request("MESSAGE", transport, port, "z9hG4bK-msg-" + transport, body: "hello"));
        Assert.Equal("SIP/2.0 480 Temporarily Unavailable (CPM-MMS interworking not yet available)", StatusLineOf(response));
    }

    [Theory]
    [InlineData("UDP", "SUBSCRIBE")]
    [InlineData("TCP", "INVITE")]
    [InlineData("UDP", "REGISTER")]
    [InlineData("UDP", "FOO")]
    public async Task OtherMethods_Are405_WithAllow(string transport, string method)
    {
        var response = await ExchangeAsync(transport, port => Request(method, transport, port, $"z9hG4bK-405-{method}"));
        Assert.Equal(405, StatusOf(response));
        Assert.Equal("MESSAGE, OPTIONS, ACK, CANCEL", HeaderOf(response, "Allow"));
    }

    [Theory]
    [InlineData("UDP")]
    [InlineData("TCP")]
    public async Task MaxForwardsZero_Is483(string transport)
    {
        var response = await ExchangeAsync(transport, port => Request("MESSAGE", transport, port, "z9hG4bK-mf0-" + transport, body: "x", maxForwards: "0"));
        Assert.Equal("SIP/2.0 483 Too Many Hops", StatusLineOf(response));
    }

    [Fact]
    public async Task OptionsWithMaxForwardsZero_IsAnsweredByTheGatewayItself_Rfc3261_16_3()
    {
        var response = await ExchangeAsync("UDP", port => Request("OPTIONS", "UDP", port, "z9hG4bK-mf0-opt", maxForwards: "0"));
        Assert.Equal(200, StatusOf(response));
    }

    [Theory]
    [InlineData("UDP")]
    [InlineData("TCP")]
    public async Task UnsupportedRequire_Is420_WithUnsupported_Rfc3261_8_2_2_3(string transport)
    {
        var response = await ExchangeAsync(transport, port => Request("MESSAGE", transport, port, "z9hG4bK-req-" + transport, "Require: foo, 100rel\r\n", "x"));
        Assert.Equal(420, StatusOf(response));
        Assert.Equal("foo, 100rel", HeaderOf(response, "Unsupported"));
    }

    [Fact]
    public async Task Require_OnlyTheUnsupportedTagsAreListed_ASupportedTagPasses_Rfc3261_8_2_2_3()
    {
        await using var server = await SipServerHarness.StartAsync(options: new SipStackOptions { SupportedOptionTags = ["recipient-list-message"] });
        using (var udp = new UdpSipClient())
        {
            await udp.SendAsync(Request("MESSAGE", "UDP", udp.Port, "z9hG4bK-req-ok", "Require: recipient-list-message\r\n", "x"), server.UdpEndPoint);
            var response = await udp.ReceiveAsync(s_wait) ?? throw new TimeoutException("no UDP response");
            Assert.NotEqual(420, StatusOf(response));
        }

        using (var udp = new UdpSipClient())
        {
            await udp.SendAsync(Request("MESSAGE", "UDP", udp.Port, "z9hG4bK-req-mixed", "Require: recipient-list-message, foo\r\n", "x"), server.UdpEndPoint);
            var response = await udp.ReceiveAsync(s_wait) ?? throw new TimeoutException("no UDP response");
            Assert.Equal(420, StatusOf(response));
            Assert.Equal("foo", HeaderOf(response, "Unsupported"));
        }

        using (var udp = new UdpSipClient())
        {
            await udp.SendAsync(Request("OPTIONS", "UDP", udp.Port, "z9hG4bK-opt-sup"), server.UdpEndPoint);
            var response = await udp.ReceiveAsync(s_wait) ?? throw new TimeoutException("no UDP response");
            Assert.Equal("recipient-list-message", HeaderOf(response, "Supported"));
        }
    }

    [Fact]
    public async Task MessageWithAnUnacceptedContentType_Is415_WithAccept()
    {
        var response = await ExchangeAsync("UDP", port => Request("MESSAGE", "UDP", port, "z9hG4bK-415", body: "<x/>", contentType: "application/xml"));
        Assert.Equal(415, StatusOf(response));
        Assert.Equal("message/cpim, text/plain, message/imdn+xml", HeaderOf(response, "Accept"));
    }

    [Theory]
    [InlineData("UDP")]
    [InlineData("TCP")]
    public async Task MissingCallId_Is400NamingIt(string transport)
    {
        var response = await ExchangeAsync(transport, port =>
        {
            var text = Encoding.UTF8.GetString(Request("MESSAGE", transport, port, "z9hG4bK-nocid-" + transport, body: "x"));
            return Encoding.UTF8.GetBytes(text.Replace("Call-ID: call-1@test\r\n", string.Empty, StringComparison.Ordinal));
        });
        Assert.Equal(400, StatusOf(response));
        Assert.Contains("Call-ID", StatusLineOf(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedCSeq_Is400NamingTheFault()
    {
        var response = await ExchangeAsync("UDP", port =>
        {
            var text = Encoding.UTF8.GetString(Request("OPTIONS", "UDP", port, "z9hG4bK-badcseq"));
            return Encoding.UTF8.GetBytes(text.Replace("CSeq: 1 OPTIONS", "CSeq: one OPTIONS", StringComparison.Ordinal));
        });
        Assert.Equal(400, StatusOf(response));
        Assert.Contains("CSeq", StatusLineOf(response), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UDP")]
    [InlineData("TCP")]
    public async Task BodyOverTheLimit_Is413(string transport)
    {
        await using var small = await SipServerHarness.StartAsync(options: new SipStackOptions { MaxBodyBytes = 1024 });
        var request = (int port) => Request("MESSAGE", transport, port, "z9hG4bK-413-" + transport, body: new string('a', 1025));
        string? response;
        if (transport == "UDP")
        {
            using var udp = new UdpSipClient();
            await udp.SendAsync(request(udp.Port), small.UdpEndPoint);
            response = await udp.ReceiveAsync(s_wait);
        }
        else
        {
            using var tcp = new TcpSipClient();
            await tcp.ConnectAsync(small.TcpEndPoint!);
            await tcp.SendAsync(request(tcp.Port));
            response = await tcp.ReceiveAsync(s_wait);
        }

        Assert.Equal(413, StatusOf(response!));
    }

    [Fact]
    public async Task HeaderBlockOverTheLimit_Is513()
    {
        var padding = "X-Padding: " + new string('p', 3000) + "\r\n";
        var response = await ExchangeAsync("UDP", port => Request("OPTIONS", "UDP", port, "z9hG4bK-513", string.Concat(Enumerable.Repeat(padding, 7))));
        Assert.Equal(513, StatusOf(response));
    }

    [Theory]
    [InlineData("UDP")]
    [InlineData("TCP")]
    public async Task CancelForAnUnknownTransaction_Is481(string transport)
    {
        var response = await ExchangeAsync(transport, port => Request("CANCEL", transport, port, "z9hG4bK-cancel-" + transport));
        Assert.Equal(481, StatusOf(response));
    }

    [Fact]
    public async Task Ack_IsAbsorbedSilently()
    {
        using var udp = new UdpSipClient();
        await udp.SendAsync(Request("ACK", "UDP", udp.Port, "z9hG4bK-ack"), _harness.UdpEndPoint);
        Assert.Null(await udp.ReceiveAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task GarbageWithoutVia_IsDropped_AndTheListenerKeepsAnswering()
    {
        using var udp = new UdpSipClient();
        await udp.SendAsync(Encoding.ASCII.GetBytes("HELLO WORLD\r\n\r\n"), _harness.UdpEndPoint);
        await udp.SendAsync(new byte[] { 0, 1, 2, 0xff, 0xfe }, _harness.UdpEndPoint);
        await udp.SendAsync(Encoding.ASCII.GetBytes("MESSAGE sip:a@b SIP/2.0\r\nVia: garbage\r\n\r\n"), _harness.UdpEndPoint);
        Assert.Null(await udp.ReceiveAsync(TimeSpan.FromMilliseconds(500)));

        await udp.SendAsync(Request("OPTIONS", "UDP", udp.Port, "z9hG4bK-after-garbage"), _harness.UdpEndPoint);
        Assert.Equal(200, StatusOf(await udp.ReceiveAsync(s_wait) ?? throw new TimeoutException()));
    }

    [Fact]
    public async Task MalformedStreamGetsItsAnswerAndTheConnectionCloses_OtherConnectionsGoOn()
    {
        using var bad = new TcpSipClient();
        await bad.ConnectAsync(_harness.TcpEndPoint!);
        var text = Encoding.UTF8.GetString(Request("MESSAGE", "TCP", bad.Port, "z9hG4bK-tcpbad", body: "x"));
        await bad.SendAsync(Encoding.UTF8.GetBytes(text.Replace("Content-Length: 1", "Content-Length: x", StringComparison.Ordinal)));
        var response = await bad.ReceiveAsync(s_wait);
        Assert.Equal(400, StatusOf(response!));
        Assert.Contains("Content-Length", StatusLineOf(response!), StringComparison.Ordinal);
        Assert.Equal(string.Empty, await bad.ReceiveAsync(s_wait));

        var good = await ExchangeAsync("TCP", port => Request("OPTIONS", "TCP", port, "z9hG4bK-tcpgood"));
        Assert.Equal(200, StatusOf(good));
    }

    [Fact]
    public async Task TcpCarriesSeveralRequestsOnOneConnection_SplitAnywhere()
    {
        using var tcp = new TcpSipClient();
        await tcp.ConnectAsync(_harness.TcpEndPoint!);
        var both = Request("OPTIONS", "TCP", tcp.Port, "z9hG4bK-pipe1").Concat(Request("MESSAGE", "TCP", tcp.Port, "z9hG4bK-pipe2", body: "hi", callId: "call-2@test")).ToArray();
        foreach (var chunk in both.Chunk(7))
        {
            await tcp.SendAsync(chunk);
        }

        var first = await tcp.ReceiveAsync(s_wait);
        var second = await tcp.ReceiveAsync(s_wait);
        Assert.Equal(200, StatusOf(first!));
        Assert.Equal(480, StatusOf(second!));
        Assert.Equal("call-2@test", HeaderOf(second!, "Call-ID"));
    }

    [Fact]
    public async Task Rfc3581_ResponseGoesToTheSourcePort_WithReceivedAndRport()
    {
        using var udp = new UdpSipClient();
        // The Via claims port 5999 and another host; rport makes the answer come back to the real source.
        var request = Request("OPTIONS", "UDP", udp.Port, "z9hG4bK-rport", via: "SIP/2.0/UDP 192.0.2.7:5999;branch=z9hG4bK-rport;rport");
        await udp.SendAsync(request, _harness.UdpEndPoint);
        var response = await udp.ReceiveAsync(s_wait);
        Assert.NotNull(response);
        Assert.Equal($"SIP/2.0/UDP 192.0.2.7:5999;branch=z9hG4bK-rport;rport={udp.Port};received=127.0.0.1", HeaderOf(response!, "Via"));
    }

    [Fact]
    public async Task Rfc3261_18_2_2_WithoutRport_TheResponseGoesToTheSentByPortAtTheSourceAddress()
    {
        using var receiver = new UdpSipClient();
        using var sender = new UdpSipClient();
        var request = Request("OPTIONS", "UDP", sender.Port, "z9hG4bK-sentby", via: $"SIP/2.0/UDP 127.0.0.1:{receiver.Port};branch=z9hG4bK-sentby");
        await sender.SendAsync(request, _harness.UdpEndPoint);
        var response = await receiver.ReceiveAsync(s_wait);
        Assert.NotNull(response);
        Assert.Equal($"SIP/2.0/UDP 127.0.0.1:{receiver.Port};branch=z9hG4bK-sentby", HeaderOf(response!, "Via"));
        Assert.Null(await sender.ReceiveAsync(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task Ipv6Listener_AnswersOptions_Rfc5118()
    {
        await using var v6 = await SipServerHarness.StartAsync(address: IPAddress.IPv6Loopback);
        using var udp = new UdpSipClient(System.Net.Sockets.AddressFamily.InterNetworkV6);
        await udp.SendAsync(Request("OPTIONS", "UDP", udp.Port, "z9hG4bK-v6", via: $"SIP/2.0/UDP [::1]:{udp.Port};branch=z9hG4bK-v6;rport"), v6.UdpEndPoint);
        var response = await udp.ReceiveAsync(s_wait);
        Assert.NotNull(response);
        Assert.Equal(200, StatusOf(response!));
        Assert.Equal($"SIP/2.0/UDP [::1]:{udp.Port};branch=z9hG4bK-v6;rport={udp.Port};received=::1", HeaderOf(response!, "Via"));
    }
}

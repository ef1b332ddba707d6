using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Cpm.Interwork.Sip.Stack.Client;

namespace Cpm.Interwork.Sip.Stack.Tests;

/// <summary>SipClient on loopback against a minimal proxy socket: the size rule (RFC 3261 §18.1.1), branch matching (§17.1.3), Retry-After.</summary>
public sealed partial class ClientSocketTests
{
    [GeneratedRegex("branch=([^;\\r\\n]+)")]
    private static partial Regex Branch();

    private static SipClientRequest Request(int bodyBytes) => new(via =>
        Encoding.UTF8.GetBytes("MESSAGE sip:+15550100002@ims.example.net SIP/2.0\r\nVia: " + via + "\r\nMax-Forwards: 70\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: x1\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: " + bodyBytes + "\r\n\r\n" + new string('x', bodyBytes)));

    private static string Answer(string request, int code, string extra = "", string? branch = null)
    {
        var via = Regex.Match(request, "Via: ([^\r\n]+)").Groups[1].Value;
        if (branch is not null) { via = Branch().Replace(via, "branch=" + branch); }
        return $"SIP/2.0 {code} Reason\r\nVia: {via}\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=9\r\nCall-ID: x1\r\nCSeq: 1 MESSAGE\r\n{extra}Content-Length: 0\r\n\r\n";
    }

    [Fact]
    public async Task SmallRequest_GoesOverUdp_StrayBranchIgnored_MatchingBranchCompletes_RetryAfterRead()
    {
        using var proxy = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        proxy.Bind(new IPEndPoint(IPAddress.Loopback, 15180));
        await using var client = new SipClient(new SipClientOptions { OutboundProxy = "sip:127.0.0.1:15180", T1 = TimeSpan.FromMilliseconds(200) }, TimeProvider.System);
        var send = client.SendAsync(Request(10), CancellationToken.None);
        var buffer = new byte[65536];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        var n = proxy.ReceiveFrom(buffer, ref from);
        var request = Encoding.UTF8.GetString(buffer, 0, n);
        Assert.Contains("SIP/2.0/UDP 127.0.0.1:", request, StringComparison.Ordinal);
        proxy.SendTo(Encoding.ASCII.GetBytes(Answer(request, 200, branch: "z9hG4bKother")), from);
        await Task.Delay(100);
        Assert.False(send.IsCompleted);
        proxy.SendTo(Encoding.ASCII.GetBytes(Answer(request, 503, "Retry-After: 120\r\n")), from);
        var result = await send.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(SipClientOutcome.Response, result.Outcome);
        Assert.Equal(503, result.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), result.RetryAfter);
        Assert.Equal(SipClientTransport.Udp, result.Transport);
    }

    [Fact]
    public async Task RequestAtTheMtuLimit_GoesOverTcp_WithoutRetransmission()
    {
        var listener = new TcpListener(IPAddress.Loopback, 15181);
        listener.Start();
        try
        {
            await using var client = new SipClient(new SipClientOptions { OutboundProxy = "sip:127.0.0.1:15181", UdpMaxBytes = 1300, T1 = TimeSpan.FromMilliseconds(50) }, TimeProvider.System);
            var send = client.SendAsync(Request(1400), CancellationToken.None);
            using var conn = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(5));
            var stream = conn.GetStream();
            var sb = new StringBuilder();
            var buffer = new byte[8192];
            while (!sb.ToString().EndsWith(new string('x', 1400), StringComparison.Ordinal))
            {
                var n = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
                Assert.True(n > 0);
                sb.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }

            var request = sb.ToString();
            Assert.Contains("SIP/2.0/TCP 127.0.0.1:", request, StringComparison.Ordinal);
            await Task.Delay(300); // more than 4·T1: UDP would have retransmitted by now
            Assert.Equal(0, conn.Available);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(Answer(request, 200)));
            var result = await send.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(200, result.StatusCode);
            Assert.Equal(SipClientTransport.Tcp, result.Transport);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task NoProxyListening_OnTcp_IsATransportError()
    {
        await using var client = new SipClient(new SipClientOptions { OutboundProxy = "sip:127.0.0.1:15182", ForceTcp = true }, TimeProvider.System);
        var result = await client.SendAsync(Request(10), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(SipClientOutcome.TransportError, result.Outcome);
    }

    [Fact]
    public async Task NoAnswerOverUdp_EndsWithTimerF()
    {
        using var proxy = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        proxy.Bind(new IPEndPoint(IPAddress.Loopback, 15183));
        await using var client = new SipClient(new SipClientOptions { OutboundProxy = "sip:127.0.0.1:15183", T1 = TimeSpan.FromMilliseconds(10), T2 = TimeSpan.FromMilliseconds(40) }, TimeProvider.System);
        var result = await client.SendAsync(Request(10), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(SipClientOutcome.Timeout, result.Outcome);
        var received = 0;
        while (proxy.Available > 0) { proxy.Receive(new byte[65536]); received++; }
        Assert.True(received >= 5, "retransmissions seen: " + received);
        Assert.Equal(0, client.ActiveTransactions);
    }
}

using System.Net.Sockets;
using System.Text;
using Cpm.Interwork.Sip.Stack.Tests.Support;
using static Cpm.Interwork.Sip.Stack.Tests.Support.SipTestMessages;

namespace Cpm.Interwork.Sip.Stack.Tests.Listeners;

/// <summary>Malformed input never crashes or stalls a listener: mutated requests by the hundred, then a normal OPTIONS.</summary>
public sealed class SipServerRobustnessTests
{
    [Fact]
    public async Task MutatedDatagrams_NeverStopTheUdpListener()
    {
        await using var harness = await SipServerHarness.StartAsync();
        using var udp = new UdpSipClient();
        var random = new Random(4475);
        var seed = Request("MESSAGE", "UDP", udp.Port, "z9hG4bK-fuzz", body: "hello");
        for (var i = 0; i < 400; i++)
        {
            var mutated = (byte[])seed.Clone();
            for (var k = random.Next(1, 8); k > 0; k--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            await udp.SendAsync(mutated[..random.Next(1, mutated.Length + 1)], harness.UdpEndPoint);
        }

        // Drain whatever answers came, then the listener must still answer promptly.
        while (await udp.ReceiveAsync(TimeSpan.FromMilliseconds(300)) is not null)
        {
        }

        await udp.SendAsync(Request("OPTIONS", "UDP", udp.Port, "z9hG4bK-after-fuzz"), harness.UdpEndPoint);
        string? answer;
        do
        {
            answer = await udp.ReceiveAsync(TimeSpan.FromSeconds(5));
        }
        while (answer is not null && HeaderOf(answer, "CSeq") != "1 OPTIONS");

        Assert.Equal(200, StatusOf(answer!));
    }

    [Fact]
    public async Task GarbageStreams_CloseTheirConnectionOnly()
    {
        await using var harness = await SipServerHarness.StartAsync();
        var random = new Random(3261);
        for (var i = 0; i < 20; i++)
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(harness.TcpEndPoint!);
            var garbage = new byte[random.Next(1, 4000)];
            random.NextBytes(garbage);
            try
            {
                await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes("MESSAGE sip:a@b SIP/2.0\r\n").Concat(garbage).ToArray());
            }
            catch (IOException)
            {
                // The server may already have closed the connection: that is the expected outcome.
            }
        }

        using var good = new TcpSipClient();
        await good.ConnectAsync(harness.TcpEndPoint!);
        await good.SendAsync(Request("OPTIONS", "TCP", good.Port, "z9hG4bK-after-garbage"));
        Assert.Equal(200, StatusOf((await good.ReceiveAsync(TimeSpan.FromSeconds(5)))!));
    }

    [Fact]
    public async Task MalformedHeaderLine_Is400NamingTheFault()
    {
        await using var harness = await SipServerHarness.StartAsync();
        using var udp = new UdpSipClient();
        var text = Encoding.UTF8.GetString(Request("OPTIONS", "UDP", udp.Port, "z9hG4bK-badline"));
        await udp.SendAsync(Encoding.UTF8.GetBytes(text.Replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nthis line has no colon\r\n", StringComparison.Ordinal)), harness.UdpEndPoint);
        var response = await udp.ReceiveAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(400, StatusOf(response!));
        Assert.Contains("Header", StatusLineOf(response!), StringComparison.Ordinal);
    }
}

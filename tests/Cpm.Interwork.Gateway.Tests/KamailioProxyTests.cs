using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Cpm.Interwork.Gateway.Tests.Support;
using Cpm.Interwork.Sip.Stack.Tests.Support;

namespace Cpm.Interwork.Gateway.Tests;

/// <summary>
/// Kamailio as a transaction-stateful proxy (t_relay) in front of the gateway process, as an IMS core would be:
/// SIPp → Kamailio → gateway and back, over UDP and over TCP. Ports: gateway SIP 15066 / HTTP 18085, Kamailio 15070,
/// SIPp 15086–15087.
/// </summary>
public sealed class KamailioProxyTests : IAsyncLifetime
{
    private const int KamailioPort = 15070;
    private GatewayProcess _gateway = null!;
    private PeerProcess _kamailio = null!;
    private DirectoryInfo _dir = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayProcess.StartAsync(15066, 18085);
        _dir = Directory.CreateTempSubdirectory("kamailio-");
        var config = (await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Scenarios", "kamailio.cfg")))
            .Replace("__LISTEN_PORT__", KamailioPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("__GATEWAY_PORT__", _gateway.SipPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var path = Path.Combine(_dir.FullName, "kamailio.cfg");
        await File.WriteAllTextAsync(path, config);
        _kamailio = PeerProcess.Start("kamailio", ["-f", path, "-DD", "-E", "-Y", _dir.FullName, "-w", _dir.FullName], _dir.FullName);
        await WaitForKamailioAsync();
    }

    public Task DisposeAsync()
    {
        _kamailio?.Dispose();
        _gateway?.Dispose();
        _dir?.Delete(recursive: true);
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("u1", 15086, "udp")]
    [InlineData("t1", 15087, "tcp")]
    public async Task MessageRelayedByKamailio_ReachesTheGateway_AndItsAnswerComesBack(string transport, int localPort, string proto)
    {
        var result = await Sipp.RunAsync(Sipp.Scenario("message.xml"), transport, localPort, $"127.0.0.1:{KamailioPort}");
        Assert.True(result.ExitCode == 0, $"sipp via kamailio over {transport}: exit {result.ExitCode}\n{result.Output}\n{result.Errors}\n{result.Messages}\nkamailio:\n{_kamailio.Output}");

        // The answer really came from the gateway through Kamailio's transaction, on the same transport.
        Assert.True(await _kamailio.WaitForOutputAsync($"over {proto} to the gateway", TimeSpan.FromSeconds(5)), _kamailio.Output);
        Assert.True(await _kamailio.WaitForOutputAsync("reply 480 Temporarily Unavailable (CPM-MMS interworking not yet available)", TimeSpan.FromSeconds(5)), _kamailio.Output);
    }

    /// <summary>Kamailio is ready when it answers a probe (its route answers OPTIONS with 405).</summary>
    private async Task WaitForKamailioAsync()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        for (var i = 0; DateTime.UtcNow < deadline && !_kamailio.HasExited; i++)
        {
            var options = Encoding.ASCII.GetBytes(
                $"OPTIONS sip:probe@127.0.0.1:{KamailioPort} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK-probe{i}\r\nMax-Forwards: 70\r\n" +
                $"From: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:probe@127.0.0.1>\r\nCall-ID: probe{i}@test\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
            await probe.SendAsync(options, new IPEndPoint(IPAddress.Loopback, KamailioPort));
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            try
            {
                await probe.ReceiveAsync(cts.Token);
                return;
            }
            catch (OperationCanceledException)
            {
            }
            catch (SocketException)
            {
                await Task.Delay(200);
            }
        }

        throw new InvalidOperationException("kamailio did not start:\n" + _kamailio.Output);
    }
}

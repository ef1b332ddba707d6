using System.Net;
using System.Net.Sockets;
using Cpm.Interwork.Gateway.Tests.Support;

namespace Cpm.Interwork.Gateway.Tests;

/// <summary>The built gateway as a process: health, configuration errors, bind errors, SIGTERM, logging. Ports: SIP 15060–15063, HTTP 18080–18083.</summary>
public sealed class GatewayProcessTests
{
    private static readonly TimeSpan s_exit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Health_LiveAndReadyAre200_OnceListening_AndSigtermStopsCleanlyWithExit0()
    {
        using var gateway = await GatewayProcess.StartAsync(15060, 18080);
        using var http = new HttpClient();
        using (var live = await http.GetAsync(new Uri(gateway.Http, "/health/live")))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        using (var ready = await http.GetAsync(new Uri(gateway.Http, "/health/ready")))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        }

        gateway.Process.Signal(15);
        Assert.True(await gateway.Process.WaitForExitAsync(s_exit), "no exit after SIGTERM:\n" + gateway.Process.Output);
        Assert.Equal(0, gateway.Process.ExitCode);
        Assert.Contains("SIP stopped", gateway.Process.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Sip:Listen:0=udp:foo", "configuration error: Sip:Listen:0 = 'udp:foo' is not ADDRESS:PORT")]
    [InlineData("--Sip:Listen:0=sctp:127.0.0.1:5060", "configuration error: Sip:Listen:0 = 'sctp:127.0.0.1:5060' has transport 'sctp' (only udp and tcp are supported)")]
    [InlineData("--Sip:T1Milliseconds=fast", "configuration error: Sip:T1Milliseconds = 'fast' is not a whole number")]
    [InlineData("--Sip:MaxBodyBytes=-1", "configuration error: Sip:MaxBodyBytes = '-1' is out of range (0-16777216)")]
    [InlineData("--Sip:MaxBodyByte=5", "configuration error: Sip:MaxBodyByte = '5' is not a known setting (see docs/configuration.md)")]
    [InlineData("--Logging:Format=xml", "configuration error: Logging:Format = 'xml' is not 'text' or 'json'")]
    [InlineData("--Logging:LogLevel:Cpm.Interwork=Loud", "configuration error: Logging:LogLevel:Cpm.Interwork = 'Loud' is not a log level (Trace, Debug, Information, Warning, Error, Critical, None)")]
    [InlineData("--Urls=ftp://127.0.0.1:21", "configuration error: Urls = 'ftp://127.0.0.1:21' has 'ftp://127.0.0.1:21', which is not http://ADDRESS:PORT")]
    public async Task BadConfigurationValue_Exit2_WithOneLineNamingTheKey(string argument, string expected)
    {
        using var process = GatewayProcess.Launch(argument);
        Assert.True(await process.WaitForExitAsync(s_exit));
        Assert.Equal(2, process.ExitCode);
        Assert.Equal(expected, process.Output.Trim());
    }

    [Fact]
    public async Task BadConfigurationValue_FromAnEnvironmentVariableWithDoubleUnderscore_Exit2()
    {
        using var process = GatewayProcess.Launch(new Dictionary<string, string> { ["Sip__Listen__0"] = "tcp:[::1:5060" });
        Assert.True(await process.WaitForExitAsync(s_exit));
        Assert.Equal(2, process.ExitCode);
        Assert.Equal("configuration error: Sip:Listen:0 = 'tcp:[::1:5060' is not ADDRESS:PORT (IPv6 is written [ADDRESS]:PORT)", process.Output.Trim());
    }

    [Fact]
    public async Task SipPortAlreadyInUse_Exit3_WithOneLineNamingTheListener()
    {
        using var blocker = new UdpClient(new IPEndPoint(IPAddress.Loopback, 15061));
        using var process = GatewayProcess.Launch("--Sip:Listen:0=udp:127.0.0.1:15061", "--Urls=http://127.0.0.1:18081");
        Assert.True(await process.WaitForExitAsync(s_exit));
        Assert.Equal(3, process.ExitCode);
        Assert.Contains("startup error: cannot bind udp:127.0.0.1:15061", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpPortAlreadyInUse_Exit3_WithOneStartupErrorLine()
    {
        var blocker = new TcpListener(IPAddress.Loopback, 18082);
        blocker.Start();
        try
        {
            using var process = GatewayProcess.Launch("--Sip:Listen:0=udp:127.0.0.1:15062", "--Urls=http://127.0.0.1:18082");
            Assert.True(await process.WaitForExitAsync(s_exit));
            Assert.Equal(3, process.ExitCode);
            Assert.Contains("startup error: ", process.Output, StringComparison.Ordinal);
            Assert.Contains("18082", process.Output, StringComparison.Ordinal);
        }
        finally
        {
            blocker.Stop();
        }
    }

    [Fact]
    public async Task JsonLogging_OneJsonObjectPerLine_AndLevelsPerNamespace()
    {
        using var gateway = await GatewayProcess.StartAsync(15063, 18083, "--Logging:Format=json", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning");
        var lines = gateway.Process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        var events = lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(events, e => e.GetProperty("RenderedMessage").GetString() == "SIP listening on \"udp:127.0.0.1:15063\"");

        // Microsoft.Hosting.Lifetime was turned down to Warning: its "Now listening on" line is gone.
        Assert.DoesNotContain(events, e => e.GetProperty("Properties").TryGetProperty("SourceContext", out var c) && c.GetString() == "Microsoft.Hosting.Lifetime");
    }
}

using System.Net;
using Cpm.Interwork.Gateway.Configuration;
using Cpm.Interwork.Sip.Stack;
using Cpm.Interwork.Sip.Stack.Transport;
using Microsoft.Extensions.Configuration;

namespace Cpm.Interwork.Gateway.Tests;

/// <summary>Reading and validating configuration without starting a process.</summary>
public sealed class GatewaySettingsTests
{
    private static GatewaySettings Read(out IReadOnlyList<ConfigurationProblem> problems, params (string Key, string Value)[] values) =>
        GatewaySettings.Read(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build(), out problems);

    [Fact]
    public void NothingConfigured_GivesTheEmbeddedDefaults()
    {
        var settings = Read(out var problems);
        Assert.Empty(problems);
        Assert.Equal(SipStackOptions.DefaultListen, settings.Sip.Listen);
        Assert.Equal("http://127.0.0.1:8080", settings.Urls);
        Assert.Equal(LogFormat.Text, settings.LogFormat);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.Sip.T1);
        Assert.Equal(TimeSpan.FromSeconds(4), settings.Sip.T2);
    }

    [Fact]
    public void EveryKeyIsRead()
    {
        var settings = Read(
            out var problems,
            ("Sip:Listen:0", "udp:[::1]:15060"), ("Sip:Listen:1", "tcp:127.0.0.1:15061"), ("Sip:T1Milliseconds", "250"), ("Sip:T2Milliseconds", "2000"),
            ("Sip:MaxHeaderBytes", "4096"), ("Sip:MaxBodyBytes", "1300"), ("Sip:MaxTcpConnections", "10"), ("Sip:TcpIdleTimeoutSeconds", "60"),
            ("Sip:MaxTransactions", "100"), ("Sip:MessageHandlerTimeoutSeconds", "20"), ("Sip:ShutdownDrainTimeoutSeconds", "5"), ("Sip:RetryAfterSeconds", "9"),
            ("Sip:ServerName", "gw-1"), ("Logging:Format", "JSON"), ("Urls", "http://0.0.0.0:9090"));
        Assert.Empty(problems);
        Assert.Equal([new(SipTransportKind.Udp, new IPEndPoint(IPAddress.IPv6Loopback, 15060)), new SipListenEndpoint(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, 15061))], settings.Sip.Listen);
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.Sip.T1);
        Assert.Equal(TimeSpan.FromMilliseconds(1750), settings.Sip.UdpTryingDelay);
        Assert.Equal((4096, 1300, 10, 100, 9, "gw-1"), (settings.Sip.MaxHeaderBytes, settings.Sip.MaxBodyBytes, settings.Sip.MaxTcpConnections, settings.Sip.MaxTransactions, settings.Sip.RetryAfterSeconds, settings.Sip.ServerName));
        Assert.Equal((TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(5)), (settings.Sip.TcpIdleTimeout, settings.Sip.MessageHandlerTimeout, settings.Sip.ShutdownDrainTimeout));
        Assert.Equal(LogFormat.Json, settings.LogFormat);
        Assert.Equal("http://0.0.0.0:9090", settings.Urls);
    }

    [Theory]
    [InlineData("Sip:T2Milliseconds", "200", "configuration error: Sip:T2Milliseconds = '200' is smaller than Sip:T1Milliseconds")]
    [InlineData("Sip:Listen:first", "udp:127.0.0.1:5060", "configuration error: Sip:Listen:first = 'udp:127.0.0.1:5060' is not a list index (write KEY:0, KEY:1, ...)")]
    [InlineData("Sip:Listen", "", "configuration error: Sip:Listen = '' is empty (expected udp:ADDRESS:PORT or tcp:ADDRESS:PORT)")]
    [InlineData("Sip:ServerName", "", "configuration error: Sip:ServerName = '' must be 1-128 printable ASCII characters")]
    [InlineData("Sip:MaxTransactions", "0", "configuration error: Sip:MaxTransactions = '0' is out of range (1-10000000)")]
    [InlineData("Logging:Format", "1", "configuration error: Logging:Format = '1' is not 'text' or 'json'")]
    public void BadValue_IsOneProblemNamingTheKey(string key, string value, string expected)
    {
        Read(out var problems, (key, value));
        Assert.Equal(expected, Assert.Single(problems).ToString());
    }

    [Fact]
    public void SameListenerTwice_IsAProblem()
    {
        Read(out var problems, ("Sip:Listen:0", "udp:127.0.0.1:5060"), ("Sip:Listen:1", "UDP:127.0.0.1:5060"));
        Assert.Equal("configuration error: Sip:Listen:1 = 'UDP:127.0.0.1:5060' is listed twice", Assert.Single(problems).ToString());
    }
}

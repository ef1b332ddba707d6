using Cpm.Interwork.Gateway.Configuration;
using Cpm.Interwork.Gateway.Interworking;
using Microsoft.Extensions.Configuration;

namespace Cpm.Interwork.Gateway.Tests;

/// <summary>The MMS → CPM settings (Ims:OutboundProxy and friends, Mm4:AnswerRetry…): read, defaulted, refused with the key named.</summary>
public sealed class InboundSettingsTests
{
    private static (InterworkSettings Settings, List<ConfigurationProblem> Problems) Read(params (string Key, string Value)[] values)
    {
        var all = new Dictionary<string, string?> { ["Mm4:Domains:0"] = "mms.gw.example" };
        foreach (var (k, v) in values) { all[k] = v; }
        var problems = new List<ConfigurationProblem>();
        var settings = InterworkSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(all).Build(), problems);
        return (settings, problems);
    }

    [Fact]
    public void WithoutOutboundProxy_MmsToCpmIsOff_AndNothingIsRequired()
    {
        var (s, problems) = Read();
        Assert.Empty(problems);
        Assert.False(s.Inbound.Enabled);
    }

    [Fact]
    public void OutboundProxyAndImsDomain_TurnItOn_WithDefaults()
    {
        var (s, problems) = Read(("Ims:Domain", "ims.example.net"), ("Ims:OutboundProxy", "sip:127.0.0.1:15070;transport=tcp"));
        Assert.Empty(problems);
        Assert.True(s.Inbound.Enabled);
        Assert.Equal(1300, s.Inbound.Client.UdpMaxBytes);
        Assert.False(s.Inbound.Client.ForceTcp);
        Assert.Equal(TimeSpan.FromHours(1), s.Inbound.ReportResponseWait);
        Assert.Equal(TimeSpan.FromSeconds(10), s.Inbound.AnswerRetry.InitialDelay);
        Assert.Equal(10, s.Ims!.Retry.MaxAttempts);
    }

    [Fact]
    public void KeysAreRead()
    {
        var (s, problems) = Read(("Ims:Domain", "ims.example.net"), ("Ims:OutboundProxy", "sip:127.0.0.1:15070"), ("Ims:UdpMaxBytes", "1200"), ("Ims:ForceTcp", "true"),
            ("Ims:Retry:MaxAttempts", "4"), ("Mm4:AnswerRetry:InitialDelay", "00:00:03"), ("Mm4:ReportResponseWait", "00:10:00"), ("Mm4:ResponseWait", "00:00:05"));
        Assert.Empty(problems);
        Assert.Equal(1200, s.Inbound.Client.UdpMaxBytes);
        Assert.True(s.Inbound.Client.ForceTcp);
        Assert.Equal(4, s.Ims!.Retry.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(3), s.Inbound.AnswerRetry.InitialDelay);
        Assert.Equal(TimeSpan.FromMinutes(10), s.Inbound.ReportResponseWait);
        Assert.Equal(TimeSpan.FromSeconds(5), s.Mm4.ResponseWait);
    }

    [Theory]
    [InlineData("Ims:OutboundProxy", "sip:proxy.example.net:5060", "Ims:OutboundProxy")]
    [InlineData("Ims:OutboundProxy", "sip:127.0.0.1:5060;transport=sctp", "Ims:OutboundProxy")]
    [InlineData("Ims:UdpMaxBytes", "100", "Ims:UdpMaxBytes")]
    [InlineData("Ims:UdpMaxBytes", "lots", "Ims:UdpMaxBytes")]
    [InlineData("Mm4:AnswerRetry:Bogus", "1", "Mm4:AnswerRetry:Bogus")]
    [InlineData("Mm4:ReportResponseWait", "00:00:00", "Mm4:ReportResponseWait")]
    [InlineData("Mm4:LeaseDuration", "00:00:01", "Mm4:LeaseDuration")]
    public void BadValues_AreProblemsNamingTheKey(string key, string value, string problemKey)
    {
        var values = new List<(string, string)> { ("Ims:Domain", "ims.example.net"), (key, value) };
        if (key != "Ims:OutboundProxy") { values.Add(("Ims:OutboundProxy", "sip:127.0.0.1:15070")); }
        var (_, problems) = Read([.. values]);
        Assert.Contains(problems, p => p.Key == problemKey);
    }

    [Fact]
    public void OutboundProxyWithoutImsDomain_IsAProblem()
    {
        var (_, problems) = Read(("Ims:OutboundProxy", "sip:127.0.0.1:15070"), ("Ims:UriForm", "Tel"));
        Assert.Contains(problems, p => p.Key == "Ims:Domain");
    }
}

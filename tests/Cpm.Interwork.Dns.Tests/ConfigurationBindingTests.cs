using Cpm.Interwork.Dns.Client;
using Cpm.Interwork.Dns.E164;
using Cpm.Interwork.Dns.Routing;
using Microsoft.Extensions.Configuration;

namespace Cpm.Interwork.Dns.Tests;

/// <summary>The options bind from the Dns, Enum and Routing sections the way a host binds them.</summary>
public class ConfigurationBindingTests
{
    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Fact]
    public void DnsSection_Binds()
    {
        var options = new DnsOptions();
        Config(("Dns:Servers:0", "127.0.0.1:15301"), ("Dns:Servers:1", "[::1]:53"), ("Dns:Timeout", "00:00:00.500"),
                ("Dns:Attempts", "3"), ("Dns:CacheMaxEntries", "50"), ("Dns:MaxNegativeTtl", "00:01:00"))
            .GetSection(DnsOptions.SectionName).Bind(options);
        Assert.Equal(["127.0.0.1:15301", "[::1]:53"], options.Servers);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.Timeout);
        Assert.Equal((3, 50, TimeSpan.FromMinutes(1)), (options.Attempts, options.CacheMaxEntries, options.MaxNegativeTtl));
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void EnumAndRoutingSections_Bind()
    {
        var config = Config(("Enum:Apex", "e164enum.net"), ("Enum:MaxRewrites", "2"),
            ("Routing:SmtpPort", "2525"), ("Routing:UseEnum", "false"),
            ("Routing:Routes:0:Key", "+15550100002"), ("Routing:Routes:0:Domain", "mms.example.net"), ("Routing:Routes:0:Relay", "127.0.0.1:2526"),
            ("Routing:Routes:1:Key", "+1555*"), ("Routing:Routes:1:Domain", "mms.example.org"),
            ("Routing:Routes:2:Key", "mms.partner.example"), ("Routing:Routes:2:Relay", "relay.partner.example"));
        var e = new EnumOptions();
        config.GetSection(EnumOptions.SectionName).Bind(e);
        var r = new RoutingOptions();
        config.GetSection(RoutingOptions.SectionName).Bind(r);
        Assert.Equal(("e164enum.net", 2), (e.Apex, e.MaxRewrites));
        Assert.Equal((2525, false, 3), (r.SmtpPort, r.UseEnum, r.Routes.Count));
        Assert.Equal(("+1555*", "mms.example.org", (string?)null), (r.Routes[1].Key, r.Routes[1].Domain, r.Routes[1].Relay));
        Assert.Empty(e.Validate());
        Assert.Empty(r.Validate());
    }

    [Fact]
    public void BadBoundValue_IsReportedWithItsKey()
    {
        var options = new DnsOptions();
        Config(("Dns:Servers:0", "dns.example.net")).GetSection(DnsOptions.SectionName).Bind(options);
        Assert.Equal(["Dns:Servers:0 = 'dns.example.net' is not ADDRESS:PORT (IPv6 as [ADDRESS]:PORT, port 1-65535)"], options.Validate());
    }
}

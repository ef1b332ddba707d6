using System.Net;
using System.Net.Sockets;
using Cpm.Interwork.Dns.Client;
using Cpm.Interwork.Dns.E164;
using Cpm.Interwork.Dns.Routing;
using Cpm.Interwork.Dns.Wire;

namespace Cpm.Interwork.Dns.Tests.Peers;

/// <summary>Our client, ENUM resolver and router against a real dnsmasq.</summary>
public class DnsmasqTests : IClassFixture<DnsmasqFixture>
{
    private readonly DnsmasqFixture _peer;

    public DnsmasqTests(DnsmasqFixture peer) => _peer = peer;

    private DnsClient Client(params string[] servers)
    {
        var options = new DnsOptions { Timeout = TimeSpan.FromSeconds(1), Attempts = 2 };
        foreach (var s in servers.Length == 0 ? [_peer.Server] : servers)
        {
            options.Servers.Add(s);
        }

        return new DnsClient(options);
    }

    [Fact]
    public async Task Naptr_FromDnsmasq_ParsesBothRules()
    {
        var result = await Client().QueryAsync(DnsmasqFixture.EnumDomain, DnsRecordType.Naptr);
        Assert.True(result.IsSuccess, result + _peer.Log);
        var rules = result.Answers.OfType<NaptrRecord>().OrderBy(r => r.Preference).ToList();
        Assert.Equal(2, rules.Count);
        Assert.Equal(("u", "E2U+mms:mailto", "!^.*$!mailto:+15550100002/TYPE=PLMN@mms.example.net!"), (rules[0].Flags, rules[0].Services, rules[0].Regexp));
        Assert.Equal(60u, rules[0].Ttl);
    }

    [Fact]
    public async Task Enum_AgainstDnsmasq_GivesTheMailtoDomain()
    {
        var result = await new EnumResolver(Client(), new EnumOptions()).ResolveAsync(DnsmasqFixture.Number);
        Assert.Equal(EnumResultStatus.Mailto, result.Status);
        Assert.Equal("+15550100002/TYPE=PLMN@mms.example.net", result.MailtoAddress);
    }

    [Fact]
    public async Task Enum_UpperCaseServiceAndBackReference_AgainstDnsmasq()
    {
        var result = await new EnumResolver(Client(), new EnumOptions()).ResolveAsync("+15550100004");
        Assert.Equal(EnumResultStatus.Mailto, result.Status);
        Assert.Equal("+15550100004/TYPE=PLMN@mms.carrier.example", result.MailtoAddress);
    }

    [Fact]
    public async Task Enum_MmsTelOnly_AgainstDnsmasq()
    {
        var result = await new EnumResolver(Client(), new EnumOptions()).ResolveAsync("+15550100003");
        Assert.Equal(EnumResultStatus.TelOnly, result.Status);
        Assert.Equal("tel:+15550100003", result.Uri);
    }

    [Fact]
    public async Task Mx_AndA_FromDnsmasq()
    {
        var client = Client();
        var mx = await client.QueryAsync("mms.example.net", DnsRecordType.Mx);
        var record = Assert.Single(mx.Answers.OfType<MxRecord>());
        Assert.Equal((10, "mmsc.mms.example.net"), (record.Preference, record.Exchange));
        var a = await client.QueryAsync("mmsc.mms.example.net", DnsRecordType.A);
        Assert.Equal(IPAddress.Loopback, Assert.Single(a.Answers.OfType<ARecord>()).Address);
    }

    [Fact]
    public async Task UnknownNumber_IsNxDomain_AsData()
    {
        var client = Client();
        var dns = await client.QueryAsync("9.9.9.9.e164.arpa", DnsRecordType.Naptr);
        Assert.True(dns.IsNameError, dns.ToString());
        var result = await new EnumResolver(client, new EnumOptions()).ResolveAsync("+19999999999");
        Assert.Equal(EnumResultStatus.NXDomain, result.Status);
    }

    [Fact]
    public async Task FullRoute_NaptrToMailtoDomainToMxToA_AgainstDnsmasq()
    {
        var client = Client();
        var router = new Mm4Router(client, new EnumResolver(client, new EnumOptions()), new RoutingOptions());
        var route = await router.RouteAsync(DnsmasqFixture.Number);
        Assert.Equal(RouteStatus.Routed, route.Status);
        Assert.Equal("mms.example.net", route.Domain);
        Assert.Equal("+15550100002/TYPE=PLMN@mms.example.net", route.RcptTo);
        var relay = Assert.Single(route.Relays);
        Assert.Equal(("mmsc.mms.example.net", 25, 10), (relay.Host, relay.Port, relay.Preference));
        Assert.Equal([IPAddress.Loopback], relay.Addresses.ToArray());
    }

    [Fact]
    public async Task FullRoute_DomainWithoutMx_FallsBackToItsAddress_AgainstDnsmasq()
    {
        var client = Client();
        var router = new Mm4Router(client, new EnumResolver(client, new EnumOptions()), new RoutingOptions { SmtpPort = 2525 });
        var route = await router.RouteAsync("+15550100004");
        Assert.Equal(RouteStatus.Routed, route.Status);
        var relay = Assert.Single(route.Relays);
        Assert.Equal(("mms.carrier.example", 2525), (relay.Host, relay.Port));
        Assert.Equal([IPAddress.Parse("127.0.0.2")], relay.Addresses.ToArray());
    }

    [Fact]
    public async Task UnknownNumber_RoutesToNotFound_404()
    {
        var client = Client();
        var router = new Mm4Router(client, new EnumResolver(client, new EnumOptions()), new RoutingOptions());
        var route = await router.RouteAsync("+19999999999");
        Assert.Equal(RouteStatus.NotFound, route.Status);
        Assert.Equal(404, route.SipStatusCode);
        Assert.Contains("+19999999999", route.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadFirstServer_IsSkipped_TheLiveOneAnswers()
    {
        // Nothing listens on 15309: the kernel answers ICMP port unreachable (a network error).
        var result = await Client("127.0.0.1:15309", _peer.Server).QueryAsync("mmsc.mms.example.net", DnsRecordType.A);
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(IPEndPoint.Parse(_peer.Server), result.Server);
    }

    [Fact]
    public async Task SilentServer_TimesOutAsData()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 15308));
        var options = new DnsOptions { Timeout = TimeSpan.FromMilliseconds(200), Attempts = 2 };
        options.Servers.Add("127.0.0.1:15308");
        var result = await new DnsClient(options).QueryAsync("mmsc.mms.example.net", DnsRecordType.A);
        Assert.Equal(DnsResultStatus.Timeout, result.Status);
    }
}

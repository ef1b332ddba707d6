using System.Net;
using Cpm.Interwork.Dns.Client;
using Cpm.Interwork.Dns.E164;
using Cpm.Interwork.Dns.Routing;
using Cpm.Interwork.Smtp.Client;
using Microsoft.Extensions.Time.Testing;

namespace Cpm.Interwork.Mm4.Tests.Interop;

/// <summary>dnsmasq serving ENUM (NAPTR E2U+mms:mailto) → MX → A 127.0.0.1, and the node MMSE that relay points to.</summary>
public sealed class EnumRoutePeersFixture : IAsyncLifetime
{
    public const int DnsPort = 15350;
    public const int SmtpPort = 25353;
    public const string EnumName = "2.0.0.0.0.1.0.5.5.5.1.e164.arpa";

    internal PeerProcess? Dnsmasq { get; private set; }

    internal NodeSink? Mmse { get; private set; }

    public async Task InitializeAsync()
    {
        Mmse = new NodeSink(SmtpPort, script: "mm4-sink.js");
        Dnsmasq = new PeerProcess(PeerPaths.RequireExecutable("dnsmasq"),
        [
            "--keep-in-foreground", $"--port={DnsPort}", "--listen-address=127.0.0.1", "--bind-interfaces",
            "--no-resolv", "--no-hosts", "--pid-file=", "--log-queries", "--log-facility=-",
            "--local=/e164.arpa/", "--local=/enum.example/", "--local-ttl=30",
            $"--naptr-record={EnumName},100,20,u,E2U+sip,!^.*$!sip:+15550100002@ims.enum.example!",
            $"--naptr-record={EnumName},100,10,u,E2U+mms:mailto,!^.*$!mailto:+15550100002/TYPE=PLMN@mms.enum.example!",
            "--mx-host=mms.enum.example,mmsc.mms.enum.example,10",
            "--host-record=mmsc.mms.enum.example,127.0.0.1",
        ]);
        await PeerPaths.WaitForPortAsync(DnsPort, TimeSpan.FromSeconds(20));
    }

    public Task DisposeAsync()
    {
        Dnsmasq?.Dispose();
        Mmse?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>Mm4Router against a real DNS server, then our SMTP client to the relay it found.</summary>
public class RoutingInteropTests(EnumRoutePeersFixture peers) : IClassFixture<EnumRoutePeersFixture>
{
    private static Mm4Router Router()
    {
        var options = new DnsOptions { Timeout = TimeSpan.FromSeconds(2) };
        options.Servers.Add($"127.0.0.1:{EnumRoutePeersFixture.DnsPort}");
        var dns = new DnsClient(options);
        return new Mm4Router(dns, new EnumResolver(dns, new EnumOptions()), new RoutingOptions { SmtpPort = EnumRoutePeersFixture.SmtpPort });
    }

    [Fact]
    public async Task Rfc6116_ENUM_NAPTR_then_MX_then_A_routes_the_recipient_and_the_MM4_forward_arrives_there_with_the_ENUM_domain_in_RCPT_TO()
    {
        var route = await Router().RouteAsync("+15550100002");
        Assert.True(route.Status == RouteStatus.Routed, route.Reason);
        Assert.Equal(RouteSource.Enum, route.Source);
        Assert.Equal("mms.enum.example", route.Domain);
        Assert.Equal("+15550100002/TYPE=PLMN@mms.enum.example", route.RcptTo);
        var relay = Assert.Single(route.Relays);
        Assert.Equal(("mmsc.mms.enum.example", 10, EnumRoutePeersFixture.SmtpPort), (relay.Host.TrimEnd('.'), relay.Preference, relay.Port));
        Assert.Equal(IPAddress.Loopback, Assert.Single(relay.Addresses));

        var request = new Mm4ForwardRequestBuilder(new SequentialIds("mms.gw.example"), new FakeTimeProvider(BuiltForward.Now))
            .From(Mm4Address.Plmn("+15550100001")).To(Mm4Address.Plmn("+15550100002"))
            .OriginatorSystem(Mm4Address.Email("system-user@mms.gw.example"))
            .Subject("routed by ENUM").Content(Mm4Content.FromText("hello via ENUM")).Build();
        var envelope = Mm4Envelope.ForForward(request, "mms.gw.example", route.Domain!);
        await using var pool = new SmtpClientPool(new SmtpClientOptions { HeloName = "mms.gw.example" });
        var sent = await pool.SendAsync(new SmtpEndpoint(relay.Addresses[0].ToString(), relay.Port, SmtpTlsPolicy.Off),
            new SmtpEnvelope(envelope.MailFrom, envelope.RcptTo), Mm4Writer.ToBytes(request), default);
        Assert.True(sent.Kind == SmtpSendResultKind.Sent, sent.ToString());

        var json = peers.Mmse!.NextMessage(TimeSpan.FromSeconds(20));
        Assert.Equal([route.RcptTo], json.GetProperty("rcpt").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("+15550100001/TYPE=PLMN@mms.gw.example", json.GetProperty("from").GetString());
        Assert.Equal("MM4_forward.REQ", json.GetProperty("mms").GetProperty("x-mms-message-type").GetString());
        Assert.Equal("routed by ENUM", json.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task A_number_without_NAPTR_is_NotFound_mapped_to_SIP_404()
    {
        var route = await Router().RouteAsync("+15550100009");
        Assert.Equal(RouteStatus.NotFound, route.Status);
        Assert.Equal(404, route.SipStatusCode);
        Assert.Empty(route.Relays);
        Assert.Contains("+15550100009", route.Reason, StringComparison.Ordinal);
    }
}

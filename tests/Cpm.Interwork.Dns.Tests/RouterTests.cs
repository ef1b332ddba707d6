using System.Net;
using Cpm.Interwork.Dns.Client;
using Cpm.Interwork.Dns.E164;
using Cpm.Interwork.Dns.Routing;
using Cpm.Interwork.Dns.Tests.Support;
using Cpm.Interwork.Dns.Wire;
using Microsoft.Extensions.Logging;
using static Cpm.Interwork.Dns.Tests.Support.FakeResolver;

namespace Cpm.Interwork.Dns.Tests;

public class RouterTests
{
    private const string Number = "+15550100002";
    private const string EnumDomain = "2.0.0.0.0.1.0.5.5.5.1.e164.arpa";

    private static Mm4Router Router(FakeResolver dns, RoutingOptions? options = null, Random? random = null, ILogger<Mm4Router>? logger = null) =>
        new(dns, new EnumResolver(dns, new EnumOptions()), options ?? new RoutingOptions(), logger, random);

    private static RoutingOptions Routes(params (string Key, string? Domain, string? Relay)[] routes)
    {
        var options = new RoutingOptions();
        foreach (var (key, domain, relay) in routes)
        {
            options.Routes.Add(new RouteEntry { Key = key, Domain = domain, Relay = relay });
        }

        return options;
    }

    private static ARecord A(string name, string ip) => new(name, DnsClass.IN, 300, IPAddress.Parse(ip));
    private static AaaaRecord Aaaa(string name, string ip) => new(name, DnsClass.IN, 300, IPAddress.Parse(ip));
    private static MxRecord Mx(string name, ushort pref, string exchange) => new(name, DnsClass.IN, 300, pref, exchange);

    private static FakeResolver EnumToMmsExampleNet() => new FakeResolver()
        .Records(EnumDomain, DnsRecordType.Naptr, Naptr(EnumDomain, 100, 10, "u", "E2U+mms:mailto", "!^.*$!mailto:+15550100002/TYPE=PLMN@mms.example.net!"));

    [Fact]
    public async Task EnumThenMxThenA_GivesRelaysAndRcptTo()
    {
        var dns = EnumToMmsExampleNet()
            .Records("mms.example.net", DnsRecordType.Mx, Mx("mms.example.net", 10, "mmsc.mms.example.net"))
            .Records("mmsc.mms.example.net", DnsRecordType.A, A("mmsc.mms.example.net", "192.0.2.25"))
            .Records("mmsc.mms.example.net", DnsRecordType.Aaaa, Aaaa("mmsc.mms.example.net", "2001:db8::25"));
        var result = await Router(dns).RouteAsync(Number);
        Assert.Equal(RouteStatus.Routed, result.Status);
        Assert.Equal(RouteSource.Enum, result.Source);
        Assert.Equal("mms.example.net", result.Domain);
        Assert.Equal("+15550100002/TYPE=PLMN@mms.example.net", result.RcptTo);
        var relay = Assert.Single(result.Relays);
        Assert.Equal("mmsc.mms.example.net", relay.Host);
        Assert.Equal([IPAddress.Parse("192.0.2.25"), IPAddress.Parse("2001:db8::25")], relay.Addresses.ToArray());
        Assert.Equal(25, relay.Port);
        Assert.Equal(0, result.SipStatusCode);
    }

    [Fact]
    public async Task Rfc5321_5_1_MxAscendingPreference_RandomAmongEquals()
    {
        var dns = EnumToMmsExampleNet()
            .Records("mms.example.net", DnsRecordType.Mx,
                Mx("mms.example.net", 20, "backup.example.net"), Mx("mms.example.net", 10, "a.example.net"), Mx("mms.example.net", 10, "b.example.net"))
            .Records("a.example.net", DnsRecordType.A, A("a.example.net", "192.0.2.1"))
            .Records("b.example.net", DnsRecordType.A, A("b.example.net", "192.0.2.2"))
            .Records("backup.example.net", DnsRecordType.A, A("backup.example.net", "192.0.2.3"));
        var firsts = new HashSet<string>();
        for (var seed = 0; seed < 30; seed++)
        {
            var result = await Router(dns, random: new Random(seed)).RouteAsync(Number);
            Assert.Equal([10, 10, 20], result.Relays.Select(r => r.Preference));
            Assert.Equal("backup.example.net", result.Relays[2].Host);
            firsts.Add(result.Relays[0].Host);
        }

        Assert.Equal(["a.example.net", "b.example.net"], firsts.Order());
    }

    [Fact]
    public async Task Rfc5321_5_1_NoMx_FallsBackToTheDomainsOwnAddresses()
    {
        var dns = EnumToMmsExampleNet()
            .Records("mms.example.net", DnsRecordType.A, A("mms.example.net", "192.0.2.80"));
        var result = await Router(dns).RouteAsync(Number);
        Assert.Equal(RouteStatus.Routed, result.Status);
        var relay = Assert.Single(result.Relays);
        Assert.Equal("mms.example.net", relay.Host);
        Assert.Equal(0, relay.Preference);
        Assert.Equal([IPAddress.Parse("192.0.2.80")], relay.Addresses.ToArray());
    }

    [Fact]
    public async Task CnameChasing_ForTheMxHostAddress()
    {
        var dns = EnumToMmsExampleNet()
            .Records("mms.example.net", DnsRecordType.Mx, Mx("mms.example.net", 10, "alias.example.net"))
            .Records("alias.example.net", DnsRecordType.A, new CnameRecord("alias.example.net", DnsClass.IN, 60, "real.example.net"))
            .Records("real.example.net", DnsRecordType.A, A("real.example.net", "192.0.2.44"));
        var result = await Router(dns).RouteAsync(Number);
        Assert.Equal([IPAddress.Parse("192.0.2.44")], Assert.Single(result.Relays).Addresses.ToArray());
    }

    [Fact]
    public async Task CnameChasing_WithinOneAnswer_ForTheDomainsMx()
    {
        var dns = EnumToMmsExampleNet()
            .Records("mms.example.net", DnsRecordType.Mx,
                new CnameRecord("mms.example.net", DnsClass.IN, 60, "mms.carrier.example"), Mx("mms.carrier.example", 5, "mx.carrier.example"))
            .Records("mx.carrier.example", DnsRecordType.A, A("mx.carrier.example", "192.0.2.55"));
        var result = await Router(dns).RouteAsync(Number);
        Assert.Equal("mx.carrier.example", Assert.Single(result.Relays).Host);
        Assert.Equal(5, result.Relays[0].Preference);
    }

    [Fact]
    public async Task CnameLoop_IsBoundedByMaxCnameDepth()
    {
        var dns = EnumToMmsExampleNet()
            .Records("mms.example.net", DnsRecordType.Mx, Mx("mms.example.net", 10, "l1.example"))
            .Records("l1.example", DnsRecordType.A, new CnameRecord("l1.example", DnsClass.IN, 60, "l2.example"))
            .Records("l2.example", DnsRecordType.A, new CnameRecord("l2.example", DnsClass.IN, 60, "l1.example"));
        var result = await Router(dns).RouteAsync(Number);
        // A CNAME loop is reported as a DNS failure (the lookup could not complete), after a bounded number of queries.
        Assert.Equal(RouteStatus.DnsFailure, result.Status);
        Assert.Contains("CNAME chain", result.Reason, StringComparison.Ordinal);
        Assert.True(dns.Queries.Count < 40);
    }

    [Fact]
    public async Task Rfc7505_NullMx_IsNotFound()
    {
        var dns = EnumToMmsExampleNet().Records("mms.example.net", DnsRecordType.Mx, Mx("mms.example.net", 0, ""));
        var result = await Router(dns).RouteAsync(Number);
        Assert.Equal(RouteStatus.NotFound, result.Status);
        Assert.Contains("null MX", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnumNxDomain_IsNotFound_404_NamingTheNumber()
    {
        var result = await Router(new FakeResolver()).RouteAsync(Number);
        Assert.Equal(RouteStatus.NotFound, result.Status);
        Assert.Equal(404, result.SipStatusCode);
        Assert.Contains(Number, result.Reason, StringComparison.Ordinal);
        Assert.Equal(Number, result.Msisdn);
    }

    [Fact]
    public async Task EnumServFail_IsDnsFailure_503()
    {
        var dns = new FakeResolver().Rcode(EnumDomain, DnsRecordType.Naptr, DnsResponseCode.ServFail);
        var result = await Router(dns).RouteAsync(Number);
        Assert.Equal(RouteStatus.DnsFailure, result.Status);
        Assert.Equal(503, result.SipStatusCode);
        Assert.Contains(Number, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MxTimeout_IsDnsFailure()
    {
        var dns = EnumToMmsExampleNet().Fails("mms.example.net", DnsRecordType.Mx, DnsResultStatus.Timeout);
        Assert.Equal(RouteStatus.DnsFailure, (await Router(dns).RouteAsync(Number)).Status);
    }

    [Fact]
    public async Task MailDomainNxDomain_IsNotFound()
    {
        var result = await Router(EnumToMmsExampleNet()).RouteAsync(Number);
        Assert.Equal(RouteStatus.NotFound, result.Status);
        Assert.Contains("mms.example.net", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MxHostsWithoutAddresses_AreNotFound_ButAFailingLookupIsDnsFailure()
    {
        var noAddress = EnumToMmsExampleNet().Records("mms.example.net", DnsRecordType.Mx, Mx("mms.example.net", 10, "ghost.example.net"));
        Assert.Equal(RouteStatus.NotFound, (await Router(noAddress).RouteAsync(Number)).Status);

        var failing = EnumToMmsExampleNet().Records("mms.example.net", DnsRecordType.Mx, Mx("mms.example.net", 10, "slow.example.net"))
            .Fails("slow.example.net", DnsRecordType.A, DnsResultStatus.Timeout);
        Assert.Equal(RouteStatus.DnsFailure, (await Router(failing).RouteAsync(Number)).Status);
    }

    [Fact]
    public async Task OneMxHostFailing_DoesNotHideTheOthers()
    {
        var dns = EnumToMmsExampleNet()
            .Records("mms.example.net", DnsRecordType.Mx, Mx("mms.example.net", 10, "slow.example.net"), Mx("mms.example.net", 20, "ok.example.net"))
            .Fails("slow.example.net", DnsRecordType.A, DnsResultStatus.Timeout)
            .Records("ok.example.net", DnsRecordType.A, A("ok.example.net", "192.0.2.7"));
        var result = await Router(dns).RouteAsync(Number);
        Assert.Equal(RouteStatus.Routed, result.Status);
        Assert.Equal("ok.example.net", Assert.Single(result.Relays).Host);
    }

    [Fact]
    public async Task StaticRoutes_ExactBeatsLongestPrefixBeatsShorterPrefix()
    {
        var options = Routes(
            ("+1555*", "short.example", "192.0.2.1:2525"),
            ("+15550*", "long.example", "192.0.2.2:2526"),
            ("+15550100002", "exact.example", "192.0.2.3"));
        var dns = new FakeResolver();
        var router = Router(dns, options);

        var exact = await router.RouteAsync("+1 555 010 0002");
        Assert.Equal((RouteSource.StaticMsisdn, "exact.example", "+15550100002/TYPE=PLMN@exact.example"), (exact.Source, exact.Domain, exact.RcptTo));
        Assert.Equal(new RelayEndpoint("192.0.2.3", [IPAddress.Parse("192.0.2.3")], 25, 0).ToString(), Assert.Single(exact.Relays).ToString());

        var longer = await router.RouteAsync("+15550100003");
        Assert.Equal((RouteSource.StaticPrefix, "long.example", 2526), (longer.Source, longer.Domain, longer.Relays[0].Port));

        var shorter = await router.RouteAsync("+15559999999");
        Assert.Equal((RouteSource.StaticPrefix, "short.example"), (shorter.Source, shorter.Domain));
        Assert.Empty(dns.Queries);
    }

    [Fact]
    public async Task StaticNumberRouteWithoutRelay_UsesTheMxOfItsDomain()
    {
        var dns = new FakeResolver()
            .Records("partner.example", DnsRecordType.Mx, Mx("partner.example", 10, "mx.partner.example"))
            .Records("mx.partner.example", DnsRecordType.A, A("mx.partner.example", "192.0.2.9"));
        var result = await Router(dns, Routes(("+44*", "partner.example", null))).RouteAsync("+447700900123");
        Assert.Equal(RouteStatus.Routed, result.Status);
        Assert.Equal("+447700900123/TYPE=PLMN@partner.example", result.RcptTo);
        Assert.Equal("mx.partner.example", result.Relays[0].Host);
        Assert.DoesNotContain(dns.Queries, q => q.Type == DnsRecordType.Naptr);
    }

    [Fact]
    public async Task DomainRoute_AppliesToTheRecipientsDomain_AndToTheEnumDomain()
    {
        var options = Routes(("mms.example.net", "mms.partner.example", "relay.partner.example:2525"));
        var dns = EnumToMmsExampleNet().Records("relay.partner.example", DnsRecordType.A, A("relay.partner.example", "192.0.2.33"));
        var router = Router(dns, options);

        var byAddress = await router.RouteAsync("+447700900123/TYPE=PLMN@MMS.example.net");
        Assert.Equal(RouteSource.StaticDomain, byAddress.Source);
        Assert.Equal("+447700900123/TYPE=PLMN@mms.partner.example", byAddress.RcptTo);
        Assert.Equal(("relay.partner.example", 2525), (byAddress.Relays[0].Host, byAddress.Relays[0].Port));

        var byEnum = await router.RouteAsync(Number);
        Assert.Equal(RouteSource.Enum, byEnum.Source);
        Assert.Equal("+15550100002/TYPE=PLMN@mms.partner.example", byEnum.RcptTo);
        Assert.Equal([IPAddress.Parse("192.0.2.33")], byEnum.Relays[0].Addresses.ToArray());
    }

    [Fact]
    public async Task MailboxRecipient_UsesItsOwnDomain_WithoutEnum()
    {
        var dns = new FakeResolver()
            .Records("mms.other.example", DnsRecordType.Mx, Mx("mms.other.example", 10, "mx.other.example"))
            .Records("mx.other.example", DnsRecordType.A, A("mx.other.example", "192.0.2.8"));
        var result = await Router(dns).RouteAsync("alice@mms.other.example");
        Assert.Equal(RouteSource.RecipientDomain, result.Source);
        Assert.Equal("alice@mms.other.example", result.RcptTo);
        Assert.DoesNotContain(dns.Queries, q => q.Type == DnsRecordType.Naptr);
    }

    [Fact]
    public async Task SmtpPort_IsConfigurable()
    {
        var dns = EnumToMmsExampleNet().Records("mms.example.net", DnsRecordType.A, A("mms.example.net", "192.0.2.80"));
        var result = await Router(dns, new RoutingOptions { SmtpPort = 2525 }).RouteAsync(Number);
        Assert.Equal(2525, result.Relays[0].Port);
    }

    [Fact]
    public async Task EnumOff_NumberWithoutStaticRoute_IsNotFound()
    {
        var dns = EnumToMmsExampleNet();
        var result = await Router(dns, new RoutingOptions { UseEnum = false }).RouteAsync(Number);
        Assert.Equal(RouteStatus.NotFound, result.Status);
        Assert.Empty(dns.Queries);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("@mms.example.net")]
    [InlineData("a@b@")]
    public async Task GarbageRecipient_IsNotFound(string recipient)
    {
        var result = await Router(new FakeResolver()).RouteAsync(recipient);
        Assert.Equal(RouteStatus.NotFound, result.Status);
    }

    [Fact]
    public async Task EveryStep_IsLoggedAtDebug()
    {
        var logger = new ListLogger<Mm4Router>();
        var dns = EnumToMmsExampleNet()
            .Records("mms.example.net", DnsRecordType.Mx, Mx("mms.example.net", 10, "mmsc.mms.example.net"))
            .Records("mmsc.mms.example.net", DnsRecordType.A, A("mmsc.mms.example.net", "192.0.2.25"));
        await Router(dns, logger: logger).RouteAsync(Number);
        var debug = logger.Entries.Where(e => e.Level == LogLevel.Debug).Select(e => e.Message).ToList();
        Assert.Contains(debug, m => m.Contains("ENUM Mailto", StringComparison.Ordinal));
        Assert.Contains(debug, m => m.Contains("MX mms.example.net", StringComparison.Ordinal));
        Assert.Contains(debug, m => m.Contains("address mmsc.mms.example.net", StringComparison.Ordinal) && m.Contains("192.0.2.25", StringComparison.Ordinal));
        Assert.Contains(debug, m => m.Contains("Routed via Enum", StringComparison.Ordinal));
    }
}

public class RoutingOptionsTests
{
    [Fact]
    public void Validate_NamesTheKeyOfEachBadRoute()
    {
        var options = new RoutingOptions { SmtpPort = 0 };
        options.Routes.Add(new RouteEntry { Key = "15550100002", Domain = "x.example" });
        options.Routes.Add(new RouteEntry { Key = "+1555*" });
        options.Routes.Add(new RouteEntry { Key = "mms.example.net", Relay = "relay:99999" });
        options.Routes.Add(new RouteEntry { Key = "other.example" });
        var errors = options.Validate();
        Assert.Contains(errors, e => e.StartsWith("Routing:Routes:0:Key = '15550100002'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Routing:Routes:1:Domain is required", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Routing:Routes:2:Relay = 'relay:99999'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Routing:Routes:3 ('other.example') needs a Domain or a Relay", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Routing:SmtpPort = 0", StringComparison.Ordinal));
        Assert.Equal(5, errors.Count);
    }

    [Theory]
    [InlineData("mmsc.example:2525", "mmsc.example", 2525)]
    [InlineData("mmsc.example", "mmsc.example", 25)]
    [InlineData("192.0.2.1:26", "192.0.2.1", 26)]
    [InlineData("[2001:db8::1]:587", "2001:db8::1", 587)]
    [InlineData("[2001:db8::1]", "2001:db8::1", 25)]
    public void Relay_ParsesHostAndPort(string text, string host, int port)
    {
        Assert.True(RoutingOptions.TryParseRelay(text, 25, out var h, out var p));
        Assert.Equal((host, port), (h, p));
    }

    [Theory]
    [InlineData("+15550100002", RouteKeyKind.Msisdn, "+15550100002")]
    [InlineData("+1 555*", RouteKeyKind.Prefix, "+1555")]
    [InlineData("MMS.Example.NET", RouteKeyKind.Domain, "mms.example.net")]
    public void RouteKeys_AreClassified(string text, RouteKeyKind kind, string value)
    {
        Assert.True(RouteKey.TryParse(text, out var key));
        Assert.Equal(new RouteKey(kind, value), key);
    }
}

public class GprsDomainTests
{
    [Theory]
    [InlineData("310", "26", "mms.mnc026.mcc310.gprs")]
    [InlineData("234", "15", "mms.mnc015.mcc234.gprs")]
    [InlineData("310", "410", "mms.mnc410.mcc310.gprs")]
    [InlineData("001", "01", "mms.mnc001.mcc001.gprs")]
    public void Ts23003_MmsDomain_PadsTwoDigitMnc(string mcc, string mnc, string expected) =>
        Assert.Equal(expected, GprsDomain.BuildMmsDomain(mcc, mnc));

    [Theory]
    [InlineData("31", "26")]
    [InlineData("310", "4")]
    [InlineData("310", "1234")]
    [InlineData("3a0", "26")]
    [InlineData("310", "")]
    public void BadMccOrMnc_IsRefused(string mcc, string mnc)
    {
        Assert.False(GprsDomain.TryBuildMmsDomain(mcc, mnc, out _));
        Assert.Throws<ArgumentException>(() => GprsDomain.BuildMmsDomain(mcc, mnc));
    }
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Cpm.Interwork.Gateway.Tests.Support;
using Cpm.Interwork.Sip.Stack.Tests.Support;

namespace Cpm.Interwork.Gateway.Tests.Interworking;

/// <summary>
/// The real peers of the CPM→MMS end-to-end tests, started once for the collection:
/// dnsmasq (ENUM NAPTR + MX, UDP 15253), Postfix (relay, SMTP 15252, refuses +15550100090 at RCPT), the test MMSE
/// (node smtp-server + mailparser + nodemailer, SMTP 15254), Kamailio (stateful proxy, 15256; numbers +1555020… go to the
/// second gateway) and the gateway process gw1 (SIP 15065, HTTP 18086, SMTP 15251, MMSE domain mms.gw1.example).
/// The second gateway (gw2: SIP 15067, HTTP 18087, SMTP 15255) is started and killed by the restart test itself.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InterworkPeers : IAsyncLifetime
{
    public const int DnsPort = 15253;
    public const int PostfixPort = 15252;
    public const int MmsePort = 15254;
    public const int KamailioPort = 15256;
    public const int Gw1Smtp = 15251;
    public const int Gw2Smtp = 15255;
    public const int Gw1Sip = 15065;
    public const int Gw2Sip = 15067;
    public const string Gw1Domain = "mms.gw1.example";
    public const string Gw2Domain = "mms.gw2.example";
    public const string RefusedNumber = "+15550100090";
    public const string UnroutedNumber = "+15550109999";

    /// <summary>Static route straight to the test MMSE, which refuses its first RCPT with 451.</summary>
    public const string TransientNumber = "+15550100070";

    /// <summary>Its ENUM name is forwarded by dnsmasq to a dead server (127.0.0.1:15258): the lookup times out.</summary>
    public const string DnsFailureNumber = "+15550100073";

    /// <summary>Static route to a closed port (15259): every connection fails.</summary>
    public const string UnreachableNumber = "+15550100071";

    /// <summary>Per-number MMSE behaviour: the X-Mms-Request-Status-Code of its RES, "none" (no RES) or "delay:MS".</summary>
    public static readonly IReadOnlyDictionary<string, string> MmseRules = new Dictionary<string, string>
    {
        ["+15550100020"] = "Ok",
        ["+15550100021"] = "Error-unspecified",
        ["+15550100022"] = "Error-service-denied",
        ["+15550100023"] = "Error-message-format-corrupt",
        ["+15550100024"] = "Error-sending-address-unresolved",
        ["+15550100025"] = "Error-message-not-found",
        ["+15550100026"] = "Error-network-problem",
        ["+15550100027"] = "Error-content-not-accepted",
        ["+15550100028"] = "Error-unsupported-message",
        ["+15550100029"] = "Error-transient-failure",
        ["+15550100030"] = "Error-permanent-failure",
        ["+15550100040"] = "none",
        ["+15550100041"] = "delay:7000",
        ["+15550200001"] = "delay:7000",
        ["+15550100070"] = "rcpt451once",
    };

    private readonly List<IDisposable> _peers = [];
    private DirectoryInfo _dir = null!;

    internal PeerProcess Dnsmasq { get; private set; } = null!;

    internal PeerProcess Postfix { get; private set; } = null!;

    internal PeerProcess Mmse { get; private set; } = null!;

    internal PeerProcess Kamailio { get; private set; } = null!;

    internal GatewayProcess Gateway1 { get; private set; } = null!;

    public string Directory => _dir.FullName;

    /// <summary>Numbers with an ENUM record: +155501000NN (NN 01–60: 50–59 on mms.example.org, the rest on mms.example.net), +15550100090, +15550200001–09.</summary>
    public static IEnumerable<(string Number, string Domain)> EnumNumbers()
    {
        for (var n = 1; n <= 60; n++)
        {
            yield return ("+155501000" + n.ToString("00", CultureInfo.InvariantCulture), n is >= 50 and <= 59 ? "mms.example.org" : "mms.example.net");
        }

        yield return (RefusedNumber, "mms.example.net");
        for (var n = 1; n <= 9; n++)
        {
            yield return ("+1555020000" + n.ToString(CultureInfo.InvariantCulture), "mms.example.net");
        }
    }

    public static string EnumDomain(string number) => string.Join('.', number.TrimStart('+').Reverse()) + ".e164.arpa";

    public async Task InitializeAsync()
    {
        _dir = System.IO.Directory.CreateTempSubdirectory("cpm-e2e-");
        File.SetUnixFileMode(_dir.FullName, (UnixFileMode)0b111_101_101);
        await Task.WhenAll(StartDnsmasqAsync(), StartPostfixAsync(), StartMmseAsync(), StartKamailioAsync());
        Gateway1 = await GatewayProcess.StartAsync(Gw1Sip, 18086, GatewayArguments(Gw1Domain, Gw1Smtp, Path.Combine(_dir.FullName, "gw1.db"), "00:00:04"));
        _peers.Add(Gateway1);
    }

    /// <summary>The gateway's settings for these peers: its MMSE domain, SMTP listener, ENUM through dnsmasq, MX relays at Postfix.</summary>
    public static string[] GatewayArguments(string domain, int smtpPort, string store, string responseWait) =>
    [
        "--Mm4:Domains:0=" + domain,
        "--Smtp:Listen:0=127.0.0.1:" + smtpPort.ToString(CultureInfo.InvariantCulture),
        "--Dns:Servers:0=127.0.0.1:" + DnsPort.ToString(CultureInfo.InvariantCulture),
        "--Dns:Timeout=00:00:01",
        "--Routing:SmtpPort=" + PostfixPort.ToString(CultureInfo.InvariantCulture),
        "--Store:Path=" + store,
        "--Interwork:ResponseWait=" + responseWait,
        "--Interwork:TrustPAssertedIdentity=true",
        "--Interwork:LeaseDuration=" + (TimeSpan.Parse(responseWait, CultureInfo.InvariantCulture) + TimeSpan.FromSeconds(5)).ToString("c", CultureInfo.InvariantCulture),
        "--Interwork:WorkerPollInterval=00:00:00.200",
        "--Smtp:Client:HeloName=" + domain,
        "--Routing:Routes:0:Key=" + TransientNumber, "--Routing:Routes:0:Domain=mms.example.net", "--Routing:Routes:0:Relay=127.0.0.1:" + MmsePort.ToString(CultureInfo.InvariantCulture),
        "--Routing:Routes:1:Key=" + UnreachableNumber, "--Routing:Routes:1:Domain=mms.example.net", "--Routing:Routes:1:Relay=127.0.0.1:15259",
    ];

    public Task DisposeAsync()
    {
        foreach (var peer in Enumerable.Reverse(_peers))
        {
            peer.Dispose();
        }

        try
        {
            _dir.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return Task.CompletedTask;
    }

    /// <summary>Every MM4 mail the test MMSE received, parsed from its JSON lines.</summary>
    public IReadOnlyList<JsonElement> MmseRequests() => MmseEvents("req");

    public IReadOnlyList<JsonElement> MmseEvents(string kind)
    {
        var list = new List<JsonElement>();
        foreach (var line in Mmse.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.GetProperty("event").GetString() == kind)
            {
                list.Add(doc.RootElement.Clone());
            }
        }

        return list;
    }

    /// <summary>The MM4_forward.REQs whose RCPT TO holds <paramref name="number"/>, waiting up to <paramref name="timeout"/> for at least one.</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForRequestsAsync(string number, TimeSpan timeout, int atLeast = 1)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = MmseRequests().Where(r => r.GetProperty("numbers").EnumerateArray().Any(n => n.GetString() == number)).ToList();
            if (found.Count >= atLeast || DateTime.UtcNow > deadline)
            {
                return found;
            }

            await Task.Delay(100);
        }
    }

    private async Task StartDnsmasqAsync()
    {
        var args = new List<string>
        {
            "--keep-in-foreground", "--port=" + DnsPort.ToString(CultureInfo.InvariantCulture), "--listen-address=127.0.0.1", "--bind-interfaces",
            "--no-resolv", "--no-hosts", "--pid-file=", "--log-facility=-", "--local=/e164.arpa/", "--local=/example.net/", "--local=/example.org/",
            "--mx-host=mms.example.net,mmsc.mms.example.net,10", "--host-record=mmsc.mms.example.net,127.0.0.1",
            "--server=/" + EnumDomain(DnsFailureNumber) + "/127.0.0.1#15258",
            "--mx-host=mms.example.org,mmsc.mms.example.org,10", "--host-record=mmsc.mms.example.org,127.0.0.1",
        };
        foreach (var (number, domain) in EnumNumbers())
        {
            args.Add($"--naptr-record={EnumDomain(number)},100,10,u,E2U+mms:mailto,!^.*$!mailto:{number}/TYPE=PLMN@{domain}!");
        }

        Dnsmasq = PeerProcess.Start("dnsmasq", args, _dir.FullName);
        _peers.Add(Dnsmasq);
        if (!await Dnsmasq.WaitForOutputAsync("started", TimeSpan.FromSeconds(20)))
        {
            throw new InvalidOperationException("dnsmasq did not start:\n" + Dnsmasq.Output);
        }
    }

    private async Task StartPostfixAsync()
    {
        var root = Path.Combine(_dir.FullName, "postfix");
        var conf = Path.Combine(root, "conf");
        var data = Path.Combine(root, "data");
        var queue = Path.Combine(root, "queue");
        foreach (var d in new[] { root, conf, data, queue })
        {
            System.IO.Directory.CreateDirectory(d);
            File.SetUnixFileMode(d, (UnixFileMode)0b111_101_101);
        }

        var refuse = Path.Combine(conf, "refuse.regexp");
        await File.WriteAllTextAsync(refuse, "/^\\" + RefusedNumber + "\\// REJECT recipient refused by the test relay policy\n");
        var mmse = MmsePort.ToString(CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(Path.Combine(conf, "main.cf"), $"""
            compatibility_level = 3.6
            queue_directory = {queue}
            data_directory = {data}
            mail_owner = postfix
            setgid_group = postdrop
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            myhostname = relay.test
            mydestination =
            local_recipient_maps =
            alias_maps =
            alias_database =
            mynetworks = 127.0.0.0/8
            smtpd_relay_restrictions = check_recipient_access regexp:{refuse}, permit_mynetworks, reject
            relayhost = [127.0.0.1]:{mmse}
            smtp_dns_support_level = disabled
            smtputf8_enable = no
            local_header_rewrite_clients =
            append_at_myorigin = no
            append_dot_mydomain = no
            swap_bangpath = no
            allow_percent_hack = no
            maillog_file = /dev/stdout
            minimal_backoff_time = 1s
            maximal_backoff_time = 2s
            queue_run_delay = 1s
            """);
        await File.WriteAllTextAsync(Path.Combine(conf, "master.cf"), Cpm.Interwork.TestPeers.PostfixConfig.MasterCf(PostfixPort));
        using (var check = PeerProcess.Start("postfix", ["-c", conf, "check"], root))
        {
            if (!await check.WaitForExitAsync(TimeSpan.FromSeconds(30)) || check.ExitCode != 0)
            {
                throw new InvalidOperationException("postfix check failed:\n" + check.Output);
            }
        }

        using (var chown = PeerProcess.Start("chown", ["-R", "postfix", data], root))
        {
            await chown.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        Postfix = PeerProcess.Start("/usr/lib/postfix/sbin/master", ["-c", conf, "-d"], root, new Dictionary<string, string> { ["MAIL_CONFIG"] = conf });
        _peers.Add(Postfix);
        await WaitForTcpAsync(PostfixPort, Postfix, "postfix");
    }

    private async Task StartMmseAsync()
    {
        var config = Path.Combine(_dir.FullName, "mmse.json");
        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["port"] = MmsePort,
            ["gateways"] = new Dictionary<string, string>
            {
                [Gw1Domain] = "127.0.0.1:" + Gw1Smtp.ToString(CultureInfo.InvariantCulture),
                [Gw2Domain] = "127.0.0.1:" + Gw2Smtp.ToString(CultureInfo.InvariantCulture),
            },
            ["rules"] = MmseRules,
        });
        await File.WriteAllTextAsync(config, json);
        var script = Path.Combine(AppContext.BaseDirectory, "Peers", "mmse.js");
        Mmse = PeerProcess.Start("node", [script, config], _dir.FullName, new Dictionary<string, string> { ["NODE_PATH"] = NodeModules() });
        _peers.Add(Mmse);
        if (!await Mmse.WaitForOutputAsync("\"listening\"", TimeSpan.FromSeconds(20)))
        {
            throw new InvalidOperationException("test MMSE did not start:\n" + Mmse.Output);
        }
    }

    private async Task StartKamailioAsync()
    {
        var dir = System.IO.Directory.CreateDirectory(Path.Combine(_dir.FullName, "kamailio")).FullName;
        var config = (await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Scenarios", "kamailio-interwork.cfg")))
            .Replace("__LISTEN_PORT__", KamailioPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("__GW1_PORT__", Gw1Sip.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("__GW2_PORT__", Gw2Sip.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var path = Path.Combine(dir, "kamailio.cfg");
        await File.WriteAllTextAsync(path, config);
        Kamailio = PeerProcess.Start("kamailio", ["-f", path, "-DD", "-E", "-Y", dir, "-w", dir], dir);
        _peers.Add(Kamailio);
        await WaitForKamailioAsync();
    }

    /// <summary>node_modules of tests/peers/node (installed by tests/peers/install.sh).</summary>
    private static string NodeModules()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cpm.Interwork.sln")))
        {
            dir = dir.Parent;
        }

        var modules = Path.Combine(dir?.FullName ?? ".", "tests", "peers", "node", "node_modules");
        return System.IO.Directory.Exists(Path.Combine(modules, "smtp-server"))
            ? modules
            : throw new InvalidOperationException("node peers missing: run bash tests/peers/install.sh (" + modules + ")");
    }

    private static async Task WaitForTcpAsync(int port, PeerProcess process, string name)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException(name + " did not listen on " + port.ToString(CultureInfo.InvariantCulture) + ":\n" + process.Output);
    }

    private async Task WaitForKamailioAsync()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        for (var i = 0; DateTime.UtcNow < deadline && !Kamailio.HasExited; i++)
        {
            var options = Encoding.ASCII.GetBytes(
                $"OPTIONS sip:probe@127.0.0.1:{KamailioPort} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK-probe{i}\r\nMax-Forwards: 70\r\n" +
                $"From: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:probe@127.0.0.1>\r\nCall-ID: probe{i}@e2e\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
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

        throw new InvalidOperationException("kamailio did not start:\n" + Kamailio.Output);
    }
}

[CollectionDefinition(Name)]
public sealed class InterworkPeersGroup : ICollectionFixture<InterworkPeers>
{
    public const string Name = "CPM→MMS end to end";
}

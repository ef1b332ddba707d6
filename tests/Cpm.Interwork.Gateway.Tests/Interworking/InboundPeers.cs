using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Cpm.Interwork.Gateway.Tests.Support;
using Cpm.Interwork.Sip.Stack.Tests.Support;

namespace Cpm.Interwork.Gateway.Tests.Interworking;

/// <summary>
/// The real peers of the MMS→CPM tests, started once for the collection: the gateway (SIP 15101, HTTP 15199, SMTP 25300,
/// MMSE domain mms.inbound.example, outbound proxy Kamailio), Kamailio (stateful proxy, UDP+TCP 15110) relaying by called
/// number to four SIPp UAS (15111 checks CPIM and answers 200; 15112 answers 404; 15113 answers 480 to its first MESSAGE
/// and 200 after; 15114 never answers), Postfix (SMTP 25302, relays to the gateway) and the originating test MMSE
/// (node smtp-server + mailparser + nodemailer, SMTP 25301, the static route of mms.example.net) which answers
/// MM4_delivery_report.REQ with MM4_delivery_report.RES.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InboundPeers : IAsyncLifetime
{
    public const int GatewaySip = 15101;
    public const int GatewayHttp = 15199;
    public const int GatewaySmtp = 25300;
    public const int MmsePort = 25301;
    public const int PostfixPort = 25302;
    public const int KamailioPort = 15110;
    public const int Uas200 = 15111;
    public const int Uas404 = 15112;
    public const int Uas480 = 15113;
    public const int UasSilent = 15114;
    public const string Domain = "mms.inbound.example";

    private readonly List<IDisposable> _peers = [];
    private DirectoryInfo _dir = null!;

    internal GatewayProcess Gateway { get; private set; } = null!;

    internal PeerProcess Mmse { get; private set; } = null!;

    internal PeerProcess Kamailio { get; private set; } = null!;

    public string Directory => _dir.FullName;

    /// <summary>What the SIPp UAS on <paramref name="port"/> received (its -trace_msg file), as UTF-8.</summary>
    public string SippMessages(int port)
    {
        var path = Path.Combine(_dir.FullName, "uas-" + port.ToString(CultureInfo.InvariantCulture) + ".msg");
        if (!File.Exists(path)) { return string.Empty; }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>The received MESSAGE requests (one string each) of one UAS whose text contains <paramref name="marker"/>.</summary>
    public IReadOnlyList<string> MessagesTo(int port, string marker) =>
        SippMessages(port).Split("MESSAGE sip:", StringSplitOptions.RemoveEmptyEntries).Where(m => m.Contains(marker, StringComparison.Ordinal)).ToList();

    public static string[] GatewayArguments(string store) =>
    [
        "--Mm4:Domains:0=" + Domain,
        "--Smtp:Listen:0=127.0.0.1:" + GatewaySmtp.ToString(CultureInfo.InvariantCulture),
        "--Store:Path=" + store,
        "--Ims:Domain=ims.example.net",
        "--Ims:OutboundProxy=sip:127.0.0.1:" + KamailioPort.ToString(CultureInfo.InvariantCulture),
        "--Sip:T1Milliseconds=50",
        "--Sip:T2Milliseconds=400",
        "--Mm4:ResponseWait=00:00:02",
        "--Mm4:LeaseDuration=00:00:10",
        "--Ims:Retry:InitialDelay=00:00:01",
        "--Ims:Retry:MaxDelay=00:00:02",
        "--Ims:Retry:MaxAttempts=3",
        "--Ims:Retry:Jitter=0",
        "--Cpm:PagerModeMaxBytes=8192",
        "--Routing:UseEnum=false",
        "--Routing:Routes:0:Key=mms.example.net",
        "--Routing:Routes:0:Relay=127.0.0.1:" + MmsePort.ToString(CultureInfo.InvariantCulture),
        "--Interwork:WorkerPollInterval=00:00:00.200",
        "--Smtp:Client:HeloName=" + Domain,
        "--Logging:MaskNumbers=false",
    ];

    public async Task InitializeAsync()
    {
        _dir = System.IO.Directory.CreateTempSubdirectory("cpm-inbound-");
        File.SetUnixFileMode(_dir.FullName, (UnixFileMode)0b111_101_101);
        await Task.WhenAll(StartKamailioAsync(), StartMmseAsync(), StartPostfixAsync(),
            StartUasAsync("inbound-uas-200.xml", Uas200), StartUasAsync("inbound-uas-404.xml", Uas404),
            StartUasAsync("inbound-uas-480-200.xml", Uas480), StartUasAsync("inbound-uas-silent.xml", UasSilent));
        Gateway = await GatewayProcess.StartAsync(GatewaySip, GatewayHttp, GatewayArguments(Path.Combine(_dir.FullName, "gw.db")));
        _peers.Add(Gateway);
    }

    /// <summary>Kills the gateway process (no graceful stop) and starts it again on the same store.</summary>
    internal async Task RestartGatewayAsync()
    {
        _peers.Remove(Gateway);
        Gateway.Dispose();
        Gateway = await GatewayProcess.StartAsync(GatewaySip, GatewayHttp, GatewayArguments(Path.Combine(_dir.FullName, "gw.db")));
        _peers.Add(Gateway);
    }

    public Task DisposeAsync()
    {
        foreach (var peer in Enumerable.Reverse(_peers)) { peer.Dispose(); }
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

    /// <summary>Mails the test MMSE received (JSON lines with event "mail").</summary>
    public IReadOnlyList<JsonElement> MmseMails(string? messageType = null)
    {
        var list = new List<JsonElement>();
        foreach (var line in Mmse.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith('{')) { continue; }
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.GetProperty("event").GetString() != "mail") { continue; }
            if (messageType is not null && !string.Equals(Mms(root, "x-mms-message-type"), messageType, StringComparison.OrdinalIgnoreCase)) { continue; }
            list.Add(root.Clone());
        }

        return list;
    }

    public static string? Mms(JsonElement mail, string header) =>
        mail.GetProperty("mms").TryGetProperty(header, out var v) ? v.GetString() : null;

    /// <summary>Waits until the MMSE holds at least <paramref name="count"/> mails of the type about X-Mms-Message-ID <paramref name="messageId"/>.</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForMailsAsync(string messageType, string messageId, TimeSpan timeout, int count = 1)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = MmseMails(messageType).Where(m => Mms(m, "x-mms-message-id") == messageId).ToList();
            if (found.Count >= count || DateTime.UtcNow > deadline) { return found; }
            await Task.Delay(100);
        }
    }

    private async Task StartUasAsync(string scenario, int port)
    {
        var uas = PeerProcess.Start("sipp", [
            "-sf", Path.Combine(AppContext.BaseDirectory, "Scenarios", scenario), "-i", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture),
            "-t", "u1", "-m", "100000", "-nostdin", "-trace_msg", "-message_file", Path.Combine(_dir.FullName, "uas-" + port.ToString(CultureInfo.InvariantCulture) + ".msg"),
            "-trace_err", "-error_file", Path.Combine(_dir.FullName, "uas-" + port.ToString(CultureInfo.InvariantCulture) + ".err")], _dir.FullName);
        _peers.Add(uas);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline && !uas.HasExited)
        {
            try
            {
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            }
            catch (SocketException)
            {
                return; // SIPp holds the port
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("SIPp UAS " + scenario + " did not start:\n" + uas.Output);
    }

    private async Task StartMmseAsync()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Peers", "inbound-mmse.js");
        Mmse = PeerProcess.Start("node", [script, MmsePort.ToString(CultureInfo.InvariantCulture), "127.0.0.1:" + GatewaySmtp.ToString(CultureInfo.InvariantCulture)],
            _dir.FullName, new Dictionary<string, string> { ["NODE_PATH"] = NodeModules() });
        _peers.Add(Mmse);
        if (!await Mmse.WaitForOutputAsync("\"listening\"", TimeSpan.FromSeconds(20)))
        {
            throw new InvalidOperationException("test MMSE did not start:\n" + Mmse.Output);
        }
    }

    private async Task StartKamailioAsync()
    {
        var dir = System.IO.Directory.CreateDirectory(Path.Combine(_dir.FullName, "kamailio")).FullName;
        var config = (await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Scenarios", "inbound-kamailio.cfg")))
            .Replace("__PORT__", KamailioPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("__UAS200__", Uas200.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("__UAS404__", Uas404.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("__UAS480__", Uas480.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("__UASSILENT__", UasSilent.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var path = Path.Combine(dir, "kamailio.cfg");
        await File.WriteAllTextAsync(path, config);
        Kamailio = PeerProcess.Start("kamailio", ["-f", path, "-DD", "-E", "-Y", dir, "-w", dir], dir);
        _peers.Add(Kamailio);
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var local = ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        for (var i = 0; DateTime.UtcNow < deadline && !Kamailio.HasExited; i++)
        {
            var options = Encoding.ASCII.GetBytes(
                $"OPTIONS sip:probe@127.0.0.1:{KamailioPort} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{local};branch=z9hG4bK-inprobe{i}\r\nMax-Forwards: 70\r\n" +
                $"From: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:probe@127.0.0.1>\r\nCall-ID: inprobe{i}@inbound\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
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

        await File.WriteAllTextAsync(Path.Combine(conf, "main.cf"), $"""
            compatibility_level = 3.6
            queue_directory = {queue}
            data_directory = {data}
            mail_owner = postfix
            setgid_group = postdrop
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            myhostname = relay.inbound.test
            mydestination =
            local_recipient_maps =
            alias_maps =
            alias_database =
            mynetworks = 127.0.0.0/8
            smtpd_relay_restrictions = permit_mynetworks, reject
            relayhost = [127.0.0.1]:{GatewaySmtp}
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

        var postfix = PeerProcess.Start("/usr/lib/postfix/sbin/master", ["-c", conf, "-d"], root, new Dictionary<string, string> { ["MAIL_CONFIG"] = conf });
        _peers.Add(postfix);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline && !postfix.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, PostfixPort);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException("postfix did not listen:\n" + postfix.Output);
    }

    internal static string NodeModules()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cpm.Interwork.sln"))) { dir = dir.Parent; }
        var modules = Path.Combine(dir?.FullName ?? ".", "tests", "peers", "node", "node_modules");
        return System.IO.Directory.Exists(Path.Combine(modules, "smtp-server"))
            ? modules
            : throw new InvalidOperationException("node peers missing: run bash tests/peers/install.sh (" + modules + ")");
    }
}

[CollectionDefinition(Name)]
public sealed class InboundPeersGroup : ICollectionFixture<InboundPeers>
{
    public const string Name = "MMS→CPM end to end";
}

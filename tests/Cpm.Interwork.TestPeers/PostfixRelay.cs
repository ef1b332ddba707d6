using System.Globalization;

namespace Cpm.Interwork.TestPeers;

/// <summary>A private Postfix (own config and queue in a temp dir) whose smtpd listens on
/// <c>smtpdPort</c> and relays everything to <c>127.0.0.1:relayPort</c>, rewriting nothing.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostfixRelay : IDisposable
{
    private readonly string _dir;
    private readonly PeerProcess _master;

    public PostfixRelay(int smtpdPort, int relayPort)
    {
        var postfix = PeerPaths.RequireExecutable("postfix");
        if (Environment.UserName != "root")
            throw new InvalidOperationException("The Postfix peer needs root: its master process drops privileges to user 'postfix' itself.");
        var master = PeerPaths.RequireExecutable("master");
        _dir = Path.Combine(Path.GetTempPath(), "cpm-postfix-" + Guid.NewGuid().ToString("N")[..8]);
        var conf = Path.Combine(_dir, "conf");
        var data = Path.Combine(_dir, "data");
        Directory.CreateDirectory(conf);
        Directory.CreateDirectory(Path.Combine(_dir, "queue"));
        Directory.CreateDirectory(data);
        // Postfix needs every directory up to its queue traversable by user postfix.
        foreach (var d in new[] { _dir, conf, Path.Combine(_dir, "queue") }) File.SetUnixFileMode(d, (UnixFileMode)0b111_101_101);
        File.WriteAllText(Path.Combine(conf, "main.cf"), string.Create(CultureInfo.InvariantCulture, $"""
            compatibility_level = 3.6
            queue_directory = {_dir}/queue
            data_directory = {data}
            mail_owner = postfix
            setgid_group = postdrop
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            myhostname = postfix.test
            mydestination =
            local_recipient_maps =
            alias_maps =
            alias_database =
            mynetworks = 127.0.0.0/8
            smtpd_relay_restrictions = permit_mynetworks, reject
            relayhost = [127.0.0.1]:{relayPort}
            smtp_dns_support_level = disabled
            smtputf8_enable = no
            local_header_rewrite_clients =
            append_at_myorigin = no
            append_dot_mydomain = no
            maillog_file = /dev/stdout
            """));
        File.WriteAllText(Path.Combine(conf, "master.cf"), PostfixConfig.MasterCf(smtpdPort));
        using (var check = new PeerProcess(postfix, ["-c", conf, "check"]))
        {
            if (check.WaitForExitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult() != 0)
                throw new InvalidOperationException("postfix check failed: " + check.StandardError);
        }

        using (var chown = new PeerProcess("chown", ["-R", "postfix", data])) chown.WaitForExitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        _master = new PeerProcess(master, ["-c", conf, "-d"], new Dictionary<string, string> { ["MAIL_CONFIG"] = conf });
        PeerPaths.WaitForPortAsync(smtpdPort, TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();
    }

    public string Log => _master.StandardError;

    public void Dispose()
    {
        _master.Dispose();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

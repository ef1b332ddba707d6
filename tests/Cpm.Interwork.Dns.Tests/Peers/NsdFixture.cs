using System.Globalization;
using System.Text;

namespace Cpm.Interwork.Dns.Tests.Peers;

/// <summary>
/// NSD on 127.0.0.1:15310 serving the zone "example.test" from a real zone file: SOA (MINIMUM 300),
/// NS, A records with their own TTLs, an MX, and "big" with 60 TXT records (over 512 octets, so a
/// UDP answer without EDNS comes back with TC=1). Runs in the foreground (-d) with its own config,
/// zone dir and pid file, no chroot and no user switch.
/// </summary>
public sealed class NsdFixture : IAsyncLifetime
{
    public const int Port = 15310;
    public const int BigCount = 60;

    private PeerProcess? _peer;
    private string _dir = "";

    public string Server => $"127.0.0.1:{Port}";

    public string Log => _peer?.Output ?? "";

    public async Task InitializeAsync()
    {
        _dir = Path.Combine(Path.GetTempPath(), "cpm-nsd-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        var zone = new StringBuilder("""
            $ORIGIN example.test.
            $TTL 3600
            @        IN SOA ns1.example.test. hostmaster.example.test. 2024010101 7200 3600 1209600 300
            @        IN NS  ns1.example.test.
            @        IN MX  10 mail.example.test.
            ns1      IN A   127.0.0.1
            mail 120 IN A   127.0.0.5
            www  600 IN A   192.0.2.80
            www  600 IN AAAA 2001:db8::80
            alias    IN CNAME www.example.test.

            """);
        for (var i = 1; i <= BigCount; i++)
        {
            zone.Append(CultureInfo.InvariantCulture, $"big IN TXT \"record {i:D2} of a large answer set\"\n");
        }

        await File.WriteAllTextAsync(Path.Combine(_dir, "example.test.zone"), zone.ToString());
        var conf = $"""
            server:
              ip-address: 127.0.0.1@{Port}
              port: {Port}
              username: ""
              chroot: ""
              zonesdir: "{_dir}"
              database: ""
              zonelistfile: "{_dir}/zone.list"
              xfrdfile: "{_dir}/xfrd.state"
              xfrdir: "{_dir}"
              pidfile: "{_dir}/nsd.pid"
              server-count: 1
              verbosity: 1
              hide-version: yes
            remote-control:
              control-enable: no
            zone:
              name: example.test
              zonefile: example.test.zone
            """;
        var confPath = Path.Combine(_dir, "nsd.conf");
        await File.WriteAllTextAsync(confPath, conf);
        _peer = await PeerProcess.StartAsync("nsd", ["-d", "-c", confPath], Port);
    }

    public Task DisposeAsync()
    {
        _peer?.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // a late write by the exiting server; the temp dir is unique per run
        }

        return Task.CompletedTask;
    }
}

namespace Cpm.Interwork.Dns.Tests.Peers;

/// <summary>
/// dnsmasq on 127.0.0.1:15301 answering ENUM NAPTR, MX and A locally (TTL 60); anything else under
/// e164.arpa or example.net is NXDOMAIN.
/// </summary>
public sealed class DnsmasqFixture : IAsyncLifetime
{
    public const int Port = 15301;
    public const string Number = "+15550100002";
    public const string EnumDomain = "2.0.0.0.0.1.0.5.5.5.1.e164.arpa";

    private PeerProcess? _peer;

    public string Server => $"127.0.0.1:{Port}";

    public string Log => _peer?.Output ?? "";

    public async Task InitializeAsync()
    {
        _peer = await PeerProcess.StartAsync("dnsmasq",
        [
            "--keep-in-foreground", $"--port={Port}", "--listen-address=127.0.0.1", "--bind-interfaces",
            "--no-resolv", "--no-hosts", "--pid-file=", "--log-queries", "--log-facility=-",
            "--local=/e164.arpa/", "--local=/example.net/", "--local=/carrier.example/", "--local-ttl=60",
            $"--naptr-record={EnumDomain},100,10,u,E2U+mms:mailto,!^.*$!mailto:+15550100002/TYPE=PLMN@mms.example.net!",
            $"--naptr-record={EnumDomain},100,20,u,E2U+sip,!^.*$!sip:+15550100002@ims.example.net!",
            "--naptr-record=3.0.0.0.0.1.0.5.5.5.1.e164.arpa,10,10,u,E2U+mms:tel,!^(.*)$!tel:\\1!",
            "--naptr-record=4.0.0.0.0.1.0.5.5.5.1.e164.arpa,100,10,u,E2U+MMS:MAILTO,!^\\+1555(.*)$!mailto:+1555\\1/TYPE=PLMN@mms.carrier.example!",
            "--mx-host=mms.example.net,mmsc.mms.example.net,10",
            "--host-record=mmsc.mms.example.net,127.0.0.1",
            "--host-record=mms.carrier.example,127.0.0.2",
        ], Port);
    }

    public Task DisposeAsync()
    {
        _peer?.Dispose();
        return Task.CompletedTask;
    }
}

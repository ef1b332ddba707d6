namespace Cpm.Interwork.Sip.Stack.Client;

/// <summary>Options of the SIP client (section <c>Ims</c> for the proxy and MTU limit; T1/T2/T4 from <c>Sip</c>).</summary>
public sealed class SipClientOptions
{
    /// <summary>Ims:OutboundProxy — where every request goes, e.g. <c>sip:127.0.0.1:15070;transport=tcp</c>. The transport parameter only says the proxy speaks it; the size rule picks UDP or TCP per request.</summary>
    public string OutboundProxy { get; set; } = string.Empty;

    /// <summary>Ims:UdpMaxBytes — requests at or above this size go over TCP (RFC 3261 §18.1.1: 1300 bytes when the path MTU is unknown).</summary>
    public int UdpMaxBytes { get; set; } = 1300;

    /// <summary>Ims:ForceTcp — send every request over TCP (the proxy does not take UDP).</summary>
    public bool ForceTcp { get; set; }

    /// <summary>Ims:LocalAddress — the address the client's sockets bind to and write in Via.</summary>
    public string LocalAddress { get; set; } = "127.0.0.1";

    /// <summary>Ims:ConnectTimeout — TCP connect limit; beyond it the attempt is a transport error.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan T1 { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan T2 { get; set; } = TimeSpan.FromSeconds(4);

    public TimeSpan T4 { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan TimerF => T1 * 64;

    public IReadOnlyList<string> Validate()
    {
        var e = new List<string>();
        if (!SipProxyAddress.TryParse(OutboundProxy, out _)) { e.Add($"Ims:OutboundProxy: '{OutboundProxy}' is not sip:host:port[;transport=udp|tcp] with an IP address (required)"); }
        if (UdpMaxBytes is < 200 or > 65_000) { e.Add("Ims:UdpMaxBytes: must be 200..65000"); }
        if (!System.Net.IPAddress.TryParse(LocalAddress, out _)) { e.Add($"Ims:LocalAddress: '{LocalAddress}' is not an IP address"); }
        if (ConnectTimeout <= TimeSpan.Zero || ConnectTimeout > TimeSpan.FromMinutes(1)) { e.Add("Ims:ConnectTimeout: must be > 0 and ≤ 1 min"); }
        return e;
    }
}

/// <summary>The outbound proxy: IP endpoint and the transport named in its URI (if any).</summary>
public sealed record SipProxyAddress(System.Net.IPEndPoint EndPoint, SipClientTransport? Transport)
{
    public static bool TryParse(string? uri, out SipProxyAddress? proxy)
    {
        proxy = null;
        if (uri is null || !uri.StartsWith("sip:", StringComparison.OrdinalIgnoreCase)) { return false; }
        var rest = uri[4..];
        var semi = rest.IndexOf(';', StringComparison.Ordinal);
        var hostPort = semi < 0 ? rest : rest[..semi];
        SipClientTransport? transport = null;
        if (semi >= 0)
        {
            foreach (var p in rest[(semi + 1)..].Split(';'))
            {
                var kv = p.Split('=', 2);
                if (kv.Length == 2 && kv[0].Trim().Equals("transport", StringComparison.OrdinalIgnoreCase))
                {
                    if (kv[1].Trim().Equals("tcp", StringComparison.OrdinalIgnoreCase)) { transport = SipClientTransport.Tcp; }
                    else if (kv[1].Trim().Equals("udp", StringComparison.OrdinalIgnoreCase)) { transport = SipClientTransport.Udp; }
                    else { return false; }
                }
            }
        }
        if (!System.Net.IPEndPoint.TryParse(hostPort, out var ep)) { return false; }
        if (ep.Port == 0) { ep.Port = 5060; }
        proxy = new SipProxyAddress(ep, transport);
        return true;
    }

    public override string ToString() => "sip:" + EndPoint.ToString() + (Transport switch { SipClientTransport.Tcp => ";transport=tcp", SipClientTransport.Udp => ";transport=udp", _ => string.Empty });
}

using System.Net;
using Cpm.Interwork.Sip.Stack.Transport;

namespace Cpm.Interwork.Sip.Stack.Tests;

public sealed class SipListenEndpointTests
{
    [Theory]
    [InlineData("udp:127.0.0.1:5060", SipTransportKind.Udp, "127.0.0.1", 5060)]
    [InlineData("tcp:0.0.0.0:15060", SipTransportKind.Tcp, "0.0.0.0", 15060)]
    [InlineData("udp:[::1]:5060", SipTransportKind.Udp, "::1", 5060)]
    [InlineData("TCP:[2001:db8::1]:5070", SipTransportKind.Tcp, "2001:db8::1", 5070)]
    [InlineData("udp:127.0.0.1:0", SipTransportKind.Udp, "127.0.0.1", 0)]
    public void Parses(string text, SipTransportKind transport, string address, int port)
    {
        Assert.True(SipListenEndpoint.TryParse(text, out var endpoint, out var problem), problem);
        Assert.Equal(new SipListenEndpoint(transport, new IPEndPoint(IPAddress.Parse(address), port)), endpoint);
    }

    [Theory]
    [InlineData("udp:foo", "is not ADDRESS:PORT")]
    [InlineData("udp:foo:5060", "is not ADDRESS:PORT ('foo' is not an IP address)")]
    [InlineData("sctp:127.0.0.1:5060", "has transport 'sctp' (only udp and tcp are supported)")]
    [InlineData("udp:127.0.0.1:70000", "is not ADDRESS:PORT ('70000' is not a port 0-65535)")]
    [InlineData("udp:::1:5060", "is not ADDRESS:PORT (IPv6 is written [ADDRESS]:PORT)")]
    [InlineData("127.0.0.1:5060", "has transport '127.0.0.1' (only udp and tcp are supported)")]
    [InlineData("", "is empty (expected udp:ADDRESS:PORT or tcp:ADDRESS:PORT)")]
    public void RejectsWithAProblemNamingTheFault(string text, string expected)
    {
        Assert.False(SipListenEndpoint.TryParse(text, out var endpoint, out var problem));
        Assert.Null(endpoint);
        Assert.Equal(expected, problem);
    }
}

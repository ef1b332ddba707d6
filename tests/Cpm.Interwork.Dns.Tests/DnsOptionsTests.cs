using System.Net;
using Cpm.Interwork.Dns.Client;

namespace Cpm.Interwork.Dns.Tests;

public class DnsOptionsTests
{
    [Theory]
    [InlineData("127.0.0.1:53", "127.0.0.1", 53)]
    [InlineData("[::1]:5353", "::1", 5353)]
    [InlineData(" 192.0.2.1:15300 ", "192.0.2.1", 15300)]
    public void ServerEntries_ParseAsAddressAndPort(string text, string address, int port)
    {
        Assert.True(DnsServerAddress.TryParse(text, out var ep));
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), ep);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("127.0.0.1")]
    [InlineData("::1:53")]
    [InlineData("[::1]")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("dns.example:53")]
    [InlineData("10.1:53")]
    public void BadServerEntries_AreRefused(string text) => Assert.False(DnsServerAddress.TryParse(text, out _));

    [Fact]
    public void Validate_NamesTheConfigKeyOfEachError()
    {
        var options = new DnsOptions { Timeout = TimeSpan.Zero, Attempts = 0, CacheMaxEntries = -1, MaxNegativeTtl = TimeSpan.FromSeconds(-1) };
        options.Servers.Add("127.0.0.1:53");
        options.Servers.Add("x");
        var errors = options.Validate();
        Assert.Contains("Dns:Servers:1 = 'x' is not ADDRESS:PORT (IPv6 as [ADDRESS]:PORT, port 1-65535)", errors);
        Assert.Contains(errors, e => e.StartsWith("Dns:Timeout = ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Dns:Attempts = 0", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Dns:CacheMaxEntries = -1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Dns:MaxNegativeTtl", StringComparison.Ordinal));
        Assert.Equal(5, errors.Count);
    }

    [Fact]
    public void Defaults_AreValid() => Assert.Empty(new DnsOptions().Validate());

    [Fact]
    public void ResolvConf_NameserversOnPort53_InFileOrder()
    {
        var servers = DnsServerAddress.ParseResolvConf("""
            # generated
            search example.net
            nameserver 192.0.2.53
            nameserver   2001:db8::53
            ; nameserver 10.0.0.1
            nameserver not-an-ip
            options edns0
            """);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("192.0.2.53"), 53), new IPEndPoint(IPAddress.Parse("2001:db8::53"), 53)], servers);
    }

    [Fact]
    public void EmptyServers_FallBackToResolvConf_ThenLoopback()
    {
        var path = Path.Combine(Path.GetTempPath(), $"resolv-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, "nameserver 192.0.2.99\n");
        try
        {
            Assert.Equal([IPEndPoint.Parse("192.0.2.99:53")], new DnsOptions { ResolvConfPath = path }.GetServerEndPoints());
            File.WriteAllText(path, "# nothing\n");
            Assert.Equal([IPEndPoint.Parse("127.0.0.1:53")], new DnsOptions { ResolvConfPath = path }.GetServerEndPoints());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void InvalidOptions_AreRefusedByTheClientConstructor()
    {
        var options = new DnsOptions();
        options.Servers.Add("nonsense");
        var ex = Assert.Throws<ArgumentException>(() => new DnsClient(options));
        Assert.Contains("Dns:Servers:0", ex.Message, StringComparison.Ordinal);
    }
}

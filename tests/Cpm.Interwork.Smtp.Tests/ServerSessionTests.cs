using System.Text;
using Cpm.Interwork.Smtp.Server;
using Cpm.Interwork.Smtp.Tests.Harness;

namespace Cpm.Interwork.Smtp.Tests;

public sealed class ServerFixture : IAsyncLifetime
{
    public const int Port = 25250;

    public RecordingSink Sink { get; } = new();

    public SmtpServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = new SmtpServer(
            new SmtpServerOptions
            {
                Listen = [$"127.0.0.1:{Port}"],
                LocalDomains = ["mms.gateway.example", "mms.mnc001.mcc001.gprs"],
                MaxMessageSize = 4096,
                MaxRecipients = 3,
                MaxErrors = 5,
                ServerName = "gw.example",
            },
            Sink);
        await Server.StartAsync(default);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The server driven line by line over TCP.</summary>
public class ServerSessionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static async Task<RawSmtpClient> Greeted()
    {
        var client = await RawSmtpClient.ConnectAsync(ServerFixture.Port);
        Assert.StartsWith("220 gw.example ESMTP", await client.ReadReplyAsync());
        return client;
    }

    private static async Task<RawSmtpClient> AfterEhlo()
    {
        var client = await Greeted();
        await client.SendAsync("EHLO client.example\r\n");
        await client.ReadReplyAsync();
        return client;
    }

    [Fact]
    public async Task Ehlo_advertises_pipelining_size_8bitmime_enhancedstatuscodes_and_no_starttls_without_certificate()
    {
        await using var client = await Greeted();
        await client.SendAsync("EHLO client.example\r\n");
        var reply = await client.ReadReplyAsync();
        Assert.Equal("250-gw.example greets client.example\n250-PIPELINING\n250-SIZE 4096\n250-8BITMIME\n250 ENHANCEDSTATUSCODES", reply);
    }

    [Fact]
    public async Task Rfc2920_a_pipelined_transaction_gets_its_replies_in_order_and_the_sink_gets_exact_bytes()
    {
        await using var client = await Greeted();
        var before = fixture.Sink.Messages.Count;
        await client.SendAsync(
            "EHLO client.example\r\nMAIL FROM:<+15550100001/TYPE=PLMN@mms.peer.example> BODY=8BITMIME SIZE=40\r\n" +
            "RCPT TO:<+15550100002/TYPE=PLMN@mms.gateway.example>\r\nRCPT TO:<\"odd user\"@MMS.Gateway.Example>\r\nDATA\r\n");
        Assert.StartsWith("250-gw.example", await client.ReadReplyAsync());
        Assert.Equal("250 2.1.0 Sender OK", await client.ReadReplyAsync());
        Assert.Equal("250 2.1.5 Recipient OK", await client.ReadReplyAsync());
        Assert.Equal("250 2.1.5 Recipient OK", await client.ReadReplyAsync());
        Assert.StartsWith("354 ", await client.ReadReplyAsync());
        await client.SendAsync(Encoding.Latin1.GetBytes("Subject: caf\u00e9\r\n\r\n..dot\r\n.\r\nQUIT\r\n"));
        Assert.Equal("250 2.0.0 Stored", await client.ReadReplyAsync());
        Assert.StartsWith("221 2.0.0", await client.ReadReplyAsync());
        var message = await fixture.Sink.WaitForAsync(before + 1, TimeSpan.FromSeconds(5));
        Assert.Equal("+15550100001/TYPE=PLMN@mms.peer.example", message.MailFrom);
        Assert.Equal(["+15550100002/TYPE=PLMN@mms.gateway.example", "\"odd user\"@MMS.Gateway.Example"], message.RcptTo);
        Assert.Equal(Encoding.Latin1.GetBytes("Subject: caf\u00e9\r\n\r\n.dot\r\n"), message.Data.ToArray());
        Assert.Equal("client.example", message.Helo);
        Assert.True(message.EightBitMime);
    }

    [Theory]
    [InlineData("someone@other.example")]
    [InlineData("+15550100002/TYPE=PLMN@mms.gateway.example.evil")]
    [InlineData("user@[127.0.0.1]")]
    [InlineData("a@sub.mms.gateway.example")]
    public async Task Never_an_open_relay_RCPT_outside_Mm4_Domains_is_550_5_7_1(string recipient)
    {
        await using var client = await AfterEhlo();
        await client.SendAsync($"MAIL FROM:<a@b.example>\r\nRCPT TO:<{recipient}>\r\nDATA\r\n");
        Assert.StartsWith("250 ", await client.ReadReplyAsync());
        Assert.Equal("550 5.7.1 Relay denied: not a local MMSE domain", await client.ReadReplyAsync());
        Assert.Equal("554 5.5.1 No valid recipients", await client.ReadReplyAsync());
    }

    [Theory]
    [InlineData("MAIL FROM:<a@b.example>", "503 5.5.1 Bad sequence of commands: send EHLO or HELO first")]
    [InlineData("RCPT TO:<a@mms.gateway.example>", "503 5.5.1 Bad sequence of commands")]
    [InlineData("DATA", "503 5.5.1 Bad sequence of commands")]
    [InlineData("XYZZY", "500 5.5.2 Syntax error, command unrecognized")]
    [InlineData("EHLO bad_name!", "501 5.5.4 Syntax error in parameters or arguments")]
    public async Task Commands_out_of_state_or_malformed_are_refused_with_clear_text(string command, string expected)
    {
        await using var client = await Greeted();
        await client.SendAsync(command + "\r\n");
        Assert.Equal(expected, await client.ReadReplyAsync());
    }

    [Theory]
    [InlineData("MAIL FROM:a@b.example", "501 5.1.7 Bad sender address syntax")]
    [InlineData("MAIL TO:<a@b.example>", "501 5.5.2 Syntax error: expected FROM:<path> or TO:<path>")]
    [InlineData("MAIL FROM:<a@b.example> SIZE=5000", "552 5.3.4 Message size exceeds fixed maximum message size")]
    [InlineData("MAIL FROM:<a@b.example> AUTH=<>", "555 5.5.4 MAIL FROM/RCPT TO parameters not recognized or not implemented")]
    [InlineData("MAIL FROM:<a@b.example> BODY=BINARYMIME", "501 5.5.4 Syntax error in parameters or arguments")]
    [InlineData("MAIL FROM:<>", "250 2.1.0 Sender OK")]
    [InlineData("mail from: <@relay.example:a@b.example>", "250 2.1.0 Sender OK")]
    public async Task Mail_from_arguments(string command, string expected)
    {
        await using var client = await AfterEhlo();
        await client.SendAsync(command + "\r\n");
        Assert.Equal(expected, await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Rfc5321_4_5_3_1_8_recipients_over_the_limit_get_452_4_5_3()
    {
        await using var client = await AfterEhlo();
        await client.SendAsync("MAIL FROM:<a@b.example>\r\n" + string.Concat(Enumerable.Range(1, 4).Select(i => $"RCPT TO:<u{i}@mms.gateway.example>\r\n")));
        Assert.StartsWith("250", await client.ReadReplyAsync());
        for (var i = 0; i < 3; i++) Assert.StartsWith("250 2.1.5", await client.ReadReplyAsync());
        Assert.Equal("452 4.5.3 Too many recipients", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Size_cap_is_enforced_while_DATA_streams_552_and_the_session_goes_on()
    {
        await using var client = await AfterEhlo();
        await client.SendAsync("MAIL FROM:<a@b.example>\r\nRCPT TO:<too-big@mms.gateway.example>\r\nDATA\r\n");
        await client.ReadReplyAsync();
        await client.ReadReplyAsync();
        Assert.StartsWith("354", await client.ReadReplyAsync());
        var line = new string('x', 998) + "\r\n";
        for (var i = 0; i < 20; i++) await client.SendAsync(line);
        await client.SendAsync(".\r\nNOOP\r\n");
        Assert.Equal("552 5.3.4 Message size exceeds fixed maximum message size", await client.ReadReplyAsync());
        Assert.Equal("250 2.0.0 OK", await client.ReadReplyAsync());
        Assert.DoesNotContain(fixture.Sink.Messages, m => m.RcptTo.Contains("too-big@mms.gateway.example"));
    }

    [Fact]
    public async Task A_command_line_over_512_bytes_is_500_and_the_session_goes_on()
    {
        await using var client = await AfterEhlo();
        await client.SendAsync("NOOP " + new string('x', 600) + "\r\nNOOP\r\n");
        Assert.Equal("500 5.5.2 Line too long", await client.ReadReplyAsync());
        Assert.Equal("250 2.0.0 OK", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Too_many_errors_end_the_session_with_421()
    {
        await using var client = await Greeted();
        await client.SendAsync(string.Concat(Enumerable.Repeat("BOGUS\r\n", 5)));
        for (var i = 0; i < 5; i++) Assert.StartsWith("500 ", await client.ReadReplyAsync());
        Assert.Equal("421 4.7.0 Too many errors, closing connection", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task Rset_ends_the_transaction_and_Data_then_needs_a_new_one()
    {
        await using var client = await AfterEhlo();
        await client.SendAsync("MAIL FROM:<a@b.example>\r\nRCPT TO:<u@mms.gateway.example>\r\nRSET\r\nDATA\r\n");
        await client.ReadReplyAsync();
        await client.ReadReplyAsync();
        Assert.Equal("250 2.0.0 OK", await client.ReadReplyAsync());
        Assert.Equal("503 5.5.1 Bad sequence of commands", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task StartTls_without_a_certificate_is_not_available()
    {
        await using var client = await AfterEhlo();
        await client.SendAsync("STARTTLS\r\n");
        Assert.Equal("502 5.5.1 STARTTLS not available", await client.ReadReplyAsync());
    }
}

public class ServerSinkOutcomeTests
{
    private static async Task<string> SendOne(int port, RecordingSink sink)
    {
        await using var server = new SmtpServer(new SmtpServerOptions { Listen = [$"127.0.0.1:{port}"], LocalDomains = ["mms.gateway.example"] }, sink);
        await server.StartAsync(default);
        await using var client = await RawSmtpClient.ConnectAsync(port);
        await client.ReadReplyAsync();
        await client.SendAsync("HELO c.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<u@mms.gateway.example>\r\nDATA\r\n");
        for (var i = 0; i < 4; i++) await client.ReadReplyAsync();
        await client.SendAsync("Subject: x\r\n\r\nhi\r\n.\r\n");
        return await client.ReadReplyAsync();
    }

    [Fact]
    public async Task The_sinks_refusal_is_sent_as_is()
    {
        var sink = new RecordingSink { Answer = _ => new SmtpReply(554, new(5, 6, 0), "MM4 message format corrupt") };
        Assert.Equal("554 5.6.0 MM4 message format corrupt", await SendOne(25270, sink));
    }

    [Fact]
    public async Task A_sink_exception_is_451_4_3_0_and_not_250()
    {
        var sink = new RecordingSink { Answer = _ => throw new InvalidOperationException("store down") };
        Assert.Equal("451 4.3.0 Local error in processing, message not accepted", await SendOne(25271, sink));
    }

    [Fact]
    public async Task A_peer_outside_AllowedPeers_gets_554_at_connect_and_is_closed()
    {
        var sink = new RecordingSink();
        await using var server = new SmtpServer(
            new SmtpServerOptions { Listen = ["127.0.0.1:25272"], LocalDomains = ["mms.gateway.example"], AllowedPeers = ["10.0.0.0/8", "2001:db8::/32"] }, sink);
        await server.StartAsync(default);
        await using var client = await RawSmtpClient.ConnectAsync(25272);
        Assert.Equal("554 5.7.1 Access denied: your network is not an allowed MM4 peer", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedAsync());
        Assert.True(server.IsAllowed(System.Net.IPAddress.Parse("10.1.2.3")));
        Assert.True(server.IsAllowed(System.Net.IPAddress.Parse("::ffff:10.1.2.3")));
        Assert.True(server.IsAllowed(System.Net.IPAddress.Parse("2001:db8::5")));
        Assert.False(server.IsAllowed(System.Net.IPAddress.Parse("127.0.0.1")));
    }

    [Fact]
    public async Task Sessions_over_MaxConnections_get_421_at_connect()
    {
        await using var server = new SmtpServer(new SmtpServerOptions { Listen = ["127.0.0.1:25277"], LocalDomains = ["mms.gateway.example"], MaxConnections = 1 }, new RecordingSink());
        await server.StartAsync(default);
        await using var first = await RawSmtpClient.ConnectAsync(25277);
        Assert.StartsWith("220 ", await first.ReadReplyAsync());
        await using var second = await RawSmtpClient.ConnectAsync(25277);
        Assert.Equal("421 4.7.0 Too many connections, try again later", await second.ReadReplyAsync());
        Assert.True(await second.IsClosedAsync());
        await first.SendAsync("NOOP\r\n");
        Assert.Equal("250 2.0.0 OK", await first.ReadReplyAsync());
    }

    [Fact]
    public async Task Listens_on_IPv6_loopback_and_allows_it_by_default()
    {
        await using var server = new SmtpServer(new SmtpServerOptions { Listen = ["[::1]:25278"], LocalDomains = ["mms.gateway.example"] }, new RecordingSink());
        await server.StartAsync(default);
        Assert.Equal(System.Net.IPAddress.IPv6Loopback, Assert.Single(server.LocalEndPoints).Address);
        using var tcp = new System.Net.Sockets.TcpClient(System.Net.Sockets.AddressFamily.InterNetworkV6);
        await tcp.ConnectAsync(System.Net.IPAddress.IPv6Loopback, 25278);
        using var reader = new StreamReader(tcp.GetStream());
        Assert.StartsWith("220 ", await reader.ReadLineAsync());
    }

    [Fact]
    public async Task Graceful_stop_sends_421_to_an_idle_session()
    {
        var sink = new RecordingSink();
        var server = new SmtpServer(new SmtpServerOptions { Listen = ["127.0.0.1:25273"], LocalDomains = ["mms.gateway.example"] }, sink);
        await server.StartAsync(default);
        await using var client = await RawSmtpClient.ConnectAsync(25273);
        await client.ReadReplyAsync();
        await client.SendAsync("EHLO c.example\r\n");
        await client.ReadReplyAsync();
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await server.StopAsync(grace.Token);
        Assert.Equal("421 4.3.2 Service shutting down, closing connection", await client.ReadReplyAsync());
        Assert.Equal(0, server.ActiveSessions);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Command_timeout_from_the_time_provider_gives_421_4_4_2()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        await using var server = new SmtpServer(
            new SmtpServerOptions { Listen = ["127.0.0.1:25274"], LocalDomains = ["mms.gateway.example"], CommandTimeout = TimeSpan.FromMinutes(5) }, new RecordingSink(), time);
        await server.StartAsync(default);
        await using var client = await RawSmtpClient.ConnectAsync(25274);
        await client.ReadReplyAsync();
        await client.SendAsync("NOOP\r\n");
        await client.ReadReplyAsync();
        time.Advance(TimeSpan.FromMinutes(4));
        await client.SendAsync("NOOP\r\n");
        Assert.StartsWith("250", await client.ReadReplyAsync());
        await Task.Delay(50);
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("421 4.4.2 Timeout, closing connection", await client.ReadReplyAsync());
    }
}

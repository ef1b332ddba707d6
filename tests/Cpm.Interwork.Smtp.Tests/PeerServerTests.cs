using System.Globalization;
using System.Text.Json;
using Cpm.Interwork.Smtp.Server;
using Cpm.Interwork.Smtp.Tests.Harness;

namespace Cpm.Interwork.Smtp.Tests;

public sealed class GatewayServerFixture : IAsyncLifetime
{
    public const int Port = 25265;

    public RecordingSink Sink { get; } = new();

    public SmtpServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = new SmtpServer(
            new SmtpServerOptions { Listen = [$"127.0.0.1:{Port}"], LocalDomains = ["mms.gateway.example"], MaxMessageSize = 64 * 1024, ServerName = "mms.gateway.example" },
            Sink);
        await Server.StartAsync(default);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>swaks and nodemailer (independent SMTP clients) deliver MM4 mails to our server.</summary>
public class PeerServerTests(GatewayServerFixture fixture) : IClassFixture<GatewayServerFixture>
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    private static async Task<(int ExitCode, string Output)> Swaks(params string[] args)
    {
        var swaks = PeerPaths.RequireExecutable("swaks");
        using var process = new PeerProcess(swaks, ["--server", $"127.0.0.1:{GatewayServerFixture.Port}", "--helo", "mms.peer.example", .. args],
            new Dictionary<string, string> { ["POSIXLY_CORRECT"] = "1" });
        var lines = new List<string>();
        var exit = await process.WaitForExitAsync(s_wait);
        try { while (true) lines.Add(process.WaitForLine(_ => true, TimeSpan.FromMilliseconds(200))); }
        catch (TimeoutException) { }
        return (exit, string.Join("\n", lines) + process.StandardError);
    }

    private async Task<SmtpReceivedMessage> Delivered(string recipient)
    {
        var deadline = DateTime.UtcNow + s_wait;
        while (DateTime.UtcNow < deadline)
        {
            var found = fixture.Sink.Messages.FirstOrDefault(m => m.RcptTo.Contains(recipient));
            if (found is not null) return found;
            await Task.Delay(20);
        }

        throw new TimeoutException("no message for " + recipient);
    }

    [Theory]
    [InlineData("mm4_forward_res.eml", "system-user@mms.peer.example", "system-user@mms.gateway.example")]
    [InlineData("mm4_delivery_report_req.eml", "+15550100002/TYPE=PLMN@mms.peer.example", "+15550100001/TYPE=PLMN@mms.gateway.example")]
    public async Task Swaks_delivers_an_MM4_mail_and_the_sink_gets_the_exact_bytes_and_envelope(string vector, string from, string to)
    {
        // swaks sends the data as is (no dot-stuffing) followed by CRLF "." CRLF, so it gets the
        // vector without its final CRLF.
        var bytes = File.ReadAllBytes(PeerPaths.Vector(vector));
        var data = Path.Combine(Path.GetTempPath(), $"cpm-swaks-{Guid.NewGuid():N}.eml");
        await File.WriteAllBytesAsync(data, bytes[..^2]);
        int exit;
        string output;
        try
        {
            (exit, output) = await Swaks("--from", from, "--to", to, "--data", "@" + data);
        }
        finally
        {
            File.Delete(data);
        }

        Assert.True(exit == 0, output);
        var message = await Delivered(to);
        Assert.Equal(from, message.MailFrom);
        Assert.Equal([to], message.RcptTo);
        Assert.Equal("mms.peer.example", message.Helo);
        Assert.Equal(bytes, message.Data.ToArray());
    }

    [Fact]
    public async Task Swaks_to_a_foreign_domain_is_refused_550_5_7_1_relay_denied()
    {
        var (exit, output) = await Swaks("--from", "a@mms.peer.example", "--to", "+15550100009/TYPE=PLMN@mms.elsewhere.example", "--data", "@" + PeerPaths.Vector("mm4_forward_res.eml"));
        Assert.NotEqual(0, exit);
        Assert.Contains("550 5.7.1 Relay denied", output);
        Assert.DoesNotContain(fixture.Sink.Messages, m => m.RcptTo.Any(r => r.Contains("elsewhere", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Swaks_sending_more_than_the_size_cap_gets_552_after_the_data()
    {
        var big = Path.Combine(Path.GetTempPath(), $"cpm-big-{Guid.NewGuid():N}.eml");
        await File.WriteAllTextAsync(big, "Subject: big\r\n\r\n" + string.Concat(Enumerable.Repeat(new string('x', 76) + "\r\n", 1500)));
        try
        {
            var (exit, output) = await Swaks("--from", "a@mms.peer.example", "--to", "big@mms.gateway.example", "--data", "@" + big);
            Assert.NotEqual(0, exit);
            Assert.Contains("552 5.3.4", output);
            Assert.DoesNotContain(fixture.Sink.Messages, m => m.RcptTo.Contains("big@mms.gateway.example"));
        }
        finally
        {
            File.Delete(big);
        }
    }

    private static async Task<JsonElement> Nodemailer(string from, string to, string vector)
    {
        PeerPaths.RequireNodeModules();
        using var process = new PeerProcess(PeerPaths.RequireExecutable("node"),
            [PeerPaths.PeerScript("send.js"), GatewayServerFixture.Port.ToString(CultureInfo.InvariantCulture), from, to, PeerPaths.Vector(vector)],
            new Dictionary<string, string> { ["NODE_PATH"] = PeerPaths.NodeModules });
        var line = process.WaitForLine(l => l.StartsWith('{'), s_wait);
        await process.WaitForExitAsync(s_wait);
        return JsonDocument.Parse(line).RootElement;
    }

    [Fact]
    public async Task Nodemailer_delivers_an_MM4_forward_with_8bit_parts_byte_exact()
    {
        var to = "+15550100002/TYPE=PLMN@mms.gateway.example";
        var json = await Nodemailer("+15550100001/TYPE=PLMN@mms.peer.example", to + ",+15550100003/TYPE=PLMN@mms.gateway.example", "mm4_forward_req_related.eml");
        Assert.True(json.GetProperty("ok").GetBoolean(), json.ToString());
        var message = await Delivered(to);
        Assert.Equal("+15550100001/TYPE=PLMN@mms.peer.example", message.MailFrom);
        Assert.Equal([to, "+15550100003/TYPE=PLMN@mms.gateway.example"], message.RcptTo);
        Assert.Equal(File.ReadAllBytes(PeerPaths.Vector("mm4_forward_req_related.eml")), message.Data.ToArray());
    }

    [Fact]
    public async Task Nodemailer_sees_the_foreign_recipient_rejected_and_the_local_one_accepted()
    {
        var json = await Nodemailer("a@mms.peer.example", "dr-target@mms.gateway.example,someone@open-relay.example", "mm4_delivery_report_req.eml");
        Assert.True(json.GetProperty("ok").GetBoolean(), json.ToString());
        Assert.Equal(["dr-target@mms.gateway.example"], json.GetProperty("accepted").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["someone@open-relay.example"], json.GetProperty("rejected").EnumerateArray().Select(e => e.GetString()));
        var message = await Delivered("dr-target@mms.gateway.example");
        Assert.Equal(["dr-target@mms.gateway.example"], message.RcptTo);
        Assert.Equal(File.ReadAllBytes(PeerPaths.Vector("mm4_delivery_report_req.eml")), message.Data.ToArray());
    }
}

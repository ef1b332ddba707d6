using System.Text;
using System.Text.Json;
using Cpm.Interwork.Smtp.Client;
using Cpm.Interwork.Smtp.Tests.Harness;

namespace Cpm.Interwork.Smtp.Tests;

/// <summary>What an MM4 forward sent by our client must look like at a real receiving MMSE.</summary>
internal static class Mm4ForwardExpectations
{
    public static readonly byte[] Message = File.ReadAllBytes(PeerPaths.Vector("mm4_forward_req_related.eml"));

    public static readonly SmtpEnvelope Envelope = new("+15550100001/TYPE=PLMN@mms.peer.example", "+15550100002/TYPE=PLMN@mms.b.example", "+15550100003/TYPE=PLMN@mms.b.example");

    /// <summary>Every header of the vector as it is in the file (folded headers unfolded to one line per header).</summary>
    public static IReadOnlyList<string> HeaderLines()
    {
        var text = Encoding.UTF8.GetString(Message);
        var block = text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        return [.. block.Replace("\r\n ", "\r\n\t", StringComparison.Ordinal).Split("\r\n").Aggregate(new List<string>(), (acc, line) =>
        {
            if (line.StartsWith('\t')) acc[^1] += "\r\n " + line[1..];
            else acc.Add(line);
            return acc;
        })];
    }

    public static void AssertDelivered(JsonElement json, bool exactBytes)
    {
        Assert.Equal("+15550100001/TYPE=PLMN@mms.peer.example", json.GetProperty("from").GetString());
        Assert.Equal(["+15550100002/TYPE=PLMN@mms.b.example", "+15550100003/TYPE=PLMN@mms.b.example"], json.GetProperty("rcpt").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("8BITMIME", json.GetProperty("body8bit").GetString());
        var raw = Convert.FromBase64String(json.GetProperty("raw").GetString()!);
        if (exactBytes) Assert.Equal(Message, raw);
        else Assert.True(raw.AsSpan().EndsWith(Message), "the relay may only prepend trace headers");
        var received = json.GetProperty("headers").EnumerateArray().Select(e => e.GetString()!).ToList();
        foreach (var header in HeaderLines()) Assert.Contains(header, received);
        Assert.Equal(12, HeaderLines().Count(h => h.StartsWith("X-Mms-", StringComparison.Ordinal)));
        Assert.Equal(12, received.Count(h => h.StartsWith("X-Mms-", StringComparison.Ordinal)));
        Assert.Equal("Grüße aus Köln", json.GetProperty("subject").GetString());
        var parts = json.GetProperty("parts").EnumerateArray().ToList();
        Assert.Equal(3, parts.Count);
        Assert.Equal("application/smil", parts[0].GetProperty("type").GetString());
        Assert.Equal("smil", parts[0].GetProperty("cid").GetString());
        Assert.Equal(
            "<smil><head><layout><root-layout width=\"320\" height=\"480\"/></layout></head><body><par dur=\"5000ms\"><img src=\"cid:img1\"/><text src=\"cid:txt1\"/></par></body></smil>",
            Encoding.UTF8.GetString(Convert.FromBase64String(parts[0].GetProperty("content").GetString()!)));
        Assert.Equal("image/png", parts[1].GetProperty("type").GetString());
        Assert.Equal("img1", parts[1].GetProperty("cid").GetString());
        Assert.Equal(
            Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="),
            Convert.FromBase64String(parts[1].GetProperty("content").GetString()!));
        Assert.Equal("text/plain", parts[2].GetProperty("type").GetString());
        Assert.Equal("txt1", parts[2].GetProperty("cid").GetString());
        Assert.Equal("text1.txt", parts[2].GetProperty("filename").GetString());
        Assert.Equal(
            "Grüße aus Köln – 你好\r\n.a line that starts with a dot\r\n..and one with two",
            Encoding.UTF8.GetString(Convert.FromBase64String(parts[2].GetProperty("content").GetString()!)));
    }
}

public sealed class NodeSinkFixture : IDisposable
{
    public NodeSink Plain { get; } = new(25260);

    public NodeSink Tls { get; } = new(25261, startTls: true);

    public void Dispose()
    {
        Plain.Dispose();
        Tls.Dispose();
    }
}

/// <summary>Our client against node smtp-server + mailparser, a real independent MMSE.</summary>
public class ClientToNodeSinkTests(NodeSinkFixture sinks) : IClassFixture<NodeSinkFixture>
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task An_MM4_forward_with_SMIL_image_and_UTF8_text_arrives_byte_exact_with_every_header_and_part()
    {
        await using var pool = new SmtpClientPool(new SmtpClientOptions { HeloName = "mms.gateway.example" });
        var result = await pool.SendAsync(new SmtpEndpoint("127.0.0.1", sinks.Plain.Port, SmtpTlsPolicy.Off), Mm4ForwardExpectations.Envelope, Mm4ForwardExpectations.Message, default);
        Assert.Equal(SmtpSendResultKind.Sent, result.Kind);
        Assert.Equal(2, result.AcceptedRecipients.Count);
        Mm4ForwardExpectations.AssertDelivered(sinks.Plain.NextMessage(s_wait), exactBytes: true);
    }

    [Fact]
    public async Task Rfc3207_STARTTLS_Required_with_validation_off_delivers_over_TLS()
    {
        await using var pool = new SmtpClientPool(new SmtpClientOptions { ValidateServerCertificate = false });
        var result = await pool.SendAsync(new SmtpEndpoint("127.0.0.1", sinks.Tls.Port, SmtpTlsPolicy.Required), Mm4ForwardExpectations.Envelope, Mm4ForwardExpectations.Message, default);
        Assert.Equal(SmtpSendResultKind.Sent, result.Kind);
        var json = sinks.Tls.NextMessage(s_wait);
        Assert.True(json.GetProperty("secure").GetBoolean());
        Mm4ForwardExpectations.AssertDelivered(json, exactBytes: true);
    }

    [Fact]
    public async Task Rfc3207_STARTTLS_Required_with_validation_on_refuses_the_self_signed_certificate()
    {
        await using var pool = new SmtpClientPool(new SmtpClientOptions { ValidateServerCertificate = true });
        var result = await pool.SendAsync(new SmtpEndpoint("127.0.0.1", sinks.Tls.Port, SmtpTlsPolicy.Required), Mm4ForwardExpectations.Envelope, Mm4ForwardExpectations.Message, default);
        Assert.Equal(SmtpSendResultKind.ConnectFailure, result.Kind);
        Assert.Contains("Authentication", result.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_closed_port_is_a_connect_failure()
    {
        await using var pool = new SmtpClientPool(new SmtpClientOptions { ConnectTimeout = TimeSpan.FromSeconds(5) });
        var result = await pool.SendAsync(new SmtpEndpoint("127.0.0.1", 25299, SmtpTlsPolicy.Off), Mm4ForwardExpectations.Envelope, Mm4ForwardExpectations.Message, default);
        Assert.Equal(SmtpSendResultKind.ConnectFailure, result.Kind);
    }
}

/// <summary>Our client → Postfix → node sink: a real MTA in the middle.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostfixFixture : IDisposable
{
    public NodeSink Sink { get; } = new(25263);

    public PostfixRelay Postfix { get; } = new(25262, 25263);

    public void Dispose()
    {
        Postfix.Dispose();
        Sink.Dispose();
    }
}

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class ClientThroughPostfixTests(PostfixFixture fixture) : IClassFixture<PostfixFixture>
{
    [Fact]
    public async Task An_MM4_forward_relayed_by_Postfix_arrives_with_every_header_and_part_and_only_a_trace_header_added()
    {
        await using var pool = new SmtpClientPool(new SmtpClientOptions { HeloName = "mms.gateway.example" });
        var result = await pool.SendAsync(new SmtpEndpoint("127.0.0.1", 25262), Mm4ForwardExpectations.Envelope, Mm4ForwardExpectations.Message, default);
        Assert.True(result.Kind == SmtpSendResultKind.Sent, result.ToString());
        JsonElement json;
        try
        {
            json = fixture.Sink.NextMessage(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException("Postfix log: " + fixture.Postfix.Log, e);
        }

        Mm4ForwardExpectations.AssertDelivered(json, exactBytes: false);
        Assert.Contains(json.GetProperty("headers").EnumerateArray(), h => h.GetString()!.StartsWith("Received: from mms.gateway.example", StringComparison.Ordinal));
    }
}

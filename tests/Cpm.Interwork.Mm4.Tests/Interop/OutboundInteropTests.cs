using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cpm.Interwork.Mime;
using Cpm.Interwork.Smtp.Client;
using Microsoft.Extensions.Time.Testing;

namespace Cpm.Interwork.Mm4.Tests.Interop;

/// <summary>An MM4_forward.REQ built by Mm4ForwardRequestBuilder/Mm4Writer, and what a real MMSE must see of it.</summary>
internal static class BuiltForward
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public const string Subject = "Grüße aus Köln – 你好 👋, ein ziemlich langer Betreff für eine MMS über MM4";

    public const string Text = "Grüße aus Köln – 你好 👋\r\n.a line that starts with a dot\r\n..and one with two\r\nEnde";

    public static readonly byte[] Smil = Encoding.UTF8.GetBytes(
        "<smil><head><layout><root-layout width=\"320\" height=\"480\"/><region id=\"Image\" top=\"0\" height=\"70%\"/>" +
        "<region id=\"Text\" top=\"70%\" height=\"30%\"/></layout></head><body><par dur=\"5000ms\">" +
        "<img src=\"cid:img1\" region=\"Image\"/><text src=\"cid:txt1\" region=\"Text\"/></par></body></smil>");

    /// <summary>JPEG markers around 12 KB of seeded pseudo-random bytes: every byte value, long base64.</summary>
    public static readonly byte[] Jpeg = MakeJpeg();

    public static readonly string[] Recipients = ["+15550100002/TYPE=PLMN@mms.b.example", "+15550100003/TYPE=PLMN@mms.b.example"];

    private static byte[] MakeJpeg()
    {
        var body = new byte[12 * 1024];
        new Random(4711).NextBytes(body);
        return [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, .. body, 0xFF, 0xD9];
    }

    public static Mm4ForwardRequest Build(bool relativeExpiry)
    {
        var content = MimeMultipartBuilder.Related("<smil>", "application/smil")
            .Add(new MimePartBuilder("application/smil; charset=utf-8").ContentId("<smil>").ContentLocation("smil.xml").Content(Smil, "7bit").Build())
            .Add(new MimePartBuilder("image/jpeg; name=photo.jpg").ContentId("<img1>").ContentLocation("photo.jpg").Content(Jpeg).Build())
            .Add(new MimePartBuilder("text/plain; charset=utf-8; name=text1.txt").ContentId("<txt1>").ContentLocation("text1.txt").Content(Encoding.UTF8.GetBytes(Text), "quoted-printable").Build())
            .Build();
        return new Mm4ForwardRequestBuilder(new SequentialIds("mms.gw.example"), new FakeTimeProvider(Now))
            .From(Mm4Address.Plmn("+15550100001"))
            .Sender(Mm4Address.Plmn("+15550100001", "mms.gw.example"))
            .To(Mm4Address.Plmn("+15550100002"), Mm4Address.Plmn("+15550100003"))
            .OriginatorSystem(Mm4Address.Email("system-user@mms.gw.example"))
            .Subject(Subject)
            .Content(new Mm4Content(content))
            .MessageClass(MessageClass.Personal)
            .Expiry(relativeExpiry ? Mm4Expiry.Relative(TimeSpan.FromDays(1)) : Mm4Expiry.Absolute(Now.AddDays(2)))
            .DeliveryReport(true)
            .ReadReply(true)
            .Priority(Priority.High)
            .SenderVisibility(SenderVisibility.Hide)
            .Build();
    }

    /// <summary>Every X-Mms header the receiver must see (names lower-cased by mailparser), and nothing else.</summary>
    public static Dictionary<string, string> ExpectedMmsHeaders(bool relativeExpiry) => new()
    {
        ["x-mms-3gpp-mms-version"] = "6.10.0",
        ["x-mms-message-type"] = "MM4_forward.REQ",
        ["x-mms-transaction-id"] = "\"tx-1@mms.gw.example\"",
        ["x-mms-message-id"] = "\"msg-1@mms.gw.example\"",
        ["x-mms-message-class"] = "Personal",
        ["x-mms-expiry"] = relativeExpiry ? "86400" : "Fri, 27 Nov 2026 12:00:00 +0000",
        ["x-mms-delivery-report"] = "Yes",
        ["x-mms-priority"] = "High",
        ["x-mms-sender-visibility"] = "Hide",
        ["x-mms-read-reply"] = "Yes",
        ["x-mms-ack-request"] = "Yes",
        ["x-mms-originator-system"] = "system-user@mms.gw.example",
    };

    private static string Sha(byte[] b) => Convert.ToHexStringLower(SHA256.HashData(b));

    public static void AssertReceived(JsonElement json, bool relativeExpiry, string[] rcpt)
    {
        Assert.Equal("+15550100001/TYPE=PLMN@mms.gw.example", json.GetProperty("from").GetString());
        Assert.Equal(rcpt, json.GetProperty("rcpt").EnumerateArray().Select(e => e.GetString()!));

        // every X-Mms header, as mailparser reads it, equals what we built — and there is no other
        var mms = json.GetProperty("mms").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        Assert.Equal(ExpectedMmsHeaders(relativeExpiry).OrderBy(kv => kv.Key), mms.OrderBy(kv => kv.Key));

        var headers = json.GetProperty("headers").EnumerateArray().Select(h => (Name: h[0].GetString()!, Value: h[1].GetString()!)).ToList();
        string One(string name) => Assert.Single(headers, h => h.Name == name).Value;
        Assert.Equal("+15550100001/TYPE=PLMN", One("from"));
        Assert.Equal("+15550100001/TYPE=PLMN@mms.gw.example", One("sender"));
        Assert.Equal("+15550100002/TYPE=PLMN, +15550100003/TYPE=PLMN", One("to"));
        Assert.Equal("<msg-1@mms.gw.example>", One("message-id"));
        Assert.Equal("Wed, 25 Nov 2026 12:00:00 +0000", One("date"));
        Assert.Equal("1.0", One("mime-version"));
        Assert.StartsWith("=?UTF-8?", One("subject"), StringComparison.Ordinal);
        Assert.Equal(Subject, json.GetProperty("subject").GetString());

        var ct = json.GetProperty("contentType");
        Assert.Equal("multipart/related", ct.GetProperty("value").GetString());
        Assert.Equal("<smil>", ct.GetProperty("params").GetProperty("start").GetString());
        Assert.Equal("application/smil", ct.GetProperty("params").GetProperty("type").GetString());

        var parts = json.GetProperty("parts").EnumerateArray()
            .ToDictionary(p => p.GetProperty("cid").GetString()!, p => (Type: p.GetProperty("type").GetString()!, Size: p.GetProperty("size").GetInt32(), Sha: p.GetProperty("sha256").GetString()!));
        Assert.Equal(["img1", "smil", "txt1"], parts.Keys.Order());
        Assert.Equal(("application/smil", Smil.Length, Sha(Smil)), parts["smil"]);
        Assert.Equal(("image/jpeg", Jpeg.Length, Sha(Jpeg)), parts["img1"]);
        var text = Encoding.UTF8.GetBytes(Text);
        Assert.Equal(("text/plain", text.Length, Sha(text)), parts["txt1"]);
    }
}

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OutboundPeersFixture : IDisposable
{
    public const int DirectSinkPort = 25350;
    public const int PostfixSmtpdPort = 25351;
    public const int PostfixSinkPort = 25352;

    public OutboundPeersFixture()
    {
        Direct = new NodeSink(DirectSinkPort, script: "mm4-sink.js");
        BehindPostfix = new NodeSink(PostfixSinkPort, script: "mm4-sink.js");
        Postfix = new PostfixRelay(PostfixSmtpdPort, PostfixSinkPort);
    }

    internal NodeSink Direct { get; }

    internal NodeSink BehindPostfix { get; }

    internal PostfixRelay Postfix { get; }

    public void Dispose()
    {
        Postfix.Dispose();
        BehindPostfix.Dispose();
        Direct.Dispose();
    }
}

/// <summary>Our builder, writer and SMTP client → node smtp-server + mailparser, directly and through Postfix.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class OutboundInteropTests(OutboundPeersFixture peers) : IClassFixture<OutboundPeersFixture>
{
    private static async Task<SmtpSendResult> Send(Mm4ForwardRequest request, int port)
    {
        var envelope = Mm4Envelope.ForForward(request, "mms.gw.example", "mms.b.example");
        await using var pool = new SmtpClientPool(new SmtpClientOptions { HeloName = "mms.gw.example" });
        return await pool.SendAsync(new SmtpEndpoint("127.0.0.1", port, SmtpTlsPolicy.Off), new SmtpEnvelope(envelope.MailFrom, envelope.RcptTo), Mm4Writer.ToBytes(request), default);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_built_MM4_forward_arrives_at_node_mailparser_with_every_X_Mms_header_the_decoded_subject_and_each_part_byte_exact(bool relativeExpiry)
    {
        var result = await Send(BuiltForward.Build(relativeExpiry), peers.Direct.Port);
        Assert.True(result.Kind == SmtpSendResultKind.Sent, result.ToString());
        Assert.Equal(BuiltForward.Recipients, result.AcceptedRecipients);
        BuiltForward.AssertReceived(peers.Direct.NextMessage(TimeSpan.FromSeconds(20)), relativeExpiry, BuiltForward.Recipients);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_built_MM4_forward_relayed_by_Postfix_arrives_unchanged_at_node_mailparser(bool relativeExpiry)
    {
        var result = await Send(BuiltForward.Build(relativeExpiry), OutboundPeersFixture.PostfixSmtpdPort);
        Assert.True(result.Kind == SmtpSendResultKind.Sent, result.ToString());
        JsonElement json;
        try { json = peers.BehindPostfix.NextMessage(TimeSpan.FromSeconds(30)); }
        catch (TimeoutException e) { throw new TimeoutException("Postfix log: " + peers.Postfix.Log, e); }
        BuiltForward.AssertReceived(json, relativeExpiry, BuiltForward.Recipients);
        // Postfix added its trace header and nothing the MMSE would read as MM4
        Assert.Contains(json.GetProperty("headers").EnumerateArray(), h => h[0].GetString() == "received" && h[1].GetString()!.StartsWith("from mms.gw.example", StringComparison.Ordinal));
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cpm.Interwork.Mime;
using Cpm.Interwork.Smtp;
using Cpm.Interwork.Smtp.Server;
using Microsoft.Extensions.Time.Testing;

namespace Cpm.Interwork.Mm4.Tests.Interop;

/// <summary>The gateway's SMTP sink as the MM4 side would run it: every accepted mail read with <see cref="Mm4Reader"/>.</summary>
internal sealed class Mm4ReadingSink : IMessageSink
{
    public sealed record Inbound(SmtpReceivedMessage Smtp, Mm4ReadResult Result);

    private readonly ConcurrentQueue<Inbound> _received = new();

    public ValueTask<SmtpReply> DeliverAsync(SmtpReceivedMessage message, CancellationToken cancellationToken)
    {
        // the read message slices the buffer it is given: hand it a copy we own
        _received.Enqueue(new Inbound(message, Mm4Reader.Read(message.Data.ToArray())));
        return ValueTask.FromResult(new SmtpReply(250, new(2, 0, 0), "Stored"));
    }

    public async Task<Inbound> WaitForAsync(string rcptTo, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var found = _received.FirstOrDefault(m => m.Smtp.RcptTo.Contains(rcptTo, StringComparer.OrdinalIgnoreCase));
            if (found is not null) return found;
            await Task.Delay(20);
        }

        throw new TimeoutException("no mail for " + rcptTo);
    }
}

public sealed class GatewaySmtpFixture : IAsyncLifetime
{
    public const int Port = 25355;

    internal Mm4ReadingSink Sink { get; } = new();

    internal SmtpServer? Server { get; private set; }

    public async Task InitializeAsync()
    {
        Server = new SmtpServer(new SmtpServerOptions { Listen = [$"127.0.0.1:{Port}"], LocalDomains = ["mms.gw.example"], ServerName = "mms.gw.example" }, Sink);
        await Server.StartAsync(default);
    }

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
    }
}

/// <summary>swaks and nodemailer (independent SMTP clients) deliver MM4 mails to our SmtpServer; Mm4Reader types them.</summary>
public class InboundInteropTests(GatewaySmtpFixture gateway) : IClassFixture<GatewaySmtpFixture>
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset s_now = new(2026, 11, 25, 12, 5, 0, TimeSpan.Zero);

    private static byte[] Vector(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Vectors", "Interop", name));

    /// <summary>Sends <paramref name="mail"/> with swaks or nodemailer and asserts the peer saw it accepted.</summary>
    private async Task<Mm4ReadingSink.Inbound> Deliver(string peer, string from, string[] to, byte[] mail)
    {
        var file = Path.Combine(Path.GetTempPath(), $"cpm-mm4-{Guid.NewGuid():N}.eml");
        // swaks writes the file as is and then CRLF "." CRLF: give it the mail without its final CRLF
        await File.WriteAllBytesAsync(file, peer == "swaks" ? mail[..^2] : mail);
        try
        {
            if (peer == "swaks")
            {
                using var swaks = new PeerProcess(PeerPaths.RequireExecutable("swaks"),
                    ["--server", $"127.0.0.1:{GatewaySmtpFixture.Port}", "--helo", "mms.peer.example", "--from", from, "--to", string.Join(",", to), "--data", "@" + file],
                    new Dictionary<string, string> { ["POSIXLY_CORRECT"] = "1" });
                Assert.True(await swaks.WaitForExitAsync(s_wait) == 0, "swaks failed: " + swaks.StandardError);
            }
            else
            {
                PeerPaths.RequireNodeModules();
                using var node = new PeerProcess(PeerPaths.RequireExecutable("node"),
                    [PeerPaths.PeerScript("send.js"), GatewaySmtpFixture.Port.ToString(CultureInfo.InvariantCulture), from, string.Join(",", to), file],
                    new Dictionary<string, string> { ["NODE_PATH"] = PeerPaths.NodeModules });
                var json = JsonDocument.Parse(node.WaitForLine(l => l.StartsWith('{'), s_wait)).RootElement;
                Assert.True(json.GetProperty("ok").GetBoolean(), json.ToString());
                await node.WaitForExitAsync(s_wait);
            }
        }
        finally
        {
            File.Delete(file);
        }

        var inbound = await gateway.Sink.WaitForAsync(to[0], s_wait);
        Assert.Equal(from, inbound.Smtp.MailFrom);
        Assert.Equal(to, inbound.Smtp.RcptTo);
        return inbound;
    }

    [Theory]
    [InlineData("swaks", "Ok", RequestStatusCode.Ok, false, false)]
    [InlineData("nodemailer", "Error-network-problem", RequestStatusCode.ErrorNetworkProblem, true, false)]
    [InlineData("swaks", "error-PERMANENT-message-format-corrupt", RequestStatusCode.ErrorPermanentMessageFormatCorrupt, false, true)]
    [InlineData("nodemailer", "Error-transient-vendor-overload", RequestStatusCode.Unknown, true, false)]
    [InlineData("nodemailer", "Error-permanent-lack-of-prepaid", RequestStatusCode.ErrorPermanentLackOfPrepaid, false, true)]
    public async Task An_MM4_forward_RES_from_a_peer_is_read_with_its_status_code(string peer, string status, RequestStatusCode code, bool transient, bool permanent)
    {
        var tag = peer + "-" + status.ToLowerInvariant();
        var mail = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Vector("forward-res-template.eml")).Replace("@TAG@", tag, StringComparison.Ordinal).Replace("@STATUS@", status, StringComparison.Ordinal));
        var inbound = await Deliver(peer, "system-user@mms.peer.example", [$"res-{tag}@mms.gw.example"], mail);

        var res = Assert.IsType<Mm4ForwardResponse>(inbound.Result.Message);
        Assert.Equal($"tx-{tag}@mms.gw.example", res.TransactionId);
        Assert.Equal($"msg-{tag}@mms.gw.example", res.MessageId);
        Assert.Equal($"res-{tag}@mms.peer.example", res.RfcMessageId);
        Assert.Equal(code, res.RequestStatus.Code);
        Assert.Equal(transient, res.RequestStatus.IsTransient);
        Assert.Equal(permanent, res.RequestStatus.IsPermanent);
        if (code == RequestStatusCode.Unknown) Assert.Equal(status, res.RequestStatus.Text);
        Assert.Equal($"Antwort für {tag}", res.StatusText);
        Assert.Equal("6.10.0", res.MmsVersion);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 12, 0, 5, TimeSpan.Zero), res.Date);
        Assert.Equal("system-user@mms.peer.example", res.OriginatorSystem?.AddressSpec);
        Assert.Equal("system-user@mms.gw.example", Assert.Single(res.To).AddressSpec);
    }

    [Fact]
    public async Task Nodemailer_MM4_delivery_report_REQ_is_read_with_status_extension_and_a_B_encoded_status_text()
    {
        var inbound = await Deliver("nodemailer", "system-user@mms.peer.example", ["+15550100001/TYPE=PLMN@mms.gw.example"], Vector("delivery-report-req.eml"));
        var dr = Assert.IsType<Mm4DeliveryReportRequest>(inbound.Result.Message);
        Assert.Equal(MmStatusCode.Retrieved, dr.MmStatus.Code);
        Assert.Equal("Delivered to handset", dr.MmStatusExtension);
        Assert.Equal("Zugestellt ✔", dr.StatusText);
        Assert.False(dr.ForwardToOriginatorUa);
        Assert.True(dr.AckRequest);
        Assert.Equal("dr-tx-1@mms.peer.example", dr.TransactionId);
        Assert.Equal("msg-1@mms.gw.example", dr.MessageId);
        Assert.Equal((Mm4AddressKind.Plmn, "+15550100002"), (dr.From!.Kind, dr.From.Value));
        Assert.Equal("+15550100001", Assert.Single(dr.To).Value);

        // the gateway's answer echoes the IDs and goes back to the reporting MMSE
        var answer = Factory().DeliveryReportResponse(dr, Mm4RequestStatus.Parse("Ok"));
        var back = Assert.IsType<Mm4DeliveryReportResponse>(Mm4Reader.Read(answer.ToBytes()).Message);
        Assert.Equal(("dr-tx-1@mms.peer.example", "msg-1@mms.gw.example", RequestStatusCode.Ok), (back.TransactionId, back.MessageId, back.RequestStatus.Code));
        Assert.Equal("system-user@mms.peer.example", Assert.Single(back.To).AddressSpec);
    }

    [Fact]
    public async Task Swaks_MM4_read_reply_report_REQ_is_read_with_read_status_and_display_name()
    {
        var inbound = await Deliver("swaks", "system-user@mms.peer.example", ["+15550100011/TYPE=PLMN@mms.gw.example"], Vector("read-reply-report-req.eml"));
        var rr = Assert.IsType<Mm4ReadReplyReportRequest>(inbound.Result.Message);
        Assert.Equal(ReadStatus.DeletedWithoutBeingRead, rr.ReadStatus);
        Assert.False(rr.AckRequest);
        Assert.Equal("rr-tx-1@mms.peer.example", rr.TransactionId);
        Assert.Equal("msg-1@mms.gw.example", rr.MessageId);
        Assert.Equal(("Bob", "+15550100002"), (rr.From!.DisplayName, rr.From.Value));
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 12, 2, 0, TimeSpan.Zero), rr.Date);
    }

    [Theory]
    [InlineData("nodemailer", "+15550100004/TYPE=PLMN@mms.gw.example", "+15550100005/TYPE=PLMN@mms.gw.example")]
    [InlineData("swaks", "+15550100007/TYPE=PLMN@mms.gw.example", "+15550100008/TYPE=PLMN@mms.gw.example")]
    public async Task A_forward_REQ_shaped_like_another_operators_traffic_is_read_leniently(string peer, string rcpt1, string rcpt2)
    {
        var inbound = await Deliver(peer, "+491701234567/TYPE=PLMN@mms.mnc001.mcc262.gprs", [rcpt1, rcpt2], Vector("forward-req-other-operator.eml"));
        var req = Assert.IsType<Mm4ForwardRequest>(inbound.Result.Message);
        Assert.Equal("5.3.0", req.MmsVersion);
        Assert.Equal("4711-ABC@mms.mnc001.mcc262.gprs", req.TransactionId); // quotes and blanks stripped
        Assert.Equal("0123ABC@mms.mnc001.mcc262.gprs", req.MessageId);
        Assert.Equal("Grüße aus Köln", req.Subject); // ISO-8859-1 Q encoded word
        Assert.Equal((Mm4AddressKind.Plmn, "+491701234567", "Jürgen Müller"), (req.From!.Kind, req.From.Value, req.From.DisplayName));
        Assert.Equal(["+15550100004", "+15550100005"], req.To.Select(a => a.Value)); // folded To
        Assert.Equal("mms.mnc001.mcc262.gprs", req.Sender!.Domain);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 13, 0, 0, TimeSpan.FromHours(1)), req.Date);
        Assert.True(req.Expiry!.Value.IsRelative);
        Assert.Equal(TimeSpan.FromDays(2), req.Expiry.Value.RelativeTime);
        Assert.Equal(MessageClass.Personal, req.MessageClass);
        Assert.True(req.DeliveryReport);
        Assert.Equal(Priority.Normal, req.Priority);
        Assert.Equal(SenderVisibility.Show, req.SenderVisibility);
        Assert.False(req.ReadReply);
        Assert.True(req.AckRequest);
        Assert.Equal(1, req.ForwardCounter);
        Assert.Equal("system-user@mms.mnc001.mcc262.gprs", req.OriginatorSystem!.AddressSpec);
        Assert.Equal("abc-4711", req.ExtraHeaders.Get("X-Vendor-Trace")?.Value);
        Assert.True(req.ExtraHeaders.Contains("Received"));

        var related = Assert.IsType<MimeMultipart>(req.Content!.Entity);
        Assert.Equal("multipart/related", related.ContentType.MimeType);
        Assert.Equal("0.smil", related.Root!.ContentIdValue);
        Assert.Equal("Grüße aus Köln", Assert.IsType<MimePart>(related.FindByContentId("cid:1.txt")).GetText());

        // our answer goes to the other operator's system address and echoes its IDs
        var res = Factory().ForwardResponse(req, Mm4RequestStatus.Parse("Ok"));
        Assert.Equal("system-user@mms.mnc001.mcc262.gprs", Assert.Single(res.To).AddressSpec);
        Assert.Equal(("4711-ABC@mms.mnc001.mcc262.gprs", "0123ABC@mms.mnc001.mcc262.gprs"), (res.TransactionId, res.MessageId));
    }

    [Fact]
    public async Task Nodemailer_forward_REQ_with_a_raw_UTF8_folded_Subject_and_8bit_body_is_read_as_UTF8()
    {
        var inbound = await Deliver("nodemailer", "+15550100001/TYPE=PLMN@mms.peer.example", ["+15550100012/TYPE=PLMN@mms.gw.example"], Vector("forward-req-raw-utf8.eml"));
        var req = Assert.IsType<Mm4ForwardRequest>(inbound.Result.Message);
        Assert.Equal("Grüße aus Köln – 你好 👋", req.Subject); // unfolded: CRLF removed, the folding blank kept
        Assert.Equal("Grüße – 你好 👋\r\n", Assert.IsType<MimePart>(req.Content!.Entity).GetText());
        Assert.Equal("raw8-tx-1@mms.peer.example", req.TransactionId);
    }

    [Fact]
    public async Task A_forward_REQ_without_Date_is_Error_message_format_corrupt_and_gets_a_forward_RES()
    {
        var inbound = await Deliver("swaks", "system-user@mms.peer.example", ["+15550100006/TYPE=PLMN@mms.gw.example"], Vector("forward-req-no-date.eml"));
        Assert.False(inbound.Result.IsSuccess);
        var error = inbound.Result.Error!;
        Assert.Equal(Mm4ReadErrorKind.MissingMandatoryHeader, error.Kind);
        Assert.Equal(Mm4HeaderNames.Date, error.Header);
        Assert.Equal(RequestStatusCode.ErrorMessageFormatCorrupt, error.RequestStatus.Code);
        Assert.Equal(RequestStatusCode.ErrorMessageFormatCorrupt, Mm4ReadErrors.ToRequestStatus(error.Kind));

        var res = Factory().ForwardResponse(error, "Date is missing");
        Assert.NotNull(res);
        var back = Assert.IsType<Mm4ForwardResponse>(Mm4Reader.Read(res.ToBytes()).Message);
        Assert.Equal("nodate-tx-1@mms.peer.example", back.TransactionId);
        Assert.Equal("nodate-msg-1@mms.peer.example", back.MessageId);
        Assert.Equal("Error-message-format-corrupt", back.RequestStatus.Text);
        Assert.Equal("Date is missing", back.StatusText);
        Assert.Equal("system-user@mms.peer.example", Assert.Single(back.To).AddressSpec);
    }

    private static Mm4ReplyFactory Factory() =>
        new(new SequentialIds("mms.gw.example"), new FakeTimeProvider(s_now), Mm4Address.Email("system-user@mms.gw.example"));
}

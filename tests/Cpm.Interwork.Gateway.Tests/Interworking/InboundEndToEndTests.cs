using System.Globalization;
using System.Text;
using Cpm.Interwork.Sip.Stack.Tests.Support;

namespace Cpm.Interwork.Gateway.Tests.Interworking;

/// <summary>
/// MMS → CPM end to end (issue 5): a peer MMSE (swaks, or nodemailer through Postfix) sends MM4_forward.REQ to the gateway,
/// which delivers a SIP MESSAGE through Kamailio to a SIPp UAS, and answers the MMSE with MM4_forward.RES and
/// MM4_delivery_report.REQ whose statuses follow the SIP outcome.
/// </summary>
[Collection(InboundPeersGroup.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InboundEndToEndTests(InboundPeers peers)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task PlainText_Swaks_DeliveredWith200_ResOk_ReportRetrieved_ReportResCorrelated()
    {
        var (mid, tx) = Ids();
        await SwaksAsync("+15550300001", Mail(tx, mid, "+15550300001", "Subject: hello\r\nX-Mms-Delivery-Report: Yes\r\n", "text/plain; charset=utf-8", "hello CPM user"));
        var res = Assert.Single(await peers.WaitForMailsAsync("MM4_forward.RES", mid, Wait));
        Assert.Equal(tx, InboundPeers.Mms(res, "x-mms-transaction-id"));
        Assert.Equal("Ok", InboundPeers.Mms(res, "x-mms-request-status-code"));
        Assert.Null(InboundPeers.Mms(res, "x-mms-status-text")); // the 200 came within Mm4:ResponseWait: not "pending"
        Assert.Equal("system-user@mms.example.net", res.GetProperty("rcpt")[0].GetString());

        var report = Assert.Single(await peers.WaitForMailsAsync("MM4_delivery_report.REQ", mid, Wait));
        Assert.Equal("Retrieved", InboundPeers.Mms(report, "x-mms-mm-status-code"));
        Assert.NotEqual(tx, InboundPeers.Mms(report, "x-mms-transaction-id"));
        Assert.Equal("+15550100001/TYPE=PLMN@mms.example.net", report.GetProperty("rcpt")[0].GetString());

        var message = Assert.Single(peers.MessagesTo(InboundPeers.Uas200, "+15550300001@"));
        Assert.Contains("hello CPM user", message, StringComparison.Ordinal);
        Assert.Contains("From: <sip:+15550100001@ims.example.net;user=phone>", message, StringComparison.Ordinal);
        Assert.Contains("imdn.Disposition-Notification: positive-delivery, negative-delivery", message, StringComparison.Ordinal);
        Assert.True(await peers.Gateway.Process.WaitForOutputAsync("MM4_delivery_report.RES: TransactionId=" + InboundPeers.Mms(report, "x-mms-transaction-id") + " status=Ok matched=True", Wait));

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri(peers.Gateway.Http, "/metrics"));
        Assert.Contains("cpm_interwork_mms_to_cpm_deliveries_total{state=\"Completed\",mm_status=\"Retrieved\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("cpm_interwork_mms_to_cpm_duration_count", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Utf8Subject_NodemailerThroughPostfix_Delivered_SubjectDecodedInCpim()
    {
        var (mid, tx) = Ids();
        var subject = "Grüße aus Köln ✓";
        var encoded = "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(subject)) + "?=";
        var file = await WriteAsync(Mail(tx, mid, "+15550300002", "Subject: " + encoded + "\r\nX-Mms-Delivery-Report: Yes\r\n", "text/plain; charset=utf-8", "Straße"));
        using (var send = PeerProcess.Start("node", [Path.Combine(AppContext.BaseDirectory, "Peers", "inbound-send.js"), "127.0.0.1:" + InboundPeers.PostfixPort.ToString(CultureInfo.InvariantCulture),
            "+15550100001/TYPE=PLMN@mms.example.net", "+15550300002/TYPE=PLMN@" + InboundPeers.Domain, file], environment: new Dictionary<string, string> { ["NODE_PATH"] = InboundPeers.NodeModules() }))
        {
            Assert.True(await send.WaitForExitAsync(TimeSpan.FromSeconds(20)));
            Assert.True(send.ExitCode == 0, send.Output);
        }

        Assert.Equal("Ok", InboundPeers.Mms(Assert.Single(await peers.WaitForMailsAsync("MM4_forward.RES", mid, Wait)), "x-mms-request-status-code"));
        Assert.Equal("Retrieved", InboundPeers.Mms(Assert.Single(await peers.WaitForMailsAsync("MM4_delivery_report.REQ", mid, Wait)), "x-mms-mm-status-code"));
        var message = Assert.Single(peers.MessagesTo(InboundPeers.Uas200, "+15550300002@"));
        Assert.Contains("Subject: " + subject, message, StringComparison.Ordinal);
        Assert.Contains("Straße", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserUnknown404_ResErrorSendingAddressUnresolved_ReportRejected()
    {
        var (mid, tx) = Ids();
        await SwaksAsync("+15550300404", Mail(tx, mid, "+15550300404", "X-Mms-Delivery-Report: Yes\r\n", "text/plain", "to nobody"));
        Assert.Equal("Error-sending-address-unresolved", InboundPeers.Mms(Assert.Single(await peers.WaitForMailsAsync("MM4_forward.RES", mid, Wait)), "x-mms-request-status-code"));
        Assert.Equal("Rejected", InboundPeers.Mms(Assert.Single(await peers.WaitForMailsAsync("MM4_delivery_report.REQ", mid, Wait)), "x-mms-mm-status-code"));
        Assert.Single(peers.MessagesTo(InboundPeers.Uas404, "to nobody"));
    }

    [Fact]
    public async Task Offline480ThenOnline_Retried_ResOkPending_ThenReportRetrieved()
    {
        var (mid, tx) = Ids();
        await SwaksAsync("+15550300480", Mail(tx, mid, "+15550300480", "X-Mms-Delivery-Report: Yes\r\n", "text/plain", "try again"));
        var res = Assert.Single(await peers.WaitForMailsAsync("MM4_forward.RES", mid, Wait));
        Assert.Equal("Ok", InboundPeers.Mms(res, "x-mms-request-status-code"));
        Assert.Contains("pending", InboundPeers.Mms(res, "x-mms-status-text"), StringComparison.Ordinal);
        Assert.Equal("Retrieved", InboundPeers.Mms(Assert.Single(await peers.WaitForMailsAsync("MM4_delivery_report.REQ", mid, Wait)), "x-mms-mm-status-code"));
        var attempts = peers.MessagesTo(InboundPeers.Uas480, "+15550300480@");
        Assert.Equal(2, attempts.Count);
        Assert.Equal(ImdnId(attempts[0]), ImdnId(attempts[1])); // the same message twice: the client can deduplicate
    }

    [Fact]
    public async Task NoAnswer_TimerF_RetriedUntilAttemptsExhausted_ResOkPending_ReportExpired()
    {
        var (mid, tx) = Ids();
        await SwaksAsync("+15550300408", Mail(tx, mid, "+15550300408", "X-Mms-Delivery-Report: Yes\r\n", "text/plain", "anyone there"));
        var res = Assert.Single(await peers.WaitForMailsAsync("MM4_forward.RES", mid, Wait));
        Assert.Equal("Ok", InboundPeers.Mms(res, "x-mms-request-status-code"));
        Assert.Contains("pending", InboundPeers.Mms(res, "x-mms-status-text"), StringComparison.Ordinal);
        // 3 attempts × Timer F (64 × 50 ms) + back-off 1 s + 2 s.
        var report = Assert.Single(await peers.WaitForMailsAsync("MM4_delivery_report.REQ", mid, TimeSpan.FromSeconds(30)));
        Assert.Equal("Expired", InboundPeers.Mms(report, "x-mms-mm-status-code"));
        var seen = peers.MessagesTo(InboundPeers.UasSilent, "+15550300408@");
        Assert.Equal(3, CountCallIds(seen)); // three attempts (Ims:Retry:MaxAttempts), each retransmitted by Kamailio's own transaction
        Assert.Single(seen.Select(ImdnId).Distinct());
    }

    [Fact]
    public async Task ExpiryPassed_NotSentToTheCpmUser_ReportExpired()
    {
        var (mid, tx) = Ids();
        await SwaksAsync("+15550300006", Mail(tx, mid, "+15550300006", "X-Mms-Delivery-Report: Yes\r\nX-Mms-Expiry: Mon, 01 Jan 2024 00:00:00 +0000\r\n", "text/plain", "too late"));
        Assert.Equal("Expired", InboundPeers.Mms(Assert.Single(await peers.WaitForMailsAsync("MM4_delivery_report.REQ", mid, Wait)), "x-mms-mm-status-code"));
        Assert.Single(await peers.WaitForMailsAsync("MM4_forward.RES", mid, Wait));
        Assert.Empty(peers.MessagesTo(InboundPeers.Uas200, "+15550300006@"));
    }

    [Fact]
    public async Task AnonymousSender_CpimFromAnonymousUri_PrivacyId_NoIdentityLeak()
    {
        var (mid, tx) = Ids();
        await SwaksAsync("+15550300007", Mail(tx, mid, "+15550300007", "X-Mms-Sender-Visibility: Hide\r\n", "text/plain", "guess who"));
        Assert.Equal("Ok", InboundPeers.Mms(Assert.Single(await peers.WaitForMailsAsync("MM4_forward.RES", mid, Wait)), "x-mms-request-status-code"));
        var message = Assert.Single(peers.MessagesTo(InboundPeers.Uas200, "+15550300007@"));
        Assert.Contains("<sip:anonymous@anonymous.invalid>", message, StringComparison.Ordinal);
        Assert.Contains("Privacy: id", message, StringComparison.Ordinal);
        var cpim = message[message.IndexOf("\r\n\r\n", StringComparison.Ordinal)..];
        Assert.DoesNotContain("+15550100001", cpim, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImageMm_MultipartRelatedWithSmil_CarriedWhole_OverTcpAboveTheMtuLimit()
    {
        var (mid, tx) = Ids();
        var png = Convert.ToBase64String(Enumerable.Range(0, 1800).Select(i => (byte)(i * 7)).ToArray(), Base64FormattingOptions.InsertLineBreaks);
        var body = "--b1\r\nContent-Type: application/smil\r\nContent-ID: <smil>\r\n\r\n<smil><body><par><img src=\"cid:img1\"/></par></body></smil>\r\n" +
                   "--b1\r\nContent-Type: image/png\r\nContent-ID: <img1>\r\nContent-Transfer-Encoding: base64\r\n\r\n" + png + "\r\n--b1--\r\n";
        await SwaksAsync("+15550300008", Mail(tx, mid, "+15550300008", "", "multipart/related; start=\"<smil>\"; type=\"application/smil\"; boundary=\"b1\"", body));
        Assert.Equal("Ok", InboundPeers.Mms(Assert.Single(await peers.WaitForMailsAsync("MM4_forward.RES", mid, Wait)), "x-mms-request-status-code"));
        var message = Assert.Single(peers.MessagesTo(InboundPeers.Uas200, "+15550300008@"));
        Assert.Contains("<smil><body>", message, StringComparison.Ordinal);
        Assert.Contains("multipart/related", message, StringComparison.Ordinal);
        Assert.Contains(png[..60], message, StringComparison.Ordinal);
        Assert.True(await peers.Kamailio.WaitForOutputAsync("from tcp to sip:127.0.0.1:" + InboundPeers.Uas200.ToString(CultureInfo.InvariantCulture), TimeSpan.FromSeconds(2)),
            "the large MESSAGE should have reached Kamailio over TCP");
    }

    [Fact]
    public async Task ContentAbovePagerModeLimit_RefusedWithErrorContentNotAccepted_NeverTruncated()
    {
        var (mid, tx) = Ids();
        await SwaksAsync("+15550300009", Mail(tx, mid, "+15550300009", "X-Mms-Delivery-Report: Yes\r\n", "text/plain", new string('z', 9000)));
        var res = Assert.Single(await peers.WaitForMailsAsync("MM4_forward.RES", mid, Wait));
        Assert.Equal("Error-content-not-accepted", InboundPeers.Mms(res, "x-mms-request-status-code"));
        Assert.Contains("Large Message", InboundPeers.Mms(res, "x-mms-status-text"), StringComparison.Ordinal);
        Assert.Equal("Rejected", InboundPeers.Mms(Assert.Single(await peers.WaitForMailsAsync("MM4_delivery_report.REQ", mid, Wait)), "x-mms-mm-status-code"));
        Assert.Empty(peers.MessagesTo(InboundPeers.Uas200, "+15550300009@"));
    }

    [Fact]
    public async Task RepeatedMessageId_ResSentAgain_CpmUserGetsItOnce()
    {
        var (mid, tx) = Ids();
        var mail = Mail(tx, mid, "+15550300010", "", "text/plain", "only once");
        await SwaksAsync("+15550300010", mail);
        Assert.Single(await peers.WaitForMailsAsync("MM4_forward.RES", mid, Wait));
        var output = await SwaksAsync("+15550300010", mail);
        Assert.Contains("already accepted", output, StringComparison.Ordinal);
        var both = await peers.WaitForMailsAsync("MM4_forward.RES", mid, Wait, count: 2);
        Assert.Equal(2, both.Count);
        Assert.All(both, r => Assert.Equal("Ok", InboundPeers.Mms(r, "x-mms-request-status-code")));
        await Task.Delay(500);
        Assert.Single(peers.MessagesTo(InboundPeers.Uas200, "+15550300010@"));
    }

    [Fact]
    public async Task MissingMandatoryHeader_AnsweredByResErrorMessageFormatCorrupt()
    {
        var (mid, tx) = Ids();
        var mail = Mail(tx, mid, "+15550300011", "", "text/plain", "no To header").Replace("To: +15550300011/TYPE=PLMN\r\n", string.Empty, StringComparison.Ordinal);
        await SwaksAsync("+15550300011", mail);
        var res = Assert.Single(await peers.WaitForMailsAsync("MM4_forward.RES", mid, Wait));
        Assert.Equal("Error-message-format-corrupt", InboundPeers.Mms(res, "x-mms-request-status-code"));
        Assert.Equal(tx, InboundPeers.Mms(res, "x-mms-transaction-id"));
        Assert.Empty(peers.MessagesTo(InboundPeers.Uas200, "+15550300011@"));
    }

    [Fact]
    public async Task TwoRcptToRecipients_OneRes_WithTheDefinitiveFailure_AndOneReportEach_ToHeaderIgnored()
    {
        var (mid, tx) = Ids();
        // To: names a third number that is not in RCPT TO: it must get nothing.
        var mail = Mail(tx, mid, "+15550300013", "Cc: +15550300012/TYPE=PLMN\r\nX-Mms-Delivery-Report: Yes\r\n", "text/plain", "two of us");
        await SwaksAsync("+15550300012/TYPE=PLMN@" + InboundPeers.Domain + ",+15550300404", mail);
        var res = Assert.Single(await peers.WaitForMailsAsync("MM4_forward.RES", mid, Wait));
        Assert.Equal("Error-sending-address-unresolved", InboundPeers.Mms(res, "x-mms-request-status-code"));
        var reports = await peers.WaitForMailsAsync("MM4_delivery_report.REQ", mid, Wait, count: 2);
        Assert.Equal("Rejected,Retrieved", string.Join(",", reports.Select(r => InboundPeers.Mms(r, "x-mms-mm-status-code")).Order()));
        Assert.Single(peers.MessagesTo(InboundPeers.Uas200, "+15550300012@"));
        Assert.Empty(peers.MessagesTo(InboundPeers.Uas200, "+15550300013@"));
    }

    private static (string Mid, string Tx) Ids()
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        return ("in" + id + "@mms.example.net", "tx" + id);
    }

    private static string? ImdnId(string message)
    {
        var m = System.Text.RegularExpressions.Regex.Match(message, "imdn.Message-ID: (\\S+)");
        return m.Success ? m.Groups[1].Value : null;
    }

    private static int CountCallIds(IReadOnlyList<string> messages) =>
        messages.Select(m => System.Text.RegularExpressions.Regex.Match(m, "Call-ID: (\\S+)").Groups[1].Value).Distinct().Count();

    internal static string Mail(string tx, string mid, string recipient, string headers, string contentType, string body) =>
        "From: +15550100001/TYPE=PLMN\r\nSender: +15550100001/TYPE=PLMN@mms.example.net\r\nTo: " + recipient + "/TYPE=PLMN\r\n" +
        "Message-ID: <" + mid + ">\r\nDate: " + DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture) + "\r\n" +
        "Content-Type: " + contentType + "\r\nMIME-Version: 1.0\r\n" +
        "X-Mms-3GPP-MMS-Version: 6.10.0\r\nX-Mms-Message-Type: MM4_forward.REQ\r\nX-Mms-Transaction-ID: \"" + tx + "\"\r\nX-Mms-Message-ID: \"" + mid + "\"\r\n" +
        "X-Mms-Message-Class: Personal\r\nX-Mms-Priority: Normal\r\nX-Mms-Ack-Request: Yes\r\nX-Mms-Originator-System: system-user@mms.example.net\r\n" + headers + "\r\n" + body + "\r\n";

    private static async Task<string> WriteAsync(string mail)
    {
        var file = Path.Combine(Path.GetTempPath(), "cpm-inbound-" + Guid.NewGuid().ToString("N") + ".eml");
        await File.WriteAllBytesAsync(file, Encoding.UTF8.GetBytes(mail));
        return file;
    }

    internal static Task<string> SwaksToGatewayAsync(string number, string mail) => SwaksAsync(number, mail);

    private static async Task<string> SwaksAsync(string number, string mail)
    {
        var file = await WriteAsync(mail);
        try
        {
            using var swaks = PeerProcess.Start("swaks",
                ["--server", "127.0.0.1:" + InboundPeers.GatewaySmtp.ToString(CultureInfo.InvariantCulture), "--helo", "mms.example.net",
                 "--from", "+15550100001/TYPE=PLMN@mms.example.net", "--to", number + "/TYPE=PLMN@" + InboundPeers.Domain, "--data", "@" + file],
                environment: new Dictionary<string, string> { ["POSIXLY_CORRECT"] = "1" });
            Assert.True(await swaks.WaitForExitAsync(TimeSpan.FromSeconds(20)));
            Assert.True(swaks.ExitCode == 0, swaks.Output);
            return swaks.Output;
        }
        finally
        {
            File.Delete(file);
        }
    }
}

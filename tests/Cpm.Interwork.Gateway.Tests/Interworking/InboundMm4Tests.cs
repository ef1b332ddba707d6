using System.Globalization;
using Cpm.Interwork.Sip.Stack.Tests.Support;

namespace Cpm.Interwork.Gateway.Tests.Interworking;

/// <summary>
/// What the gateway's SMTP server (gw1, port 15251) does with MM4 mails that are not the RES of one of its forwards,
/// driven with swaks as the peer MMSE: stored and accepted, refused honestly, or dropped — never a claimed delivery.
/// </summary>
[Collection(InterworkPeersGroup.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InboundMm4Tests(InterworkPeers peers)
{
    [Fact]
    public async Task InboundForwardReq_IsStoredBeforeThe250_AndNotClaimedDelivered()
    {
        var mid = "in-" + Guid.NewGuid().ToString("N")[..10] + "@mms.example.net";
        var mail = Mail("MM4_forward.REQ", "tx-" + mid, mid,
            "From: +15550100099/TYPE=PLMN\r\nTo: +15550100001/TYPE=PLMN\r\nSubject: hi\r\nX-Mms-Ack-Request: Yes\r\nX-Mms-Originator-System: system-user@mms.example.net\r\nContent-Type: text/plain\r\n",
            "hello CPM\r\n");
        var (exit, output) = await SwaksAsync("+15550100099/TYPE=PLMN@mms.example.net", "+15550100001/TYPE=PLMN@" + InterworkPeers.Gw1Domain, mail);
        Assert.True(exit == 0, output);
        Assert.Contains("<~  250 2.0.0 OK stored", output.Replace("<-  ", "<~  ", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(await peers.Gateway1.Process.WaitForOutputAsync("stored for delivery to CPM (not delivered yet)", TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task InboundDeliveryReport_IsRefused554_NotHandledYet()
    {
        var mid = "dr-" + Guid.NewGuid().ToString("N")[..10] + "@mms.example.net";
        var mail = Mail("MM4_delivery_report.REQ", "tx-" + mid, mid,
            "From: +15550100002/TYPE=PLMN\r\nTo: +15550100001/TYPE=PLMN\r\nX-Mms-MM-Status-Code: Retrieved\r\nX-Mms-Forward-To-Originator-UA: Yes\r\n", "");
        var (_, output) = await SwaksAsync("system-user@mms.example.net", "system-user@" + InterworkPeers.Gw1Domain, mail);
        Assert.Contains("554 5.3.3 MM4_delivery_report.REQ is not handled by this gateway yet", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MailThatIsNotMm4_IsRefused554_NamingTheFault()
    {
        var (_, output) = await SwaksAsync("someone@mms.example.net", "system-user@" + InterworkPeers.Gw1Domain,
            "From: someone@mms.example.net\r\nTo: system-user@" + InterworkPeers.Gw1Domain + "\r\nSubject: not MM4\r\n\r\nplain mail\r\n");
        Assert.Contains("554 5.6.0 MM4 message not readable", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForwardResForAnUnknownTransaction_IsAccepted_AndLogged()
    {
        var tx = "unknown-" + Guid.NewGuid().ToString("N")[..10];
        var mail = Mail("MM4_forward.RES", tx, "m-" + tx, "To: system-user@" + InterworkPeers.Gw1Domain + "\r\nX-Mms-Request-Status-Code: Ok\r\n", "");
        var (exit, output) = await SwaksAsync("system-user@mms.example.net", "system-user@" + InterworkPeers.Gw1Domain, mail);
        Assert.True(exit == 0, output);
        Assert.True(await peers.Gateway1.Process.WaitForOutputAsync("MM4_forward.RES for an unknown TransactionId=" + tx, TimeSpan.FromSeconds(5)));
    }

    private static string Mail(string type, string tx, string mid, string headers, string body) =>
        "Sender: system-user@mms.example.net\r\nMessage-ID: <" + mid + ">\r\nDate: " + DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture) +
        "\r\nX-Mms-3GPP-MMS-Version: 6.10.0\r\nX-Mms-Message-Type: " + type + "\r\nX-Mms-Transaction-ID: " + tx + "\r\nX-Mms-Message-ID: " + mid + "\r\n" +
        headers + "\r\n" + body;

    private static async Task<(int Exit, string Output)> SwaksAsync(string from, string to, string mail)
    {
        var file = Path.Combine(Path.GetTempPath(), "cpm-mm4-" + Guid.NewGuid().ToString("N") + ".eml");
        await File.WriteAllTextAsync(file, mail);
        try
        {
            using var swaks = PeerProcess.Start("swaks",
                ["--server", "127.0.0.1:" + InterworkPeers.Gw1Smtp.ToString(CultureInfo.InvariantCulture), "--helo", "mms.example.net", "--from", from, "--to", to, "--data", "@" + file],
                environment: new Dictionary<string, string> { ["POSIXLY_CORRECT"] = "1" });
            Assert.True(await swaks.WaitForExitAsync(TimeSpan.FromSeconds(20)));
            return (swaks.ExitCode, swaks.Output);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

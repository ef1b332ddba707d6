using System.Text.RegularExpressions;

namespace Cpm.Interwork.Gateway.Tests.Interworking;

/// <summary>Issue 5 item 5: every delivery attempt is persisted; a gateway killed between attempts resumes the count after restart.</summary>
[Collection(InboundPeersGroup.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InboundRestartTests(InboundPeers peers)
{
    [Fact]
    public async Task GatewayKilledBetweenAttempts_ResumesWithTheNextAttempt_ThenReportExpired_SameImdnId()
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var mid = "rs" + id + "@mms.example.net";
        var tx = "tx" + id;
        var mail = InboundEndToEndTests.Mail(tx, mid, "+15550300409", "X-Mms-Delivery-Report: Yes\r\n", "text/plain", "survive a restart");
        await InboundEndToEndTests.SwaksToGatewayAsync("+15550300409", mail);
        Assert.True(await peers.Gateway.Process.WaitForOutputAsync("SIP delivery attempt 1: MessageId=" + mid, TimeSpan.FromSeconds(10)), peers.Gateway.Process.Output);

        await peers.RestartGatewayAsync();

        Assert.True(await peers.Gateway.Process.WaitForOutputAsync("SIP delivery attempt 2: MessageId=" + mid, TimeSpan.FromSeconds(15)), peers.Gateway.Process.Output);
        var report = Assert.Single(await peers.WaitForMailsAsync("MM4_delivery_report.REQ", mid, TimeSpan.FromSeconds(20)));
        Assert.Equal("Expired", InboundPeers.Mms(report, "x-mms-mm-status-code"));
        Assert.Single(await peers.WaitForMailsAsync("MM4_forward.RES", mid, TimeSpan.FromSeconds(1)));
        var seen = peers.MessagesTo(InboundPeers.UasSilent, "+15550300409@");
        Assert.Equal(3, seen.Select(m => Regex.Match(m, "Call-ID: (\\S+)").Groups[1].Value).Distinct().Count());
        Assert.Single(seen.Select(m => Regex.Match(m, "imdn.Message-ID: (\\S+)").Groups[1].Value).Distinct());
    }
}

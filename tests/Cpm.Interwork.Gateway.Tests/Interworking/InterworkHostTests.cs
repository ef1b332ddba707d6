using System.Net;
using System.Net.Sockets;
using Cpm.Interwork.Core;
using Cpm.Interwork.Gateway.Interworking;
using Cpm.Interwork.Gateway.Tests.Support;
using Cpm.Interwork.Store;

namespace Cpm.Interwork.Gateway.Tests.Interworking;

/// <summary>Host-level pieces of the CPM→MMS flow: number masking, stored outcomes → SIP, start-up validation (exit 2 / 3). Ports: SMTP 15257–15258.</summary>
public sealed class InterworkHostTests
{
    [Theory]
    [InlineData("+15550100002", "+15550****02")]
    [InlineData("sip:+447700900123@ims.example.net;user=phone", "sip:+44770*****23@ims.example.net;user=phone")]
    [InlineData("+15550100002/TYPE=PLMN@mms.example.net,+15550100003/TYPE=PLMN@x", "+15550****02/TYPE=PLMN@mms.example.net,+15550****03/TYPE=PLMN@x")]
    [InlineData("CSeq 123456 ok", "CSeq 123456 ok")] // fewer than 7 digits: not a phone number
    public void MaskNumbers_KeepsFiveLeadingAndTwoTrailingDigits(string text, string masked)
    {
        Assert.Equal(masked, new NumberMask(true).Apply(text));
        Assert.Equal(text, new NumberMask(false).Apply(text));
    }

    [Theory]
    [InlineData("res:Ok", 200, null)]
    [InlineData("res:Error-service-denied|quota exceeded", 403, "quota exceeded")]
    [InlineData("res:Error-network-problem", 503, null)]
    [InlineData("smtp:554 5.7.1 refused", 403, "554")]
    [InlineData("smtp:550 5.1.1 no such user", 404, "550")]
    [InlineData("transient:ConnectFailure", 503, "unreachable")]
    [InlineData("noroute:ENUM NXDomain", 404, "+15550100002")]
    public void StoredOutcome_IsAnsweredAgain_AsTheSameSipResponse(string statusText, int code, string? warning)
    {
        var item = new WorkItem
        {
            Id = 1, Kind = WorkKind.ForwardToMmse, Direction = WorkDirection.CpmToMms, DedupKey = "k", State = WorkState.Completed, Version = 1,
            Recipients = ["+15550100002/TYPE=PLMN@mms.example.net"], StatusText = statusText,
        };
        var options = new InterworkOptions { GatewayDomains = ["mms.gw.example"] };
        var answer = ForwardItems.AnswerOf(item, options);
        Assert.NotNull(answer);
        Assert.Equal(code, answer.StatusCode);
        if (warning is not null)
        {
            Assert.Contains(answer.Warnings, w => w.Contains(warning, StringComparison.Ordinal));
        }

        Assert.Equal(code == 503, answer.RetryAfter is not null);
    }

    [Fact]
    public void PartialSuccessAtTheRelay_ThenOkRes_Is202NamingTheRefusedRecipient()
    {
        var item = new WorkItem
        {
            Id = 1, Kind = WorkKind.ForwardToMmse, Direction = WorkDirection.CpmToMms, DedupKey = "k", State = WorkState.Completed, Version = 1,
            Recipients = ["+15550100002/TYPE=PLMN@mms.example.net", "+15550100003/TYPE=PLMN@mms.example.net"],
            StatusText = "res:Ok" + ForwardItems.Refusals(["+15550100003"], 550, "5.1.1 no such user"),
        };
        var answer = ForwardItems.AnswerOf(item, new InterworkOptions { GatewayDomains = ["mms.gw.example"] });
        Assert.Equal(202, answer!.StatusCode);
        Assert.Contains(answer.Warnings, w => w.Contains("not delivered to +15550100003", StringComparison.Ordinal));
        Assert.DoesNotContain(answer.Warnings, w => w.Contains("not delivered to +15550100002", StringComparison.Ordinal));
    }

    [Fact]
    public void SentButUnanswered_HasNoOutcomeYet()
    {
        var item = new WorkItem
        {
            Id = 1, Kind = WorkKind.ForwardToMmse, Direction = WorkDirection.CpmToMms, DedupKey = "k", State = WorkState.AwaitingResponse, Version = 1,
            StatusText = "sent:250 2.0.0 Ok",
        };
        Assert.Null(ForwardItems.AnswerOf(item, new InterworkOptions { GatewayDomains = ["mms.gw.example"] }));
    }

    [Theory]
    [InlineData("--Interwork:ResponseWait=00:00:31", "configuration error: Interwork:ResponseWait must be > 0 and ≤ 30 s")]
    [InlineData("--Sip:MessageHandlerTimeoutSeconds=21", "configuration error: Interwork:ResponseWait = '00:00:20' must be at least 2 s below Sip:MessageHandlerTimeoutSeconds")]
    [InlineData("--Interwork:NoResponsePolicy=Maybe", "configuration error: Interwork:NoResponsePolicy = 'Maybe' cannot be read as one of Accepted")]
    [InlineData("--Interwork:ResponseWaitt=00:00:05", "configuration error: Interwork:ResponseWaitt = '00:00:05' is not a known setting")]
    [InlineData("--Interwork:LeaseDuration=00:00:10", "configuration error: Interwork:LeaseDuration must be at least Interwork:ResponseWait + 5 s")]
    [InlineData("--Smtp:Listen:0=nowhere", "configuration error: Smtp:Listen:0 = 'nowhere' is not ADDRESS:PORT")]
    [InlineData("--Store:Provider=Oracle", "configuration error: Store:Provider = 'Oracle' must be Sqlite or Postgres")]
    [InlineData("--Logging:MaskNumbers=perhaps", "configuration error: Logging:MaskNumbers = 'perhaps' is not true or false")]
    [InlineData("--Routing:Routes:0:Key=+1555*", "configuration error: Routing:Routes:0")]
    public async Task BadInterworkSetting_StopsTheGateway_WithExit2_AndOneLineNamingTheKey(string argument, string expected)
    {
        using var process = GatewayProcess.Launch("--Mm4:Domains:0=mms.gw.example", "--Sip:Listen:0=udp:127.0.0.1:0", "--Urls=http://127.0.0.1:0", argument);
        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(2, process.ExitCode);
        var lines = process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith(expected, Assert.Single(lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreThatCannotBeOpened_StopsTheGateway_WithExit3_AndOneLine()
    {
        var file = Path.Combine(Path.GetTempPath(), "cpm-not-a-dir-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(file, "a file where the store's directory should be");
        try
        {
            using var process = GatewayProcess.Launch("--Mm4:Domains:0=mms.gw.example", "--Sip:Listen:0=udp:127.0.0.1:0", "--Urls=http://127.0.0.1:0",
                "--Smtp:Listen:0=127.0.0.1:15258", "--Store:Path=" + Path.Combine(file, "db.sqlite"));
            Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(3, process.ExitCode);
            var line = Assert.Single(process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("startup error:", StringComparison.Ordinal));
            Assert.Contains("cannot open the store", line, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task SmtpPortInUse_StopsTheGateway_WithExit3()
    {
        var blocker = new TcpListener(IPAddress.Loopback, 15257);
        blocker.Start();
        try
        {
            using var process = GatewayProcess.Launch("--Mm4:Domains:0=mms.gw.example", "--Sip:Listen:0=udp:127.0.0.1:0", "--Urls=http://127.0.0.1:0",
                "--Smtp:Listen:0=127.0.0.1:15257", "--Store:Path=" + Path.Combine(Path.GetTempPath(), "cpm-exit3-" + Guid.NewGuid().ToString("N") + ".db"));
            Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(3, process.ExitCode);
            Assert.Contains("startup error:", process.Output, StringComparison.Ordinal);
        }
        finally
        {
            blocker.Stop();
        }
    }
}

using System.Text;
using Cpm.Interwork.Gateway.Tests.Support;
using Cpm.Interwork.Store;

namespace Cpm.Interwork.Gateway.Tests.Interworking;

/// <summary>
/// Crash and restart of the gateway (gw2: SIP 15067, HTTP 18087, SMTP 15255, MMSE domain mms.gw2.example) with the
/// collection's real peers: a forward persisted before the crash completes after the restart, exactly once at the MMSE.
/// </summary>
[Collection(InterworkPeersGroup.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class GatewayRestartTests(InterworkPeers peers)
{
    [Fact]
    public async Task GatewayKilledWhileWaitingForTheRes_IsRestarted_AndTheRetransmittedMessageGetsThe200_WithOneForwardAtTheMmse()
    {
        const string number = "+15550200001"; // the MMSE answers 7 s after the REQ, retrying until gw2 is back
        var args = InterworkPeers.GatewayArguments(InterworkPeers.Gw2Domain, InterworkPeers.Gw2Smtp, Path.Combine(peers.Directory, "gw2-kill.db"), "00:00:20");
        var gw2 = await GatewayProcess.StartAsync(InterworkPeers.Gw2Sip, 18087, args);
        GatewayProcess? restarted = null;
        try
        {
            var message = new SippMessage { RequestUri = $"sip:{number}@ims.example.net;user=phone", Body = "survives a crash" };
            var sipp = message.RunAsync("u1", 200, TimeSpan.FromSeconds(40));
            Assert.True(await gw2.Process.WaitForOutputAsync("MM4_forward.REQ sent", TimeSpan.FromSeconds(15)), gw2.Process.Output);

            gw2.Process.Signal(9); // SIGKILL: no drain, no answer
            Assert.True(await gw2.Process.WaitForExitAsync(TimeSpan.FromSeconds(10)));
            restarted = await GatewayProcess.StartAsync(InterworkPeers.Gw2Sip, 18087, args);

            var result = await sipp;
            Assert.True(result.ExitCode == 0, $"SIPp: exit {result.ExitCode}\n{result.Errors}\n{result.Messages}\n--- restarted gateway:\n{CpmToMmsEndToEndTests.Tail(restarted.Process.Output)}");
            Assert.Contains("Repeated MESSAGE", restarted.Process.Output, StringComparison.Ordinal); // Kamailio's retransmission, answered from the store
            Assert.Contains("MM4_forward.RES received", restarted.Process.Output, StringComparison.Ordinal);
            await Task.Delay(1000);
            Assert.Single(await peers.WaitForRequestsAsync(number, TimeSpan.FromSeconds(1)));
        }
        finally
        {
            restarted?.Dispose();
            gw2.Dispose();
        }
    }

    [Fact]
    public async Task ForwardPersistedButNeverSent_BeforeACrash_IsSentByTheWorkerAfterRestart_WithItsOwnTransactionId_Once()
    {
        const string number = "+15550200002";
        var db = Path.Combine(peers.Directory, "gw2-resume.db");
        var tx = "resume-" + Guid.NewGuid().ToString("N")[..12] + "@" + InterworkPeers.Gw2Domain;
        var mid = "m-" + Guid.NewGuid().ToString("N")[..12] + "@" + InterworkPeers.Gw2Domain;

        // What a crash between "persisted" and "sent" leaves behind: a Pending forward whose lease has run out.
        var options = new StoreOptions { Path = db };
        await using (var store = await MessageStoreFactory.OpenAsync(options, peers.Directory, TimeProvider.System, null, CancellationToken.None))
        {
            var mail = "From: +15550100001/TYPE=PLMN\r\nTo: " + number + "/TYPE=PLMN\r\nSender: +15550100001/TYPE=PLMN@" + InterworkPeers.Gw2Domain +
                "\r\nMessage-ID: <" + mid + ">\r\nDate: Wed, 25 Nov 2026 12:00:00 +0000\r\nContent-Type: text/plain; charset=us-ascii\r\n" +
                "X-Mms-3GPP-MMS-Version: 6.10.0\r\nX-Mms-Message-Type: MM4_forward.REQ\r\nX-Mms-Transaction-ID: " + tx + "\r\nX-Mms-Message-ID: " + mid +
                "\r\nX-Mms-Ack-Request: Yes\r\nX-Mms-Originator-System: system-user@" + InterworkPeers.Gw2Domain + "\r\n\r\npersisted before the crash\r\n";
            var insert = await store.InsertAsync(new NewWorkItem
            {
                Kind = WorkKind.ForwardToMmse,
                Direction = WorkDirection.CpmToMms,
                DedupKey = "test:" + tx,
                GroupKey = "test:" + tx,
                SipCallId = "crash-test@e2e",
                Sender = "+15550100001",
                Mm4TransactionId = tx,
                Mm4MessageId = mid,
                Recipients = [number + "/TYPE=PLMN@mms.example.net"],
                PeerDomain = "mms.example.net",
                Payload = Encoding.ASCII.GetBytes(mail),
                Envelope = Encoding.ASCII.GetBytes("+15550100001/TYPE=PLMN@" + InterworkPeers.Gw2Domain + "\n" + number + "/TYPE=PLMN@mms.example.net"),
                ExpiresAt = DateTimeOffset.UtcNow.AddHours(1),
            }, CancellationToken.None);
            Assert.True(insert.Created);
        }

        var args = InterworkPeers.GatewayArguments(InterworkPeers.Gw2Domain, InterworkPeers.Gw2Smtp, db, "00:00:20");
        using (var gw2 = await GatewayProcess.StartAsync(InterworkPeers.Gw2Sip, 18087, args))
        {
            var req = Assert.Single(await peers.WaitForRequestsAsync(number, TimeSpan.FromSeconds(15)));
            Assert.Equal(tx, CpmToMmsEndToEndTests.Header(req.GetProperty("headers"), "x-mms-transaction-id"));
            Assert.True(await gw2.Process.WaitForOutputAsync("MM4_forward.RES received", TimeSpan.FromSeconds(15)), gw2.Process.Output);
            gw2.Process.Signal(15);
            await gw2.Process.WaitForExitAsync(TimeSpan.FromSeconds(20));
        }

        // A second restart finds the forward completed: nothing is sent again.
        using (var again = await GatewayProcess.StartAsync(InterworkPeers.Gw2Sip, 18087, args))
        {
            await Task.Delay(1500);
            Assert.Single(await peers.WaitForRequestsAsync(number, TimeSpan.FromMilliseconds(100)));
        }

        await using var check = await MessageStoreFactory.OpenAsync(options, peers.Directory, TimeProvider.System, null, CancellationToken.None);
        var item = await check.FindByTransactionIdAsync(WorkKind.ForwardToMmse, tx, CancellationToken.None);
        Assert.Equal(WorkState.Completed, item!.State);
        Assert.Equal(200, item.StatusCode);
    }
}

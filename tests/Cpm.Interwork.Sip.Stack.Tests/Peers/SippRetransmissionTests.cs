using System.Text.RegularExpressions;
using Cpm.Interwork.Sip.Stack.Tests.Support;

namespace Cpm.Interwork.Sip.Stack.Tests.Peers;

/// <summary>SIPp retransmitting a MESSAGE over UDP against the in-process server with a slow counting handler.</summary>
public sealed partial class SippRetransmissionTests
{
    [Fact]
    public async Task SippRetransmitsOverUdp_TheHandlerSeesOneRequest_SippGetsTheFinal()
    {
        var handler = new CountingHandler(TimeSpan.FromSeconds(4.5), SipFinalAnswer.Ok());
        await using var harness = await SipServerHarness.StartAsync(handler);

        var result = await Sipp.RunAsync(Sipp.Scenario("message-retransmit-udp.xml"), "u1", 15080, $"127.0.0.1:{harness.UdpEndPoint.Port}");

        Assert.True(result.ExitCode == 0, $"sipp exit {result.ExitCode}\n{result.Output}\n{result.Errors}\n{result.Messages}");
        var sent = SentMessage().Count(result.Messages);
        Assert.True(sent >= 4, $"SIPp should have retransmitted (sent {sent} times in 4.5 s):\n{result.Messages}");
        Assert.Equal(1, handler.Calls);

        // RFC 4320: the 100 Trying came at 3.5 s (after the first three retransmissions), not before.
        var log = result.Messages;
        var tryingAt = log.IndexOf("SIP/2.0 100 Trying", StringComparison.Ordinal);
        Assert.True(tryingAt > 0, "a 100 Trying was expected once Timer E reached T2:\n" + log);
        Assert.True(SentMessage().Count(log[..tryingAt]) >= 4, "100 Trying came before SIPp's Timer E reached T2:\n" + log);
    }

    [GeneratedRegex(@"^MESSAGE sip:", RegexOptions.Multiline)]
    private static partial Regex SentMessage();
}

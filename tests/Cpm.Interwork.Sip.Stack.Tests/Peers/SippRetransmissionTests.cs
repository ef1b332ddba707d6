using System.Globalization;
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
        // SIPp's message log: "----- <date> <time>" then "UDP message sent (N bytes):" or "UDP message received [N] bytes :", then the message.
        var entries = LogEntry().Matches(result.Messages).Select(m => (
            At: DateTime.Parse(m.Groups["at"].Value, CultureInfo.InvariantCulture),
            Sent: m.Groups["dir"].Value == "sent",
            StartLine: m.Groups["line"].Value.Trim())).ToList();
        var sends = entries.Where(e => e.Sent && e.StartLine.StartsWith("MESSAGE ", StringComparison.Ordinal)).ToList();
        Assert.True(sends.Count >= 3, $"SIPp should have retransmitted (sent {sends.Count} times):\n{result.Messages}");
        Assert.Equal(1, handler.Calls);

        // RFC 4320 §4.1: no 100 Trying before the client's Timer E reached T2 (T1+2T1+4T1 = 3.5 s after the first send).
        var trying = entries.FirstOrDefault(e => !e.Sent && e.StartLine == "SIP/2.0 100 Trying");
        Assert.True(trying.At != default, "a 100 Trying was expected once Timer E reached T2:\n" + result.Messages);
        var after = trying.At - sends[0].At;
        Assert.True(after >= TimeSpan.FromMilliseconds(3450), $"100 Trying came {after.TotalMilliseconds} ms after the first send, before Timer E reached T2");
        var final = entries.Single(e => !e.Sent && e.StartLine == "SIP/2.0 200 OK");
        Assert.True(final.At > trying.At);
    }

    [GeneratedRegex(@"^-+ (?<at>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)\r?\nUDP message (?<dir>sent|received) (?:\(\d+ bytes\)|\[\d+\] bytes ?):\r?\n\r?\n(?<line>[^\r\n]*)", RegexOptions.Multiline)]
    private static partial Regex LogEntry();
}

using Cpm.Interwork.Gateway.Tests.Support;
using Cpm.Interwork.Sip.Stack.Tests.Support;

namespace Cpm.Interwork.Gateway.Tests;

/// <summary>
/// SIPp (a real, independent SIP implementation) sending straight to the running gateway process over UDP and TCP.
/// Each scenario fails (SIPp exit ≠ 0) on any other status or a missing header. SIPp local ports 15090–15099.
/// </summary>
public sealed class SippGatewayTests(SippGatewayFixture fixture) : IClassFixture<SippGatewayFixture>
{
    [Theory]
    [InlineData("options.xml", "u1", 15090)]
    [InlineData("options.xml", "t1", 15091)]
    [InlineData("message.xml", "u1", 15092)]
    [InlineData("message.xml", "t1", 15093)]
    [InlineData("subscribe.xml", "u1", 15094)]
    [InlineData("subscribe.xml", "t1", 15095)]
    [InlineData("message-maxforwards-0.xml", "u1", 15096)]
    [InlineData("message-maxforwards-0.xml", "t1", 15097)]
    [InlineData("message-require-foo.xml", "u1", 15098)]
    [InlineData("message-require-foo.xml", "t1", 15099)]
    public async Task SippScenario_GetsTheExpectedAnswer(string scenario, string transport, int localPort)
    {
        var result = await Sipp.RunAsync(Sipp.Scenario(scenario), transport, localPort, $"127.0.0.1:{fixture.Gateway.SipPort}");
        Assert.True(result.ExitCode == 0, $"sipp {scenario} over {transport}: exit {result.ExitCode}\n{result.Output}\n{result.Errors}\n{result.Messages}\ngateway:\n{fixture.Gateway.Process.Output}");
    }
}

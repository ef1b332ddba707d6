using System.Net;
using System.Text;

namespace Cpm.Interwork.Sip.Stack.Tests;

/// <summary>Salvaging what a 400 needs from bytes the parser could not turn into a message.</summary>
public sealed class SipRequestSalvageTests
{
    [Fact]
    public void CompactForms_AreFound_AndTheResponseEchoesThem_WithReceivedAndATag()
    {
        var bytes = Encoding.ASCII.GetBytes(
            "MESSAGE sip:x@y SIP/2.0\r\nv: SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK-s1, SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK-s0\r\n" +
            "f: <sip:a@b>;tag=1\r\nt: <sip:c@d>\r\ni: abc@def\r\nCSeq: 7 MESSAGE\r\nbroken header line\r\n\r\n");
        var echo = SipRequestSalvage.TryRead(bytes);
        Assert.NotNull(echo);
        Assert.Equal("MESSAGE", echo.Method);
        Assert.Equal(2, echo.Vias.Count);

        var source = new IPEndPoint(IPAddress.Parse("198.51.100.7"), 40000);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.7"), 5070), echo.UdpTarget(source));
        var response = Encoding.UTF8.GetString(echo.Write(400, "Bad Request (Malformed Header Line)", source, "test"));
        Assert.StartsWith("SIP/2.0 400 Bad Request (Malformed Header Line)\r\nVia: SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK-s1;received=198.51.100.7\r\nVia: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK-s0\r\n", response, StringComparison.Ordinal);
        Assert.Contains("\r\nFrom: <sip:a@b>;tag=1\r\n", response, StringComparison.Ordinal);
        Assert.Matches(@"\r\nTo: <sip:c@d>;tag=[0-9a-f]{16}\r\n", response);
        Assert.Contains("\r\nCall-ID: abc@def\r\nCSeq: 7 MESSAGE\r\n", response, StringComparison.Ordinal);
        Assert.EndsWith("Content-Length: 0\r\n\r\n", response, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-r\r\n\r\n")]
    [InlineData("MESSAGE sip:x@y SIP/2.0\r\nFrom: <sip:a@b>;tag=1\r\n\r\n")]
    [InlineData("MESSAGE sip:x@y SIP/2.0\r\nVia: not a via\r\n\r\n")]
    [InlineData("\u0001\u0002garbage")]
    public void WithoutARequestLineOrAReadableVia_NothingCanBeAnswered(string text)
    {
        Assert.Null(SipRequestSalvage.TryRead(Encoding.Latin1.GetBytes(text)));
    }
}

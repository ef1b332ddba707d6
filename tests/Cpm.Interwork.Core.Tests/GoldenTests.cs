using Cpm.Interwork.Mm4;

namespace Cpm.Interwork.Core.Tests;

/// <summary>
/// Whole outputs compared byte for byte with files in Vectors/expected (deterministic IDs and clock): what the gateway
/// sends for the RCS client MESSAGE, and the SIP MESSAGE it sends for the anonymous UTF-8 MM.
/// </summary>
public class GoldenTests
{
    private static readonly string s_dir = Path.Combine(AppContext.BaseDirectory, "Vectors", "expected");

    internal static byte[] RcsClientToMm4()
    {
        var ids = new SequentialIds("mms.gw.example");
        var f = T.Forward(T.Mapper(ids: ids).Map(T.Vector("rcs-client-cpim.sip")));
        return T.Splitter(ids: ids).Split(f, new Dictionary<string, string> { ["+15550100002"] = "mms.peer.example" }).Forwards[0].Request.ToBytes();
    }

    internal static byte[] AnonymousMmToSip()
    {
        var req = T.Read(T.VectorBytes("mm4-forward-anonymous-utf8.eml"));
        var m = new Mm4ToCpmMapper(new ImsOptions { Domain = "ims.example.com" }, new CpmOptions())
            .Map(req, Mm4Address.Parse("+15550100002/TYPE=PLMN@mms.gw.example"), "imdn-0001").Message!;
        return m.ToBuilder("call-0001@gw.example", "gwtag1", 1, "SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK-0001").ToArray();
    }

    [Fact]
    public void RcsClientMessage_To_Mm4ForwardRequest_Bytes()
    {
        Assert.Equal(File.ReadAllText(Path.Combine(s_dir, "rcs-client-cpim.mm4.eml")), System.Text.Encoding.UTF8.GetString(RcsClientToMm4()));
    }

    [Fact]
    public void AnonymousUtf8Mm_To_SipMessage_Bytes()
    {
        Assert.Equal(File.ReadAllText(Path.Combine(s_dir, "mm4-forward-anonymous-utf8.sip")), System.Text.Encoding.UTF8.GetString(AnonymousMmToSip()));
    }
}

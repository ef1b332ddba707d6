using System.Text;
using Cpm.Interwork.Mime;
using Cpm.Interwork.Mm4;
using Cpm.Interwork.Sip;
using Microsoft.Extensions.Time.Testing;

namespace Cpm.Interwork.Core.Tests;

/// <summary>IDs t1@gw.example, t2@…, m1@…: predictable and unique per generator.</summary>
internal sealed class SequentialIds(string domain) : IMm4IdGenerator
{
    private int _t;
    private int _m;
    public string NewTransactionId() => "t" + (++_t) + "@" + domain;
    public string NewMessageId() => "m" + (++_m) + "@" + domain;
}

internal static class T
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static InterworkOptions Options(Action<InterworkOptions>? change = null)
    {
        var o = new InterworkOptions { GatewayDomains = ["mms.gw.example"], GatewayHost = "gw.example" };
        change?.Invoke(o);
        return o;
    }

    public static FakeTimeProvider Clock() => new(Now);

    public static CpmToMm4Mapper Mapper(InterworkOptions? o = null, IMm4IdGenerator? ids = null) =>
        new(o ?? Options(), ids ?? new SequentialIds("mms.gw.example"), Clock());

    public static Mm4ForwardSplitter Splitter(InterworkOptions? o = null, IMm4IdGenerator? ids = null) =>
        new(o ?? Options(), ids ?? new SequentialIds("mms.gw.example"), Clock());

    /// <summary>A MESSAGE with the given headers (one "Name: value" per entry) and body; Content-Length computed.</summary>
    public static SipRequest Message(string requestUri, string from, IEnumerable<string>? headers, string? contentType, byte[] body)
    {
        var sb = new StringBuilder();
        sb.Append("MESSAGE ").Append(requestUri).Append(" SIP/2.0\r\n");
        sb.Append("Via: SIP/2.0/TCP 192.0.2.10:5060;branch=z9hG4bK776asdhds\r\n");
        sb.Append("From: ").Append(from).Append(";tag=49583\r\n");
        sb.Append("To: <").Append(requestUri).Append(">\r\n");
        sb.Append("Call-ID: a84b4c76e66710@192.0.2.10\r\n");
        sb.Append("CSeq: 1 MESSAGE\r\n");
        foreach (var h in headers ?? []) { sb.Append(h).Append("\r\n"); }
        if (contentType is not null) { sb.Append("Content-Type: ").Append(contentType).Append("\r\n"); }
        sb.Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n");
        var bytes = Encoding.UTF8.GetBytes(sb.ToString()).Concat(body).ToArray();
        return Parse(bytes);
    }

    public static SipRequest Parse(byte[] bytes)
    {
        var status = SipParser.TryParse(bytes, SipParserOptions.Default, false, out var msg, out _, out var error);
        Assert.True(status == SipParseStatus.Complete, $"SIP parse: {status} {error.Reason}");
        return Assert.IsType<SipRequest>(msg);
    }

    public static SipRequest Vector(string name) => Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Vectors", name)));

    public static byte[] VectorBytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Vectors", name));

    /// <summary>A CPIM body around text content.</summary>
    public static byte[] Cpim(string text, IEnumerable<string>? cpimHeaders = null, string contentType = "text/plain;charset=UTF-8")
    {
        var content = Encoding.UTF8.GetBytes(text);
        var sb = new StringBuilder();
        sb.Append("From: <sip:+15550100001@ims.example.com>\r\nTo: <sip:+15550100002@ims.example.com;user=phone>\r\n");
        sb.Append("NS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: PH7qAIV8cgH5\r\n");
        foreach (var h in cpimHeaders ?? []) { sb.Append(h).Append("\r\n"); }
        sb.Append("\r\nContent-Type: ").Append(contentType).Append("\r\nContent-Length: ").Append(content.Length).Append("\r\n\r\n");
        return Encoding.UTF8.GetBytes(sb.ToString()).Concat(content).ToArray();
    }

    public const string Alice = "<sip:+15550100001@ims.example.com>";
    public const string BobUri = "sip:+15550100002@ims.example.com;user=phone";

    /// <summary>A plain CPIM text MESSAGE from Alice to Bob with extra SIP and CPIM headers.</summary>
    public static SipRequest CpimMessage(IEnumerable<string>? sipHeaders = null, IEnumerable<string>? cpimHeaders = null, string from = Alice, string text = "hello") =>
        Message(BobUri, from, sipHeaders, "message/cpim", Cpim(text, cpimHeaders));

    public static CpmForward Forward(CpmMappingResult r)
    {
        Assert.True(r.IsSuccess, r.Failure?.ToString());
        return Assert.IsType<CpmForward>(r.Forward);
    }

    public static Mm4ForwardRequest Read(byte[] mail) => Assert.IsType<Mm4ForwardRequest>(Mm4Reader.Read(mail).Message);

    public static string Text(MimeEntity e) => Assert.IsType<MimePart>(e).GetText();
}

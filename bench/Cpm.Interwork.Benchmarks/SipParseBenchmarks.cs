using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Cpm.Interwork.Sip;

namespace Cpm.Interwork.Benchmarks;

/// <summary>
/// Parses a typical CPM pager-mode MESSAGE with a CPIM body (PROTOCOLS.md §4 shape: 15 headers, 1,058 bytes; the same
/// bytes as tests/Cpm.Interwork.Sip.Tests/Vectors/cpm/message-cpim-typical.sip).
/// </summary>
[MemoryDiagnoser]
public class SipParseBenchmarks
{
    private byte[] _message = [];
    private ReadOnlySequence<byte> _sequence;

    /// <summary>The message, CRLF line ends.</summary>
    public static byte[] TypicalCpmMessage()
    {
        var cpim = Crlf("From: <sip:+15550100001@ims.example.com>\nTo: <sip:+15550100002@ims.example.com>\n" +
            "DateTime: 2015-02-17T06:54:27Z\nNS: imdn <urn:ietf:params:imdn>\nimdn.Message-ID: PH7qAIV8cgH5\n" +
            "imdn.Disposition-Notification: positive-delivery, display\n\nContent-type: text/plain;charset=UTF-8\n" +
            "Content-Length: 15\n\n123456789abcdef");
        var head = Crlf("MESSAGE sip:+15550100002@ims.example.com;user=phone SIP/2.0\n" +
            "Via: SIP/2.0/TCP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport\n" +
            "Max-Forwards: 69\n" +
            "From: <sip:+15550100001@ims.example.com>;tag=1928301774\n" +
            "To: <sip:+15550100002@ims.example.com;user=phone>\n" +
            "Call-ID: a84b4c76e66710@192.0.2.10\n" +
            "CSeq: 314159 MESSAGE\n" +
            "P-Asserted-Identity: <sip:+15550100001@ims.example.com>\n" +
            "P-Preferred-Service: urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg\n" +
            "Contribution-ID: 477b66ae9662e3ad18549bf5dabf9d26d5e707ca\n" +
            "Conversation-ID: 1710887c7ca47dc2c1274c11673eb0df5a604fd3\n" +
            "Accept-Contact: *;+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.msg\"\n" +
            "Date: Tue, 17 Feb 2015 06:54:27 GMT\n" +
            "Supported: timer\n" +
            "Content-Type: message/cpim\n" +
            $"Content-Length: {cpim.Length}\n\n");
        return [.. head, .. cpim];
    }

    private static byte[] Crlf(string s) => Encoding.UTF8.GetBytes(s.Replace("\n", "\r\n", StringComparison.Ordinal));

    [GlobalSetup]
    public void Setup()
    {
        _message = TypicalCpmMessage();
        _sequence = new ReadOnlySequence<byte>(_message);
    }

    /// <summary>Stream framing from a pipe-like sequence; the message owns a copy of its bytes.</summary>
    [Benchmark(Baseline = true)]
    public int ParseStream()
    {
        SipParser.TryParse(_sequence, SipParserOptions.Default, datagram: false, out var message, out _, out _);
        return message!.HeaderCount;
    }

    /// <summary>Whole datagram over caller-owned memory, no copy.</summary>
    [Benchmark]
    public int ParseDatagramNoCopy()
    {
        SipParser.TryParseDatagram(_message, SipParserOptions.Default, out var message, out _);
        return message!.HeaderCount;
    }

    /// <summary>Parse, then read what a MESSAGE server transaction needs (typed values are parsed lazily here).</summary>
    [Benchmark]
    public int ParseAndReadTransactionHeaders()
    {
        SipParser.TryParse(_sequence, SipParserOptions.Default, datagram: false, out var message, out _, out _);
        return message!.TopVia.Branch!.Length + message.From.Tag!.Length + message.CallId.Length + (int)message.CSeq.Number + message.To.Uri.Length;
    }
}

using System.Text;
using BenchmarkDotNet.Attributes;
using Cpm.Interwork.Mime;

namespace Cpm.Interwork.Benchmarks;

/// <summary>Parses a ~300 KB MM4-shaped multipart/related (SMIL + ~290 KB base64 JPEG + UTF-8 text).
/// Throughput in MB/s = 297,652 bytes / mean time. Target (issue 3): ≥ 300 MB/s on one core.</summary>
[MemoryDiagnoser]
public class MimeParseBenchmarks
{
    private byte[] _message = [];

    [GlobalSetup]
    public void Setup()
    {
        var jpeg = new byte[217_000];
        new Random(42).NextBytes(jpeg);
        jpeg[0] = 0xFF; jpeg[1] = 0xD8; jpeg[^2] = 0xFF; jpeg[^1] = 0xD9;
        var body = MimeMultipartBuilder.Related("<smil>", "application/smil").Boundary("=_bench_boundary")
            .Add(new MimePartBuilder("application/smil").ContentId("<smil>").Content(Encoding.UTF8.GetBytes("<smil><body><par><img src=\"cid:img\"/><text src=\"cid:txt\"/></par></body></smil>\r\n"), "7bit").Build())
            .Add(new MimePartBuilder("image/jpeg").ContentId("<img>").Content(jpeg).Build())
            .Add(new MimePartBuilder("text/plain; charset=utf-8").ContentId("<txt>").Content(Encoding.UTF8.GetBytes("Grüße aus Köln\r\n"), "quoted-printable").Build())
            .Build();
        _message = new MimeMessageBuilder()
            .Header("From", "+33612345678/TYPE=PLMN@mms.example.org")
            .Header("Subject", "Grüße")
            .Header("X-Mms-Message-Type", "MM4_forward.REQ")
            .Body(body).Build().ToBytes();
    }

    public int MessageBytes => _message.Length;

    /// <summary>Framing only: headers and part slices, bodies untouched.</summary>
    [Benchmark(Baseline = true)]
    public int ParseMultipartRelated300K() =>
        ((MimeMultipart)MimeParser.Parse(_message, MimeParserOptions.Default).Entity!).Parts.Count;

    /// <summary>What a gateway does with an MM: parse, read the root, decode every part's content.</summary>
    [Benchmark]
    public int ParseAndDecodeAllParts300K()
    {
        var m = (MimeMultipart)MimeParser.Parse(_message, MimeParserOptions.Default).Entity!;
        var total = m.Root is null ? 0 : 1;
        foreach (var p in m.Parts) { total += ((MimePart)p).GetDecodedContent().Length; }
        return total;
    }
}

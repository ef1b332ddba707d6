using System.Buffers;
using BenchmarkDotNet.Attributes;
using Cpm.Interwork.Mm4;

namespace Cpm.Interwork.Benchmarks;

/// <summary>Build + write, and read, of a small MM4_forward.REQ (text/plain body, PROTOCOLS.md header set).</summary>
[MemoryDiagnoser]
public class Mm4Benchmarks
{
    private static readonly Mm4Address s_from = Mm4Address.Plmn("+15550100001");
    private static readonly Mm4Address s_sender = Mm4Address.Plmn("+15550100001", "mms.gw.example");
    private static readonly Mm4Address s_to = Mm4Address.Plmn("+15550100002");
    private static readonly Mm4Address s_system = Mm4Address.Email("system-user@mms.gw.example");

    private readonly RandomMm4IdGenerator _ids = new("mms.gw.example");
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private byte[] _mail = [];

    [GlobalSetup]
    public void Setup()
    {
        BuildAndWriteSmallForwardRequest();
        _mail = _buffer.WrittenSpan.ToArray();
    }

    [Benchmark]
    public int BuildAndWriteSmallForwardRequest()
    {
        var request = new Mm4ForwardRequestBuilder(_ids, TimeProvider.System)
            .From(s_from).Sender(s_sender).To(s_to).OriginatorSystem(s_system)
            .Subject("hello from CPM").Content(Mm4Content.FromText("Hello, this is a short CPM message for an MMS user."))
            .MessageClass(MessageClass.Personal).DeliveryReport(true).ReadReply(false).Priority(Priority.Normal)
            .Build();
        _buffer.ResetWrittenCount();
        Mm4Writer.Write(request, _buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public Mm4Message? ReadSmallForwardRequest() => Mm4Reader.Read(_mail).Message;
}

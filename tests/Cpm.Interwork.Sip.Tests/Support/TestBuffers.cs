using System.Buffers;

namespace Cpm.Interwork.Sip.Tests.Support;

/// <summary>Builds ReadOnlySequences with a chosen segmentation (one byte per segment, like Kestrel's ReadOnlySequenceFactory).</summary>
internal static class TestBuffers
{
    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] data)
    {
        if (data.Length == 0) { return ReadOnlySequence<byte>.Empty; }
        // Copy each byte into its own array so no segment shares memory with another.
        var first = new Segment(new[] { data[0] }, 0);
        var last = first;
        for (var i = 1; i < data.Length; i++) { last = last.Append(new[] { data[i] }); }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    public static ReadOnlySequence<byte> Split(byte[] data, int at)
    {
        if (at <= 0 || at >= data.Length) { return new ReadOnlySequence<byte>(data); }
        var first = new Segment(data.AsMemory(0, at), 0);
        var last = first.Append(data.AsMemory(at));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    public static byte[] Load(string relativePath) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Vectors", relativePath));

    public static (SipParseStatus Status, SipMessage? Message, long Consumed, SipParseError Error) Parse(
        ReadOnlySequence<byte> buffer, bool datagram, SipParserOptions? options = null)
    {
        var status = SipParser.TryParse(buffer, options ?? SipParserOptions.Default, datagram, out var message, out var consumed, out var error);
        return (status, message, buffer.Slice(0, consumed).Length, error);
    }
}

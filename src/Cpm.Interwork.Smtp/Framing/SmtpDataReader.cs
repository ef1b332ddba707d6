using System.Buffers;
using System.IO.Pipelines;

namespace Cpm.Interwork.Smtp.Framing;

public enum SmtpDataStatus
{
    /// <summary>The terminating <c>CRLF "." CRLF</c> was read and the message is within the cap.</summary>
    Complete,

    /// <summary>The terminator was read but the message exceeded the cap; the excess was discarded
    /// as it streamed (RFC 5321 §4.5.3.1.10 / RFC 1870: answer 552).</summary>
    TooLarge,

    /// <summary>The peer closed the stream before the terminator.</summary>
    EndOfStream,
}

/// <summary>The outcome of reading one DATA body. <see cref="Length"/> counts the un-stuffed bytes the
/// peer sent, including any beyond the cap that were discarded.</summary>
public readonly record struct SmtpDataReadResult(SmtpDataStatus Status, long Length);

/// <summary>Reads a DATA body (RFC 5321 §4.5.2) from a <see cref="PipeReader"/>: removes the leading
/// dot of stuffed lines, stops at <c>CRLF "." CRLF</c> (only a CRLF starts a line: <c>LF "." LF</c>
/// and <c>LF "." CRLF</c> are content, which keeps "SMTP smuggling" out), and stores at most
/// <c>maxSize</c> bytes in <see cref="SmtpMessageBuffer"/> while counting the rest. Bytes after the
/// terminator (pipelined commands) stay in the reader.</summary>
public static class SmtpDataReader
{
    internal enum State { LineStart, InLine, Dot, DotCr }

    private static ReadOnlySpan<byte> Cr => "\r"u8;

    public static async ValueTask<SmtpDataReadResult> ReadAsync(
        PipeReader reader, SmtpMessageBuffer output, Func<CancellationToken>? blockToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(output);
        var state = State.LineStart;
        var lastWasCr = false;
        while (true)
        {
            var result = await reader.ReadAsync(blockToken?.Invoke() ?? cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var consumed = buffer.End;
            var done = false;
            var position = buffer.Start;
            var segmentStart = position;
            while (buffer.TryGet(ref position, out var memory))
            {
                var i = Scan(memory.Span, output, ref state, ref lastWasCr, out done);
                if (done)
                {
                    consumed = buffer.GetPosition(i, segmentStart);
                    break;
                }

                segmentStart = position;
            }

            reader.AdvanceTo(consumed);
            if (done) return new SmtpDataReadResult(output.IsOverflowed ? SmtpDataStatus.TooLarge : SmtpDataStatus.Complete, output.TotalLength);
            if (result.IsCompleted || result.IsCanceled) return new SmtpDataReadResult(SmtpDataStatus.EndOfStream, output.TotalLength);
        }
    }

    /// <summary>Runs the un-stuffing state machine over one span; returns the index after the
    /// terminator when <paramref name="done"/>, else the span length.</summary>
    internal static int Scan(ReadOnlySpan<byte> span, SmtpMessageBuffer output, ref State state, ref bool lastWasCr, out bool done)
    {
        done = false;
        var i = 0;
        while (i < span.Length)
        {
            switch (state)
            {
                case State.LineStart:
                    if (span[i] == (byte)'.') { state = State.Dot; i++; }
                    else state = State.InLine;
                    break;
                case State.InLine:
                    var rest = span[i..];
                    var lf = rest.IndexOf((byte)'\n');
                    if (lf < 0)
                    {
                        output.Append(rest);
                        lastWasCr = rest[^1] == (byte)'\r';
                        i = span.Length;
                    }
                    else
                    {
                        output.Append(rest[..(lf + 1)]);
                        var crBefore = lf > 0 ? rest[lf - 1] == (byte)'\r' : lastWasCr;
                        lastWasCr = false;
                        i += lf + 1;
                        state = crBefore ? State.LineStart : State.InLine;
                    }

                    break;
                case State.Dot:
                    // The first dot of a line is transparency (or the start of the terminator).
                    if (span[i] == (byte)'\r') { state = State.DotCr; i++; }
                    else { lastWasCr = false; state = State.InLine; }
                    break;
                case State.DotCr:
                    if (span[i] == (byte)'\n') { done = true; return i + 1; }
                    output.Append(Cr);
                    lastWasCr = true;
                    state = State.InLine;
                    break;
            }
        }

        return i;
    }
}

/// <summary>Collects a DATA body up to a cap; past the cap it only counts (memory stays bounded).</summary>
public sealed class SmtpMessageBuffer
{
    private byte[] _buffer;
    private int _length;

    public SmtpMessageBuffer(long maxSize, int initialCapacity = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        MaxSize = Math.Min(maxSize, Array.MaxLength);
        _buffer = new byte[Math.Clamp(initialCapacity, 16, (int)Math.Max(16, MaxSize))];
    }

    public long MaxSize { get; }

    public long TotalLength { get; private set; }

    public bool IsOverflowed => TotalLength > MaxSize;

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _length);

    public void Append(ReadOnlySpan<byte> bytes)
    {
        TotalLength += bytes.Length;
        if (TotalLength > MaxSize) return;
        if (_length + bytes.Length > _buffer.Length)
        {
            var size = (int)Math.Min(Math.Max((long)_buffer.Length * 2, _length + bytes.Length), MaxSize);
            Array.Resize(ref _buffer, size);
        }

        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Empties the buffer for the next message; a large buffer is dropped, not kept.</summary>
    public void Reset()
    {
        _length = 0;
        TotalLength = 0;
        if (_buffer.Length > 1 << 20) _buffer = new byte[4096];
    }
}

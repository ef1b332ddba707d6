using System.Buffers;
using System.IO.Pipelines;

namespace Cpm.Interwork.Smtp.Framing;

public enum SmtpLineStatus
{
    /// <summary>A whole line; <see cref="SmtpLine.Content"/> holds it without the line ending.</summary>
    Line,

    /// <summary>The line exceeded the limit; its bytes were discarded up to and including its LF.</summary>
    TooLong,

    /// <summary>The peer closed the stream (a partial last line is dropped).</summary>
    EndOfStream,
}

/// <summary>One read line. <see cref="Content"/> is only valid until the next read.</summary>
public readonly record struct SmtpLine(SmtpLineStatus Status, ReadOnlyMemory<byte> Content);

/// <summary>Reads CRLF-terminated lines (a bare LF is tolerated as the end of a command or reply
/// line) from a <see cref="PipeReader"/>, never holding more than <c>maxLineLength</c> bytes of one
/// line: a longer line is skipped to its end and reported as <see cref="SmtpLineStatus.TooLong"/>.
/// The limit counts the line ending, as RFC 5321 §4.5.3.1.4–6 does.</summary>
public sealed class SmtpLineReader
{
    private readonly int _maxLineLength;
    private readonly byte[] _line;

    public SmtpLineReader(PipeReader reader, int maxLineLength)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 3);
        Reader = reader;
        _maxLineLength = maxLineLength;
        _line = new byte[maxLineLength];
    }

    public PipeReader Reader { get; }

    /// <summary>True when bytes after the last line returned are already buffered (the peer pipelined).</summary>
    public bool HasBufferedData { get; private set; }

    public async ValueTask<SmtpLine> ReadLineAsync(CancellationToken cancellationToken)
    {
        var discarding = false;
        while (true)
        {
            var result = await Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var lf = buffer.PositionOf((byte)'\n');
            if (lf is { } end)
            {
                var line = buffer.Slice(0, end);
                var next = buffer.GetPosition(1, end);
                var rest = buffer.Slice(next);
                HasBufferedData = !rest.IsEmpty;
                SmtpLine answer;
                if (discarding || line.Length + 1 > _maxLineLength)
                {
                    answer = new SmtpLine(SmtpLineStatus.TooLong, default);
                }
                else
                {
                    var length = (int)line.Length;
                    line.CopyTo(_line);
                    if (length > 0 && _line[length - 1] == (byte)'\r') length--;
                    answer = new SmtpLine(SmtpLineStatus.Line, _line.AsMemory(0, length));
                }

                Reader.AdvanceTo(next);
                return answer;
            }

            if (buffer.Length >= _maxLineLength)
            {
                // Keep memory bounded: drop what we have and remember the line is over the limit.
                discarding = true;
                Reader.AdvanceTo(buffer.End);
            }
            else
            {
                Reader.AdvanceTo(buffer.Start, buffer.End);
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                HasBufferedData = false;
                return new SmtpLine(SmtpLineStatus.EndOfStream, default);
            }
        }
    }
}

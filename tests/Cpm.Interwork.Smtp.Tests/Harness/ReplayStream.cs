using System.Text;

namespace Cpm.Interwork.Smtp.Tests.Harness;

public enum ReplayMode { Whole, LineByLine, ByteByByte }

/// <summary>A scripted server for client tests (after MailKit's SmtpReplayStream): hands out the
/// scripted replies in order — each whole, line by line or byte by byte — and records every byte the
/// client writes. A <see cref="Hang"/> entry blocks the read until it is cancelled.</summary>
public sealed class ReplayStream : Stream
{
    public const string Hang = "<hang>";
    private readonly Queue<byte[]> _chunks = new();
    private readonly MemoryStream _written = new();
    private byte[] _current = [];
    private int _offset;

    public ReplayStream(ReplayMode mode, params string[] replies)
    {
        foreach (var reply in replies)
        {
            if (reply == Hang) { _chunks.Enqueue([]); continue; }
            var bytes = Encoding.UTF8.GetBytes(reply);
            switch (mode)
            {
                case ReplayMode.Whole: _chunks.Enqueue(bytes); break;
                case ReplayMode.ByteByByte: foreach (var b in bytes) _chunks.Enqueue([b]); break;
                case ReplayMode.LineByLine:
                    foreach (var line in reply.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)) _chunks.Enqueue(Encoding.UTF8.GetBytes(line + "\r\n"));
                    break;
            }
        }
    }

    public string Written => Encoding.UTF8.GetString(_written.ToArray());

    public bool Disposed { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush() { }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_offset >= _current.Length)
        {
            if (!_chunks.TryDequeue(out var next)) return 0;
            if (next.Length == 0)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            _current = next;
            _offset = 0;
        }

        var n = Math.Min(buffer.Length, _current.Length - _offset);
        _current.AsSpan(_offset, n).CopyTo(buffer.Span);
        _offset += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => _written.Write(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _written.Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}

/// <summary>A read-only stream over fixed bytes that returns at most <c>chunk</c> bytes per read.</summary>
public sealed class ChunkedStream(byte[] data, int chunk) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => data.Length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override void Flush() { }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = Math.Min(Math.Min(count, chunk), data.Length - _position);
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

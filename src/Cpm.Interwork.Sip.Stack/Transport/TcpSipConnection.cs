using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Cpm.Interwork.Sip.Stack.Transport;

/// <summary>
/// One inbound TCP connection. The read buffer never grows past header limit + body limit + one read, so a peer
/// that never completes a message cannot take more memory; a connection quiet for
/// <see cref="SipStackOptions.TcpIdleTimeout"/> is closed. Writes are serialized; responses of every transaction
/// that came in on this connection go back on it (RFC 3261 §18.2.2).
/// </summary>
internal sealed class TcpSipConnection : IAsyncDisposable
{
    private const int ReadChunk = 8192;
    private readonly Socket _socket;
    private readonly SipStackOptions _options;
    private readonly SipStreamProcessor _process;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closed = new();
    private int _disposed;
    private ConnectionSink? _sink;

    public TcpSipConnection(Socket socket, SipListenEndpoint listener, SipStackOptions options, SipStreamProcessor process, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        _options = options;
        _process = process;
        _time = time;
        _logger = logger;
        Listener = listener;
        Remote = (IPEndPoint)socket.RemoteEndPoint!;
        Local = (IPEndPoint)socket.LocalEndPoint!;
    }

    public SipListenEndpoint Listener { get; }

    /// <summary>Responses to requests that came in on this connection go back on it (RFC 3261 §18.2.2).</summary>
    public ISipResponseSink Sink => _sink ??= new ConnectionSink(this);

    public IPEndPoint Remote { get; }

    public IPEndPoint Local { get; }

    /// <summary>The most bytes buffered while waiting for the rest of a message.</summary>
    public int MaxBuffered => _options.MaxHeaderBytes + _options.MaxBodyBytes + ReadChunk;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
        var buffer = new byte[Math.Min(MaxBuffered, 64 * 1024)];
        var filled = 0;
        try
        {
            while (!linked.IsCancellationRequested)
            {
                if (filled == buffer.Length)
                {
                    if (buffer.Length >= MaxBuffered)
                    {
                        // The processor asked for more although the limits are reached: it is a framing bug or a
                        // peer that defeats the limits; either way the stream is lost.
                        SipStackLog.ConnectionOverLimit(_logger, Remote, filled);
                        return;
                    }

                    Array.Resize(ref buffer, Math.Min(MaxBuffered, buffer.Length * 2));
                }

                int read;
                using (var idle = new CancellationTokenSource(_options.TcpIdleTimeout, _time))
                using (var readToken = CancellationTokenSource.CreateLinkedTokenSource(linked.Token, idle.Token))
                {
                    try
                    {
                        read = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, readToken.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (idle.IsCancellationRequested && !linked.IsCancellationRequested)
                    {
                        SipStackLog.ConnectionIdle(_logger, Remote, _options.TcpIdleTimeout);
                        return;
                    }
                }

                if (read == 0)
                {
                    return;
                }

                filled += read;
                var consumed = await _process(buffer.AsMemory(0, filled), this, linked.Token).ConfigureAwait(false);
                if (consumed < 0)
                {
                    return;
                }

                if (consumed > 0)
                {
                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
        }
        catch (SocketException ex)
        {
            SipStackLog.ConnectionFailed(_logger, ex, Remote);
        }
#pragma warning disable CA1031 // one connection's fault (a bug) must not take the listener down; it is logged
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SipStackLog.ConnectionBug(_logger, ex, Remote);
        }
    }

    /// <summary>Writes one whole message. False when the connection is gone.</summary>
    public async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return false;
        }

        try
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                while (!message.IsEmpty)
                {
                    var sent = await _socket.SendAsync(message, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                    message = message[sent..];
                }

                return true;
            }
            finally
            {
                _writeLock.Release();
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            SipStackLog.SendFailed(_logger, ex, Listener, Remote);
            return false;
        }
    }

    /// <summary>Closes the connection after the current write (used after an unrecoverable framing error).</summary>
    public void Close() => _closed.Cancel();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _closed.CancelAsync().ConfigureAwait(false);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }

        _socket.Dispose();
        _closed.Dispose();
        _writeLock.Dispose();
    }

    private sealed class ConnectionSink(TcpSipConnection connection) : ISipResponseSink
    {
        public SipTransportKind Transport => SipTransportKind.Tcp;

        public ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
            connection.SendAsync(message, cancellationToken);
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Cpm.Interwork.Sip.Stack.Transport;

/// <summary>
/// Reads what a stream holds: returns how many bytes of <paramref name="buffered"/> were consumed (whole messages
/// only; 0 = need more), or -1 when the stream cannot be framed any more and the connection must close.
/// </summary>
internal delegate ValueTask<int> SipStreamProcessor(ReadOnlyMemory<byte> buffered, TcpSipConnection connection, CancellationToken cancellationToken);

/// <summary>One listening TCP socket; accepts up to <see cref="SipStackOptions.MaxTcpConnections"/> connections.</summary>
internal sealed class TcpSipListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly SipStackOptions _options;
    private readonly SipStreamProcessor _process;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<TcpSipConnection, byte> _connections = new();
    private Task? _loop;
    private int _connectionCount;

    public TcpSipListener(SipListenEndpoint configured, SipStackOptions options, SipStreamProcessor process, TimeProvider time, ILogger logger)
    {
        _options = options;
        _process = process;
        _time = time;
        _logger = logger;
        _socket = new Socket(configured.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (configured.EndPoint.AddressFamily == AddressFamily.InterNetworkV6)
        {
            _socket.DualMode = false;
        }

        try
        {
            _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _socket.Bind(configured.EndPoint);
            _socket.Listen(512);
        }
        catch (SocketException ex)
        {
            _socket.Dispose();
            throw new SipListenerBindException($"cannot bind {configured}: {ex.Message}", ex);
        }

        Bound = new SipListenEndpoint(SipTransportKind.Tcp, (IPEndPoint)_socket.LocalEndPoint!);
    }

    public SipListenEndpoint Bound { get; }

    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    public void Start() => _loop = Task.Run(() => AcceptLoopAsync(_stop.Token));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        foreach (var connection in _connections.Keys)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                SipStackLog.ReceiveFailed(_logger, ex, Bound);
                continue;
            }

            if (Interlocked.Increment(ref _connectionCount) > _options.MaxTcpConnections)
            {
                Interlocked.Decrement(ref _connectionCount);
                SipStackLog.ConnectionRefused(_logger, Bound, accepted.RemoteEndPoint, _options.MaxTcpConnections);
                accepted.Dispose();
                continue;
            }

            accepted.NoDelay = true;
            var connection = new TcpSipConnection(accepted, Bound, _options, _process, _time, _logger);
            _connections.TryAdd(connection, 0);
            _ = RunConnectionAsync(connection, cancellationToken);
        }
    }

    private async Task RunConnectionAsync(TcpSipConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await connection.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection, out _);
            Interlocked.Decrement(ref _connectionCount);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}

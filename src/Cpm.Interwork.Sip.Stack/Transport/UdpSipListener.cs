using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Cpm.Interwork.Sip.Stack.Transport;

/// <summary>
/// One UDP socket. Each datagram is one SIP message (RFC 3261 §18.3: Content-Length may be shorter; bytes past it
/// are ignored). Each datagram is handled in its own try/catch, so bad input never stops the receive loop.
/// </summary>
internal sealed class UdpSipListener : IAsyncDisposable
{
    private const int MaxDatagram = 65_535;
    private readonly Socket _socket;
    private readonly Func<ReadOnlyMemory<byte>, UdpSipListener, IPEndPoint, CancellationToken, ValueTask> _onDatagram;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public UdpSipListener(SipListenEndpoint configured, Func<ReadOnlyMemory<byte>, UdpSipListener, IPEndPoint, CancellationToken, ValueTask> onDatagram, ILogger logger)
    {
        Configured = configured;
        _onDatagram = onDatagram;
        _logger = logger;
        _socket = new Socket(configured.EndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (configured.EndPoint.AddressFamily == AddressFamily.InterNetworkV6)
        {
            _socket.DualMode = false;
        }

        try
        {
            _socket.Bind(configured.EndPoint);
        }
        catch (SocketException ex)
        {
            _socket.Dispose();
            throw new SipListenerBindException($"cannot bind {configured}: {ex.Message}", ex);
        }

        Bound = new SipListenEndpoint(SipTransportKind.Udp, (IPEndPoint)_socket.LocalEndPoint!);
    }

    public SipListenEndpoint Configured { get; }

    /// <summary>The endpoint actually bound (port 0 resolved).</summary>
    public SipListenEndpoint Bound { get; }

    public void Start() => _loop = Task.Run(() => ReceiveLoopAsync(_stop.Token));

    /// <summary>Sends one datagram. False on a socket error (the caller's transaction then terminates).</summary>
    public async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint target, CancellationToken cancellationToken)
    {
        try
        {
            await _socket.SendToAsync(datagram, SocketFlags.None, target, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            SipStackLog.SendFailed(_logger, ex, Bound, target);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(MaxDatagram);
        EndPoint any = Bound.EndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // ICMP errors from earlier sends surface here on some systems; the socket stays usable.
                SipStackLog.ReceiveFailed(_logger, ex, Bound);
                continue;
            }

            // The message may outlive this loop iteration (a MESSAGE handler may take seconds): copy it out.
            var datagram = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
            var remote = (IPEndPoint)received.RemoteEndPoint;
            try
            {
                await _onDatagram(datagram, this, remote, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // one bad datagram must never stop the listener; the fault is logged as a bug
            catch (Exception ex)
#pragma warning restore CA1031
            {
                SipStackLog.DatagramFailed(_logger, ex, Bound, remote);
            }
        }
    }
}

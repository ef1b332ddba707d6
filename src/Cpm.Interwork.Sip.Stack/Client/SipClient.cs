using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Cpm.Interwork.Sip.Stack.Client;

/// <summary>
/// Sends non-INVITE requests (MESSAGE) to the outbound proxy. Each request gets a fresh RFC 3261 branch and its own
/// <see cref="NonInviteClientTransaction"/>; a request under <see cref="SipClientOptions.UdpMaxBytes"/> goes over UDP
/// (RFC 3261 §18.1.1), a larger one over TCP. The client owns one UDP socket and one TCP connection to the proxy (made on
/// first use, made again after a failure); the top Via names that socket's address, so the proxy sends responses back to
/// it, and they are matched to their transaction by the top Via branch (§17.1.3). Stray responses are dropped.
/// </summary>
public sealed partial class SipClient : ISipClient, IAsyncDisposable
{
    private readonly SipClientOptions _options;
    private readonly SipProxyAddress _proxy;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SipParserOptions _parser = new();
    private readonly ConcurrentDictionary<string, NonInviteClientTransaction> _transactions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly object _tcpWriteLock = new();
    private Socket? _udp;
    private Task? _udpLoop;
    private TcpClient? _tcp;
    private Stream? _tcpStream;

    public SipClient(SipClientOptions options, TimeProvider time, ILogger<SipClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!SipProxyAddress.TryParse(options.OutboundProxy, out var proxy)) { throw new ArgumentException("Ims:OutboundProxy is invalid: " + options.OutboundProxy, nameof(options)); }
        _options = options;
        _proxy = proxy!;
        _time = time;
        _logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    /// <summary>Transactions not yet terminated.</summary>
    public int ActiveTransactions => _transactions.Count;

    public async Task<SipClientResult> SendAsync(SipClientRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var branch = "z9hG4bK" + Guid.NewGuid().ToString("N");
        var transport = _options.ForceTcp ? SipClientTransport.Tcp : SipClientTransport.Udp;
        byte[] bytes;
        if (transport == SipClientTransport.Udp)
        {
            var udp = EnsureUdp();
            bytes = request.Build(Via("UDP", (IPEndPoint)udp.LocalEndPoint!, branch));
            if (bytes.Length >= _options.UdpMaxBytes) { transport = SipClientTransport.Tcp; }
        }
        else
        {
            bytes = [];
        }

        Func<byte[], bool> send;
        if (transport == SipClientTransport.Tcp)
        {
            var local = await EnsureTcpAsync(cancellationToken).ConfigureAwait(false);
            if (local is null)
            {
                return new SipClientResult(SipClientOutcome.TransportError, null, "cannot connect to " + _proxy, SipClientTransport.Tcp);
            }

            bytes = request.Build(Via("TCP", local, branch));
            send = SendTcp;
        }
        else
        {
            send = SendUdp;
        }

        using var transaction = new NonInviteClientTransaction(branch, bytes, transport, send, _time, _options, t => _transactions.TryRemove(t.Branch, out _));
        _transactions[branch] = transaction;
        transaction.Start();
        using var registration = cancellationToken.Register(static s => ((NonInviteClientTransaction)s!).OnTransportError("cancelled"), transaction);
        var result = await transaction.Result.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        Log.Completed(_logger, branch, result, transaction.Transmissions);
        return result;
    }

    private static string Via(string transport, IPEndPoint local, string branch) =>
        "SIP/2.0/" + transport + " " + (local.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + local.Address + "]" : local.Address.ToString()) + ":" +
        local.Port.ToString(CultureInfo.InvariantCulture) + ";branch=" + branch + ";rport";

    private Socket EnsureUdp()
    {
        if (_udp is { } s) { return s; }
        lock (_tcpWriteLock)
        {
            if (_udp is null)
            {
                var socket = new Socket(_proxy.EndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                socket.Bind(new IPEndPoint(IPAddress.Parse(_options.LocalAddress), 0));
                _udp = socket;
                _udpLoop = Task.Run(() => UdpLoopAsync(socket, _stopping.Token));
            }

            return _udp;
        }
    }

    private bool SendUdp(byte[] bytes)
    {
        try
        {
            _udp!.SendTo(bytes, _proxy.EndPoint);
            return true;
        }
        catch (SocketException ex)
        {
            Log.SendFailed(_logger, "UDP", ex.SocketErrorCode.ToString());
            return false;
        }
    }

    private async Task UdpLoopAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[65_536];
        while (!cancellationToken.IsCancellationRequested)
        {
            int n;
            try
            {
                var r = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken).ConfigureAwait(false);
                n = r.ReceivedBytes;
            }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { continue; } // ICMP port unreachable on Linux shows up here: Timer E/F handle it

            Dispatch(new ReadOnlySequence<byte>(buffer.AsMemory(0, n).ToArray()), datagram: true);
        }
    }

    private async Task<IPEndPoint?> EnsureTcpAsync(CancellationToken cancellationToken)
    {
        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_tcp is { Connected: true } c) { return (IPEndPoint)c.Client.LocalEndPoint!; }
            _tcp?.Dispose();
            _tcp = null;
            var client = new TcpClient(_proxy.EndPoint.AddressFamily) { NoDelay = true };
            client.Client.Bind(new IPEndPoint(IPAddress.Parse(_options.LocalAddress), 0));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.ConnectTimeout);
            try
            {
                await client.ConnectAsync(_proxy.EndPoint, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                client.Dispose();
                Log.SendFailed(_logger, "TCP", ex.Message);
                return null;
            }

            _tcp = client;
            _tcpStream = client.GetStream();
            _ = Task.Run(() => TcpLoopAsync(client, _stopping.Token), CancellationToken.None);
            return (IPEndPoint)client.Client.LocalEndPoint!;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private bool SendTcp(byte[] bytes)
    {
        try
        {
            lock (_tcpWriteLock)
            {
                _tcpStream!.Write(bytes);
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            Log.SendFailed(_logger, "TCP", ex.Message);
            return false;
        }
    }

    private async Task TcpLoopAsync(TcpClient client, CancellationToken cancellationToken)
    {
        var stream = client.GetStream();
        var buffer = new byte[64 * 1024];
        var filled = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (filled == buffer.Length) { Array.Resize(ref buffer, buffer.Length * 2); }
                var n = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (n == 0) { break; }
                filled += n;
                while (filled > 0)
                {
                    var status = SipParser.TryParse(new ReadOnlySequence<byte>(buffer, 0, filled), _parser, false, out var message, out var consumedPos, out _);
                    var consumed = (int)new ReadOnlySequence<byte>(buffer, 0, filled).Slice(0, consumedPos).Length;
                    if (status == SipParseStatus.NeedMore && consumed == 0) { break; }
                    if (message is SipResponse response) { Route(response); }
                    if (consumed == 0)
                    {
                        filled = 0; // unparseable stream: drop what we have (the proxy's framing is lost)
                        break;
                    }

                    Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
                    filled -= consumed;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        // Connection gone: every TCP transaction still running fails (§17.1.4); the next request reconnects.
        await _connectLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (ReferenceEquals(_tcp, client)) { _tcp = null; _tcpStream = null; }
        }
        finally
        {
            _connectLock.Release();
        }

        client.Dispose();
        foreach (var t in _transactions.Values.Where(t => t.Transport == SipClientTransport.Tcp)) { t.OnTransportError("connection closed"); }
    }

    private void Dispatch(ReadOnlySequence<byte> bytes, bool datagram)
    {
        if (SipParser.TryParse(bytes, _parser, datagram, out var message, out _, out _) == SipParseStatus.Complete && message is SipResponse response)
        {
            Route(response);
        }
    }

    /// <summary>Hands a response to the transaction of its top Via branch (RFC 3261 §17.1.3); true when one matched.</summary>
    public bool Route(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Vias.Count == 0 || response.TopVia.Branch is not { } branch || !_transactions.TryGetValue(branch, out var transaction))
        {
            Log.Stray(_logger, response.StatusCode);
            return false;
        }

        // §17.1.3 also compares the CSeq method: a response to another method with the same branch is not ours.
        if (!response.CSeq.Method.Equals(SipMethods.Message, StringComparison.Ordinal) && !response.CSeq.Method.Equals(SipMethods.Options, StringComparison.Ordinal))
        {
            return false;
        }

        transaction.OnResponse(response);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _udp?.Dispose();
        _tcp?.Dispose();
        if (_udpLoop is not null) { await _udpLoop.ConfigureAwait(false); }
        foreach (var t in _transactions.Values) { t.OnTransportError("client stopped"); }
        _stopping.Dispose();
        _connectLock.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "SIP client transaction {Branch} ended: {Result} after {Transmissions} transmission(s)")]
        public static partial void Completed(ILogger logger, string branch, SipClientResult result, int transmissions);

        [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "SIP client: {Transport} send failed: {Error}")]
        public static partial void SendFailed(ILogger logger, string transport, string error);

        [LoggerMessage(EventId = 3103, Level = LogLevel.Debug, Message = "SIP client: stray {Status} response dropped (no transaction with its branch)")]
        public static partial void Stray(ILogger logger, int status);
    }
}

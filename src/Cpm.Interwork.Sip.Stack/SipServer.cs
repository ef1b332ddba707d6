using System.Buffers;
using System.Net;
using Cpm.Interwork.Sip.Stack.Transport;
using Microsoft.Extensions.Logging;

namespace Cpm.Interwork.Sip.Stack;

/// <summary>
/// The SIP front end: the configured UDP and TCP listeners, the parser under the configured limits, the transaction
/// table and the request behaviour, with MESSAGE handed to an <see cref="ISipMessageHandler"/>.
/// Start binds every listener (or throws <see cref="SipListenerBindException"/>); Stop drains: new requests get 503
/// with Retry-After, running MESSAGE handlers get <see cref="SipStackOptions.ShutdownDrainTimeout"/> to answer, the
/// rest are answered 503 with Retry-After, then the sockets close.
/// </summary>
public sealed class SipServer : IAsyncDisposable
{
    private readonly SipStackOptions _options;
    private readonly SipParserOptions _parserOptions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SipMetrics? _metrics;
    private readonly SipRequestProcessor _processor;
    private readonly List<UdpSipListener> _udp = [];
    private readonly List<TcpSipListener> _tcp = [];
    private volatile bool _ready;
    private int _stopped;

    public SipServer(SipStackOptions options, ISipMessageHandler handler, TimeProvider timeProvider, ILoggerFactory loggerFactory, SipMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger<SipServer>();
        _metrics = metrics;
        _parserOptions = new SipParserOptions { MaxHeaderBlockBytes = options.MaxHeaderBytes, MaxBodyBytes = options.MaxBodyBytes };
        _processor = new SipRequestProcessor(options, handler, _time, _logger, metrics);
    }

    /// <summary>True once every listener is bound, until shutdown begins.</summary>
    public bool IsReady => _ready;

    /// <summary>The endpoints actually bound (port 0 resolved to the port the OS chose).</summary>
    public IReadOnlyList<SipListenEndpoint> BoundEndpoints =>
        [.. _udp.Select(l => l.Bound), .. _tcp.Select(l => l.Bound)];

    /// <summary>Transactions in the table now.</summary>
    public int TransactionCount => _processor.Transactions.Count;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var endpoint in _options.Listen)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (endpoint.Transport == SipTransportKind.Udp)
                {
                    _udp.Add(new UdpSipListener(endpoint, OnDatagramAsync, _logger));
                }
                else
                {
                    _tcp.Add(new TcpSipListener(endpoint, _options, OnStreamAsync, _time, _logger));
                }
            }
        }
        catch
        {
            await CloseListenersAsync().ConfigureAwait(false);
            throw;
        }

        foreach (var listener in _udp)
        {
            listener.Start();
            SipStackLog.Listening(_logger, listener.Bound);
        }

        foreach (var listener in _tcp)
        {
            listener.Start();
            SipStackLog.Listening(_logger, listener.Bound);
        }

        _ready = true;
    }

    /// <summary>Drains in-flight transactions (see the class summary), then closes every listener.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        _ready = false;
        _processor.BeginDrain();
        var deadline = _time.GetTimestamp();
        if (_processor.InFlight > 0)
        {
            SipStackLog.Draining(_logger, _processor.InFlight, _options.ShutdownDrainTimeout);
            while (_processor.InFlight > 0 && _time.GetElapsedTime(deadline) < _options.ShutdownDrainTimeout && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), _time, CancellationToken.None).ConfigureAwait(false);
            }

            if (_processor.InFlight > 0)
            {
                SipStackLog.DrainAbandoned(_logger, _processor.InFlight);
                await _processor.AbandonAsync().ConfigureAwait(false);
                var abandonStart = _time.GetTimestamp();
                while (_processor.InFlight > 0 && _time.GetElapsedTime(abandonStart) < TimeSpan.FromSeconds(2))
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(10), _time, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }

        await CloseListenersAsync().ConfigureAwait(false);
        _processor.Dispose();
        SipStackLog.Stopped(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task CloseListenersAsync()
    {
        foreach (var listener in _udp)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var listener in _tcp)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask OnDatagramAsync(ReadOnlyMemory<byte> datagram, UdpSipListener listener, IPEndPoint remote, CancellationToken cancellationToken)
    {
        var status = SipParser.TryParseDatagram(datagram, _parserOptions, out var message, out var error);
        ISipResponseSink Route(SipRequestEcho echo) => new UdpResponseSink(listener, echo.UdpTarget(remote));
        switch (status)
        {
            case SipParseStatus.Complete when message is SipRequest request:
                await _processor.OnRequestAsync(request, Route, listener.Bound.EndPoint, remote, cancellationToken).ConfigureAwait(false);
                break;
            case SipParseStatus.Complete:
                _metrics?.Dropped("response");
                SipStackLog.StrayResponse(_logger, remote);
                break;
            case SipParseStatus.Invalid when error.Reason == SipRejectionReason.EmptyMessage:
                break; // a CRLF keep-alive
            default:
                await _processor.OnRejectedAsync(datagram, message, error, Route, remote, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async ValueTask<int> OnStreamAsync(ReadOnlyMemory<byte> buffered, TcpSipConnection connection, CancellationToken cancellationToken)
    {
        var total = 0;
        ISipResponseSink Route(SipRequestEcho echo) => connection.Sink;
        while (true)
        {
            var rest = buffered[total..];
            if (rest.Length >= 4 && rest.Span.StartsWith("\r\n\r\n"u8))
            {
                // RFC 5626 §4.4.1 keep-alive ping: answer the pong (one CRLF).
                await connection.SendAsync("\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                total += 4;
                continue;
            }

            // The sequence overload gives a message that owns a copy of its bytes: the connection's buffer is reused.
            var sequence = new ReadOnlySequence<byte>(rest);
            var status = SipParser.TryParse(sequence, _parserOptions, datagram: false, out var message, out var end, out var error);
            var consumed = (int)sequence.Slice(0, end).Length;
            switch (status)
            {
                case SipParseStatus.Complete when message is SipRequest request:
                    await _processor.OnRequestAsync(request, Route, connection.Local, connection.Remote, cancellationToken).ConfigureAwait(false);
                    total += consumed;
                    continue;
                case SipParseStatus.Complete:
                    _metrics?.Dropped("response");
                    SipStackLog.StrayResponse(_logger, connection.Remote);
                    total += consumed;
                    continue;
                case SipParseStatus.NeedMore:
                    return total + consumed;
                default:
                    // Framing is lost on a stream: answer if possible, then close.
                    await _processor.OnRejectedAsync(rest, message, error, Route, connection.Remote, cancellationToken).ConfigureAwait(false);
                    return -1;
            }
        }
    }

    private sealed class UdpResponseSink(UdpSipListener listener, IPEndPoint target) : ISipResponseSink
    {
        public SipTransportKind Transport => SipTransportKind.Udp;

        public ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
            listener.SendAsync(message, target, cancellationToken);
    }
}

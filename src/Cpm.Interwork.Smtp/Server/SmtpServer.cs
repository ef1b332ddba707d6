using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cpm.Interwork.Smtp.Server;

/// <summary>An SMTP server for MM4 (RFC 5321 with PIPELINING, SIZE, 8BITMIME, ENHANCEDSTATUSCODES
/// and STARTTLS when a certificate is configured). It listens on <see cref="SmtpServerOptions.Listen"/>,
/// talks only to <see cref="SmtpServerOptions.AllowedPeers"/>, accepts recipients only in
/// <see cref="SmtpServerOptions.LocalDomains"/>, and hands each message to the
/// <see cref="IMessageSink"/> before answering the end of DATA.</summary>
public sealed class SmtpServer : IAsyncDisposable
{
    private readonly SmtpServerOptions _options;
    private readonly IMessageSink _sink;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly IPNetwork[] _allowed;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly ConcurrentDictionary<long, Task> _sessions = new();
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private long _nextSession;
    private int _active;
    private int _started;

    public SmtpServer(SmtpServerOptions options, IMessageSink sink, TimeProvider? timeProvider = null, ILogger<SmtpServer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        _options = options;
        _sink = sink;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _allowed = [.. options.AllowedPeers.Select(p => SmtpServerOptions.TryParseNetwork(p, out var n) ? n : default)];
        _certificate = options.LoadCertificate();
    }

    /// <summary>The bound addresses (with the actual port when a Listen entry used port 0).</summary>
    public IReadOnlyList<IPEndPoint> LocalEndPoints => [.. _listeners.Select(l => (IPEndPoint)l.LocalEndPoint!)];

    /// <summary>Sessions currently open.</summary>
    public int ActiveSessions => Volatile.Read(ref _active);

    /// <summary>Binds every Listen entry and starts accepting. Throws <see cref="SocketException"/> when
    /// an address cannot be bound.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("The server was already started.");
        try
        {
            foreach (var entry in _options.Listen)
            {
                if (!SmtpServerOptions.TryParseListen(entry, out var endPoint)) throw new InvalidOperationException($"Smtp:Listen entry '{entry}' is invalid.");
                var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                _listeners.Add(socket);
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(endPoint);
                socket.Listen(512);
                SmtpLog.Listening(_logger, socket.LocalEndPoint!);
            }
        }
        catch
        {
            foreach (var socket in _listeners) socket.Dispose();
            _listeners.Clear();
            throw;
        }

        foreach (var socket in _listeners) _acceptLoops.Add(AcceptLoopAsync(socket));
        return Task.CompletedTask;
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                SmtpLog.AcceptFailed(_logger, e, listener.LocalEndPoint!);
                continue;
            }

            var id = Interlocked.Increment(ref _nextSession);
            var session = RunSessionAsync(id, client);
            _sessions[id] = session;
            // A session that already ended removed itself before it was added: do it here.
            if (session.IsCompleted) _sessions.TryRemove(id, out _);
        }
    }

    private async Task RunSessionAsync(long id, Socket client)
    {
        await Task.Yield();
        var active = Interlocked.Increment(ref _active);
        SmtpMetrics.ServerSessions.Add(1);
        try
        {
            client.NoDelay = true;
            var remote = (IPEndPoint)client.RemoteEndPoint!;
            var allowed = IsAllowed(remote.Address);
            if (!allowed) SmtpLog.PeerRefused(_logger, remote);
            var session = new SmtpServerSession(
                _options, _sink, _certificate, new NetworkStream(client, ownsSocket: true), remote, _timeProvider, _logger, _stopping.Token, _abort.Token);
            await using (session.ConfigureAwait(false))
            {
                await session.RunAsync(allowed, active > _options.MaxConnections).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            client.Dispose();
        }
        finally
        {
            Interlocked.Decrement(ref _active);
            _sessions.TryRemove(id, out _);
        }
    }

    /// <summary>True when <paramref name="address"/> is inside one of the allowed peer networks.</summary>
    public bool IsAllowed(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var network in _allowed)
        {
            if (network.Contains(address)) return true;
        }

        return false;
    }

    /// <summary>Graceful stop: no new connections; sessions waiting for a command get 421 4.3.2 and
    /// close; a message being received or handed to the sink is finished first. When
    /// <paramref name="cancellationToken"/> fires before all sessions ended, the rest are aborted.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var socket in _listeners) socket.Dispose();
        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_sessions.Values).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(_sessions.Values).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await StopAsync(grace.Token).ConfigureAwait(false);
        }

        _stopping.Dispose();
        _abort.Dispose();
        if (_options.Certificate is null) _certificate?.Dispose();
    }
}

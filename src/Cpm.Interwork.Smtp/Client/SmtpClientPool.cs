using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cpm.Interwork.Smtp.Client;

/// <summary>Sends mail through pooled SMTP connections: per relay endpoint at most
/// <see cref="SmtpClientOptions.MaxConnectionsPerEndpoint"/> connections, idle ones reused (after
/// RSET) until <see cref="SmtpClientOptions.IdleTimeout"/>. Thread-safe.</summary>
public sealed class SmtpClientPool : IAsyncDisposable
{
    private static readonly TimeSpan s_quitTimeout = TimeSpan.FromSeconds(5);
    private readonly SmtpClientOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<SmtpEndpoint, EndpointPool> _pools = new();
    private readonly ITimer _sweeper;
    private readonly Func<SmtpEndpoint, SmtpClientOptions, TimeProvider, ILogger, CancellationToken, Task<(SmtpClientConnection?, SmtpSendResult?)>> _connect;
    private volatile bool _disposed;

    public SmtpClientPool(SmtpClientOptions options, TimeProvider? timeProvider = null, ILogger<SmtpClientPool>? logger = null)
        : this(options, timeProvider, logger, SmtpClientConnection.ConnectAsync)
    {
    }

    /// <summary>Test seam: <paramref name="connect"/> opens a session (e.g. over a replay stream).</summary>
    internal SmtpClientPool(
        SmtpClientOptions options, TimeProvider? timeProvider, ILogger? logger,
        Func<SmtpEndpoint, SmtpClientOptions, TimeProvider, ILogger, CancellationToken, Task<(SmtpClientConnection?, SmtpSendResult?)>> connect)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _connect = connect;
        var period = options.IdleTimeout == Timeout.InfiniteTimeSpan ? Timeout.InfiniteTimeSpan : options.IdleTimeout / 2;
        _sweeper = _timeProvider.CreateTimer(_ => SweepIdle(), null, period, period);
    }

    /// <summary>Sends one message to <paramref name="relay"/>. Peer refusals and connection trouble
    /// are results (see <see cref="SmtpSendResultKind"/>); only cancellation throws.</summary>
    public async Task<SmtpSendResult> SendAsync(SmtpEndpoint relay, SmtpEnvelope envelope, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relay);
        ArgumentNullException.ThrowIfNull(envelope);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var pool = _pools.GetOrAdd(relay, _ => new EndpointPool(_options.MaxConnectionsPerEndpoint));
        await pool.Slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var connection = TakeIdle(pool);
                var reused = connection is not null;
                if (connection is null)
                {
                    var (opened, failure) = await _connect(relay, _options, _timeProvider, _logger, cancellationToken).ConfigureAwait(false);
                    if (opened is null)
                    {
                        SmtpLog.ConnectFailed(_logger, relay, failure);
                        SmtpMetrics.ClientSends.Add(1, new KeyValuePair<string, object?>("kind", failure!.Kind.ToString()));
                        return failure!;
                    }

                    connection = opened;
                    SmtpMetrics.ClientConnections.Add(1);
                }

                SmtpSendResult result;
                try
                {
                    result = await connection.SendAsync(envelope, message, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                    throw;
                }

                if (connection.IsUsable && (_options.MaxMessagesPerConnection == 0 || connection.Transactions < _options.MaxMessagesPerConnection))
                {
                    connection.LastUsed = _timeProvider.GetTimestamp();
                    lock (pool.Idle) pool.Idle.Push(connection);
                }
                else
                {
                    await CloseAsync(connection).ConfigureAwait(false);
                }

                // A kept connection the server closed while it idled: try once on a fresh one.
                if (reused && connection.FailedBeforeAnyReply && attempt == 0) continue;
                SmtpLog.Sent(_logger, relay, result);
                SmtpMetrics.ClientSends.Add(1, new KeyValuePair<string, object?>("kind", result.Kind.ToString()));
                return result;
            }
        }
        finally
        {
            pool.Slots.Release();
        }
    }

    /// <summary>Idle connections kept for <paramref name="relay"/> (for monitoring and tests).</summary>
    public int IdleConnections(SmtpEndpoint relay)
    {
        if (!_pools.TryGetValue(relay, out var pool)) return 0;
        lock (pool.Idle) return pool.Idle.Count;
    }

    private SmtpClientConnection? TakeIdle(EndpointPool pool)
    {
        lock (pool.Idle)
        {
            while (pool.Idle.TryPop(out var connection))
            {
                if (!IsExpired(connection)) return connection;
                _ = CloseAsync(connection);
            }
        }

        return null;
    }

    private bool IsExpired(SmtpClientConnection connection) =>
        _options.IdleTimeout != Timeout.InfiniteTimeSpan && _timeProvider.GetElapsedTime(connection.LastUsed) >= _options.IdleTimeout;

    private void SweepIdle()
    {
        foreach (var pool in _pools.Values)
        {
            List<SmtpClientConnection> expired;
            lock (pool.Idle)
            {
                var all = pool.Idle.ToArray();
                expired = [.. all.Where(IsExpired)];
                if (expired.Count == 0) continue;
                pool.Idle.Clear();
                foreach (var keep in all.Where(c => !IsExpired(c)).Reverse()) pool.Idle.Push(keep);
            }

            foreach (var connection in expired) _ = CloseAsync(connection);
        }
    }

    private static async Task CloseAsync(SmtpClientConnection connection)
    {
        try
        {
            await connection.QuitAsync(s_quitTimeout, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Sends QUIT on every idle connection and closes it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _sweeper.DisposeAsync().ConfigureAwait(false);
        var closing = new List<Task>();
        foreach (var pool in _pools.Values)
        {
            lock (pool.Idle)
            {
                while (pool.Idle.TryPop(out var connection)) closing.Add(CloseAsync(connection));
            }
        }

        await Task.WhenAll(closing).ConfigureAwait(false);
    }

    private sealed class EndpointPool(int maxConnections)
    {
        public SemaphoreSlim Slots { get; } = new(maxConnections, maxConnections);

        public Stack<SmtpClientConnection> Idle { get; } = new();
    }
}

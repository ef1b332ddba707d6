using Cpm.Interwork.Store;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cpm.Interwork.Gateway.Interworking;

/// <summary>Opens the durable store at start (schema migrated) before the SMTP server and the SIP stack; closes it last.</summary>
public sealed class GatewayStore : IHostedService, IAsyncDisposable
{
    private readonly StoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private IMessageStore? _store;

    public GatewayStore(InterworkSettings settings, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _options = settings.Store;
        _time = time;
        _loggers = loggers;
    }

    public StoreOptions Options => _options;

    public IMessageStore Store => _store ?? throw new InvalidOperationException("the store is not open yet");

    public bool IsOpen => _store is not null;

    /// <summary>Opens the store; a store that cannot be opened stops the start as an <see cref="IOException"/> (exit code 3, one line).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _store = await MessageStoreFactory.OpenAsync(_options, AppContext.BaseDirectory, _time, _loggers, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var where = _options.IsSqlite ? _options.ResolveSqlitePath(AppContext.BaseDirectory) : _options.Provider;
            throw new IOException($"cannot open the store ({where}): {ex.Message.ReplaceLineEndings(" ")}", ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
            _store = null;
        }
    }
}

/// <summary>/health/ready: the store answers (a write-free probe).</summary>
public sealed class StoreHealthCheck(GatewayStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!store.IsOpen)
        {
            return HealthCheckResult.Unhealthy("store not open");
        }

        var health = await store.Store.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        return health.IsHealthy ? HealthCheckResult.Healthy(health.Description) : HealthCheckResult.Unhealthy(health.Description);
    }
}

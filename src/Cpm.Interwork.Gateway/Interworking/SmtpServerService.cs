using Cpm.Interwork.Smtp.Server;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cpm.Interwork.Gateway.Interworking;

/// <summary>Runs the gateway's SMTP server (MM4 in: forward.RES and peer traffic) inside the host.</summary>
public sealed class SmtpServerService : IHostedService, IAsyncDisposable
{
    private readonly SmtpServer _server;
    private volatile bool _running;
    private int _disposed;

    public SmtpServerService(InterworkSettings settings, Mm4InboundSink sink, TimeProvider time, ILogger<SmtpServer> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _server = new SmtpServer(settings.SmtpServer, sink, time, logger);
    }

    public bool IsListening => _running;

    public IReadOnlyList<System.Net.IPEndPoint> LocalEndPoints => _server.LocalEndPoints;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _server.StartAsync(cancellationToken).ConfigureAwait(false);
        _running = true;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _running = false;
        await _server.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Idempotent: the container disposes this instance twice (as itself and as the hosted-service factory's result),
    /// and <see cref="SmtpServer.DisposeAsync"/> may run only once.</summary>
    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _disposed, 1) == 0 ? _server.DisposeAsync() : ValueTask.CompletedTask;
}

/// <summary>/health/ready: the SMTP listener is bound (MM4_forward.RES can come back).</summary>
public sealed class SmtpListenerHealthCheck(SmtpServerService smtp) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(smtp.IsListening
            ? HealthCheckResult.Healthy("SMTP listening on " + string.Join(", ", smtp.LocalEndPoints))
            : HealthCheckResult.Unhealthy("SMTP listener not bound"));
}

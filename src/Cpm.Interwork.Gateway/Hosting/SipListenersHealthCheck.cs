using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cpm.Interwork.Gateway.Hosting;

/// <summary>Ready only once every SIP listener is bound (and not while draining at shutdown).</summary>
public sealed class SipListenersHealthCheck(SipStackHostedService sip) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(sip.IsReady
            ? HealthCheckResult.Healthy($"listening on {string.Join(", ", sip.Stack.BoundEndpoints)}")
            : HealthCheckResult.Unhealthy("SIP listeners not bound (starting or shutting down)"));
}

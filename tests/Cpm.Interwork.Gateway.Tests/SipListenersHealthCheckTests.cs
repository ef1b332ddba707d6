using System.Net;
using Cpm.Interwork.Gateway.Hosting;
using Cpm.Interwork.Sip.Stack;
using Cpm.Interwork.Sip.Stack.Transport;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cpm.Interwork.Gateway.Tests;

public sealed class SipListenersHealthCheckTests
{
    [Fact]
    public async Task Ready_OnlyWhileEveryListenerIsBound_NotBeforeStartNorAfterStop()
    {
        using var meter = new System.Diagnostics.Metrics.Meter("test");
        var options = new SipStackOptions
        {
            Listen = [new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 0)), new(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, 0))],
        };
        await using var service = new SipStackHostedService(options, new UnavailableMessageHandler(), TimeProvider.System, NullLoggerFactory.Instance, new SipMetrics(meter));
        var check = new SipListenersHealthCheck(service);
        var context = new HealthCheckContext();

        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(context)).Status);
        await service.StartAsync(CancellationToken.None);
        var ready = await check.CheckHealthAsync(context);
        Assert.Equal(HealthStatus.Healthy, ready.Status);
        Assert.StartsWith("listening on udp:127.0.0.1:", ready.Description, StringComparison.Ordinal);
        await service.StopAsync(CancellationToken.None);
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(context)).Status);
    }
}

using Cpm.Interwork.Core;
using Cpm.Interwork.Sip.Stack;
using Cpm.Interwork.Sip.Stack.Client;

namespace Cpm.Interwork.Gateway.Interworking.Inbound;

/// <summary>Registers the MMS → CPM direction (when Ims:OutboundProxy is set): SIP client, MM4→CPM mapper, accept service, worker.</summary>
public static class InboundServices
{
    public static void Add(IServiceCollection services, InterworkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Inbound.Enabled || settings.Ims is null)
        {
            return;
        }

        services.AddSingleton(sp =>
        {
            var sip = sp.GetRequiredService<SipStackOptions>();
            var o = settings.Inbound.Client;
            o.T1 = sip.T1;
            o.T2 = sip.T2;
            return o;
        });
        services.AddSingleton<SipClient>(sp => new SipClient(sp.GetRequiredService<SipClientOptions>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SipClient>>()));
        services.AddSingleton<ISipClient>(sp => sp.GetRequiredService<SipClient>());
        services.AddSingleton(new Mm4ToCpmMapper(settings.Ims, settings.Cpm));
        services.AddSingleton<InboundSignal>();
        services.AddSingleton<InboundMetrics>();
        services.AddSingleton<InboundForwardService>();
        services.AddSingleton<InboundAnswerSender>();
        services.AddHostedService<InboundWorker>();
        services.AddHostedService<InboundStartupLog>();
    }
}

internal sealed class InboundStartupLog(SipClientOptions client, InterworkSettings settings, ILogger<InboundStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        InboundLog.Enabled(logger, client.OutboundProxy, client.UdpMaxBytes, client.T1, settings.Mm4.ResponseWait);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using Cpm.Interwork.Core;
using Cpm.Interwork.Dns.Client;
using Cpm.Interwork.Dns.E164;
using Cpm.Interwork.Dns.Routing;
using Cpm.Interwork.Mm4;
using Cpm.Interwork.Sip.Stack;
using Cpm.Interwork.Smtp.Client;

namespace Cpm.Interwork.Gateway.Interworking;

/// <summary>Registers the CPM→MMS flow in the host: store, DNS/ENUM routing, SMTP client pool and server, the MESSAGE handler, the worker, metrics.</summary>
public static class InterworkServices
{
    /// <summary>Call before the SIP stack is registered: hosted services start in order (store → SMTP → worker → SIP) and stop in reverse.</summary>
    public static void Add(IServiceCollection services, InterworkSettings settings, string readyTag)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(settings);
        services.AddSingleton(new NumberMask(settings.MaskNumbers));
        services.AddSingleton<MetricsEndpoint>();
        services.AddSingleton<InterworkMetrics>();
        if (!settings.Enabled)
        {
            services.AddHostedService<InterworkStartupLog>();
            return;
        }

        services.AddSingleton(settings.Interwork);
        services.AddSingleton<IMm4IdGenerator>(new RandomMm4IdGenerator(settings.Interwork.PrimaryDomain));
        services.AddSingleton(sp => new CpmToMm4Mapper(settings.Interwork, sp.GetRequiredService<IMm4IdGenerator>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new Mm4ForwardSplitter(settings.Interwork, sp.GetRequiredService<IMm4IdGenerator>(), sp.GetRequiredService<TimeProvider>()));

        services.AddSingleton<IDnsResolver>(sp => new DnsClient(settings.Dns, null, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DnsClient>>()));
        services.AddSingleton(sp => new EnumResolver(sp.GetRequiredService<IDnsResolver>(), settings.Enum, sp.GetRequiredService<ILogger<EnumResolver>>()));
        services.AddSingleton<IMm4Router>(sp => new Mm4Router(sp.GetRequiredService<IDnsResolver>(), sp.GetRequiredService<EnumResolver>(), settings.Routing, sp.GetRequiredService<ILogger<Mm4Router>>()));
        services.AddSingleton(sp => new SmtpClientPool(settings.SmtpClient, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SmtpClientPool>>()));

        services.AddSingleton<ForwardOutcomeRegistry>();
        services.AddSingleton<GatewayStore>();
        services.AddHostedService(sp => sp.GetRequiredService<GatewayStore>());
        services.AddSingleton<ForwardSender>();
        services.AddSingleton<Mm4InboundSink>();
        services.AddSingleton<SmtpServerService>();
        services.AddHostedService(sp => sp.GetRequiredService<SmtpServerService>());
        services.AddHostedService<ForwardWorker>();
        Inbound.InboundServices.Add(services, settings);
        services.AddHostedService<InterworkStartupLog>();
        services.AddSingleton<ISipMessageHandler, CpmMessageHandler>();
        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: [readyTag])
            .AddCheck<SmtpListenerHealthCheck>("smtp-listener", tags: [readyTag]);
    }

    /// <summary>GET /metrics (Prometheus text of the "Cpm.Interwork" meter).</summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var metrics = app.Services.GetRequiredService<MetricsEndpoint>();
        app.MapGet("/metrics", () => Results.Text(metrics.Render(), "text/plain; version=0.0.4"));
    }
}

/// <summary>Logs at start whether interworking is on and with what identity.</summary>
internal sealed class InterworkStartupLog(InterworkSettings settings, ILogger<InterworkStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!settings.Enabled)
        {
            InterworkLog.Disabled(logger);
            return Task.CompletedTask;
        }

        InterworkLog.Enabled(logger, string.Join(",", settings.Domains), settings.Interwork.OriginatorSystem.ToString(), settings.Interwork.ResponseWait,
            settings.Interwork.NoResponsePolicy.ToString(), settings.Store.Provider);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

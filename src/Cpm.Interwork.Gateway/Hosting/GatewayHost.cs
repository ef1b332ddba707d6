using System.Net.Sockets;
using Cpm.Interwork.Gateway.Configuration;
using Cpm.Interwork.Gateway.Interworking;
using System.Diagnostics.Metrics;
using Cpm.Interwork.Sip.Stack;
using Cpm.Interwork.Sip.Stack.Transport;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Serilog;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Json;

namespace Cpm.Interwork.Gateway.Hosting;

/// <summary>Builds and runs the gateway: configuration, validation, logging, health, metrics, the SIP stack.</summary>
public static class GatewayHost
{
    public const int ExitConfigurationError = 2;
    public const int ExitStartupError = 3;

    private const string ReadyTag = "ready";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json sits next to the binary: the gateway must find it whatever the working directory.
            ContentRootPath = AppContext.BaseDirectory,
        });

        var settings = GatewaySettings.Read(builder.Configuration, out var problems);
        var interworkProblems = new List<ConfigurationProblem>();
        var interwork = InterworkSettings.Read(builder.Configuration, interworkProblems);
        if (interwork.Enabled && interwork.Interwork.ResponseWait + TimeSpan.FromSeconds(2) > settings.Sip.MessageHandlerTimeout)
        {
            interworkProblems.Add(new ConfigurationProblem("Interwork:ResponseWait", interwork.Interwork.ResponseWait.ToString(), "must be at least 2 s below Sip:MessageHandlerTimeoutSeconds"));
        }

        if (problems.Count > 0 || interworkProblems.Count > 0)
        {
            await Console.Error.WriteLineAsync((problems.Count > 0 ? problems[0] : interworkProblems[0]).ToString()).ConfigureAwait(false);
            return ExitConfigurationError;
        }

        // The CPM→MMS flow registers its MESSAGE handler and hosted services before the SIP stack (see InterworkServices).
        InterworkServices.Add(builder.Services, interwork, ReadyTag);
        ConfigureServices(builder, settings);
        await using var app = builder.Build();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = static _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = static c => c.Tags.Contains(ReadyTag) });
        InterworkServices.Map(app);

        try
        {
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (ex is SipListenerBindException or IOException or SocketException)
        {
            await Console.Error.WriteLineAsync($"startup error: {ex.Message}").ConfigureAwait(false);
            return ExitStartupError;
        }
    }

    /// <summary>Registers every gateway service. Later issues add their sections here (Ims, Mm4, Smtp, Dns, Enum, Routing, Store, Interwork).</summary>
    internal static void ConfigureServices(WebApplicationBuilder builder, GatewaySettings settings)
    {
        builder.WebHost.UseUrls(settings.Urls);
        builder.Logging.ClearProviders();
        // AddProvider, not AddSerilog: AddSerilog adds a Trace-level filter for its provider that would override the
        // per-namespace levels of Logging:LogLevel.
        builder.Logging.AddProvider(new SerilogLoggerProvider(CreateSerilogLogger(settings.LogFormat), dispose: true));

        var services = builder.Services;
        services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.Sip.ShutdownDrainTimeout + TimeSpan.FromSeconds(10));
        services.AddSingleton(settings);
        services.AddSingleton(settings.Sip);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new SipMetrics(sp.GetRequiredService<IMeterFactory>().Create(new MeterOptions(SipMetrics.MeterName))));

        // The MESSAGE seam: a later registration of ISipMessageHandler (the interworking core) replaces this
        // honest default, which answers 480 and never claims a delivery.
        services.TryAddSingleton<ISipMessageHandler, UnavailableMessageHandler>();

        services.AddSingleton<SipStackHostedService>();
        services.AddHostedService(sp => sp.GetRequiredService<SipStackHostedService>());
        services.AddHealthChecks().AddCheck<SipListenersHealthCheck>("sip-listeners", tags: [ReadyTag]);
    }

    private static Serilog.Core.Logger CreateSerilogLogger(LogFormat format)
    {
        // Levels per namespace come from the standard Logging:LogLevel section (filtered by Microsoft.Extensions.Logging);
        // Serilog only formats and writes, so it lets everything through.
        var configuration = new LoggerConfiguration().MinimumLevel.Verbose().Enrich.FromLogContext();
        configuration = format == LogFormat.Json
            ? configuration.WriteTo.Console(new JsonFormatter(renderMessage: true))
            : configuration.WriteTo.Console(
                outputTemplate: "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        return configuration.CreateLogger();
    }
}

using Cpm.Interwork.Sip.Stack;

namespace Cpm.Interwork.Gateway.Hosting;

/// <summary>Runs the SIP stack inside the host: binds every listener at start, drains transactions at stop.</summary>
public sealed class SipStackHostedService : IHostedService, IAsyncDisposable
{
    private readonly SipServer _stack;

    public SipStackHostedService(SipStackOptions options, ISipMessageHandler handler, TimeProvider timeProvider, ILoggerFactory loggerFactory, SipMetrics metrics)
    {
        _stack = new SipServer(options, handler, timeProvider, loggerFactory, metrics);
    }

    /// <summary>True once every configured listener is bound and the stack is not shutting down.</summary>
    public bool IsReady => _stack.IsReady;

    public SipServer Stack => _stack;

    public Task StartAsync(CancellationToken cancellationToken) => _stack.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => _stack.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _stack.DisposeAsync();
}

namespace Cpm.Interwork.Gateway.Tests.Support;

/// <summary>A gateway process for <see cref="SippGatewayTests"/>: SIP UDP+TCP 15064, HTTP 18084.</summary>
public sealed class SippGatewayFixture : IAsyncLifetime
{
    internal GatewayProcess Gateway { get; private set; } = null!;

    public async Task InitializeAsync() => Gateway = await GatewayProcess.StartAsync(15064, 18084);

    public Task DisposeAsync()
    {
        Gateway.Dispose();
        return Task.CompletedTask;
    }
}

using System.Globalization;
using Cpm.Interwork.Sip.Stack.Tests.Support;

namespace Cpm.Interwork.Gateway.Tests.Support;

/// <summary>
/// The real built gateway (<c>dotnet Cpm.Interwork.Gateway.dll</c>) as a child process on the given loopback ports.
/// </summary>
internal sealed class GatewayProcess : IDisposable
{
    private GatewayProcess(PeerProcess process, int sipPort, int httpPort)
    {
        Process = process;
        SipPort = sipPort;
        HttpPort = httpPort;
    }

    public PeerProcess Process { get; }

    public int SipPort { get; }

    public int HttpPort { get; }

    public Uri Http => new($"http://127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>The gateway built next to this test run (same configuration: Release or Debug).</summary>
    public static string GatewayDll
    {
        get
        {
            var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
            var configuration = baseDir.Parent!.Name; // bin/<Configuration>/net10.0
            var root = baseDir;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Cpm.Interwork.sln")))
            {
                root = root.Parent;
            }

            if (root is null)
            {
                throw new InvalidOperationException("Cpm.Interwork.sln not found above " + AppContext.BaseDirectory);
            }

            var dll = Path.Combine(root.FullName, "src", "Cpm.Interwork.Gateway", "bin", configuration, baseDir.Name, "Cpm.Interwork.Gateway.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException("gateway not built: " + dll);
        }
    }

    /// <summary>Starts the gateway process with arguments as given (no waiting).</summary>
    public static PeerProcess Launch(params string[] arguments) =>
        PeerProcess.Start(PeerProcess.Which("dotnet"), [GatewayDll, .. arguments]);

    /// <summary>Starts the gateway process with extra environment variables (no waiting).</summary>
    public static PeerProcess Launch(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        PeerProcess.Start(PeerProcess.Which("dotnet"), [GatewayDll, .. arguments], environment: environment);

    /// <summary>Starts the gateway with SIP UDP+TCP on <paramref name="sipPort"/> and HTTP on <paramref name="httpPort"/>, and waits until ready.</summary>
    public static async Task<GatewayProcess> StartAsync(int sipPort, int httpPort, params string[] extra)
    {
        var sip = sipPort.ToString(CultureInfo.InvariantCulture);
        var process = Launch([
            $"--Sip:Listen:0=udp:127.0.0.1:{sip}", $"--Sip:Listen:1=tcp:127.0.0.1:{sip}",
            $"--Urls=http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}", .. extra]);
        var gateway = new GatewayProcess(process, sipPort, httpPort);
        if (!await gateway.WaitReadyAsync(TimeSpan.FromSeconds(30)))
        {
            var output = process.Output;
            gateway.Dispose();
            throw new InvalidOperationException("gateway did not become ready:\n" + output);
        }

        return gateway;
    }

    public async Task<bool> WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !Process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(Http, "/health/ready"));
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        return false;
    }

    public void Dispose() => Process.Dispose();
}

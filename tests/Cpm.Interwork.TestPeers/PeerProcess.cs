using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace Cpm.Interwork.TestPeers;

public static class PeerPaths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string NodeModules => Path.Combine(RepoRoot, "tests", "peers", "node", "node_modules");

    /// <summary>A script in the running test project's own <c>Peers/</c> folder (the project is three levels above bin/Release/net10.0).</summary>
    public static string PeerScript(string name) =>
        Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Peers", name));

    public static string Vector(string name) => Path.Combine(AppContext.BaseDirectory, "Vectors", name);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cpm.Interwork.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (Cpm.Interwork.sln) above " + AppContext.BaseDirectory);
    }

    /// <summary>Fails (never skips) when a peer is missing: CI installs them all.</summary>
    public static string RequireExecutable(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/usr/lib/postfix/sbin"))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path)) return path;
        }

        throw new InvalidOperationException($"Peer '{name}' is not installed: run `bash tests/peers/install.sh`.");
    }

    public static void RequireNodeModules()
    {
        foreach (var module in new[] { "smtp-server", "nodemailer", "mailparser" })
        {
            if (!Directory.Exists(Path.Combine(NodeModules, module)))
                throw new InvalidOperationException($"npm package '{module}' is missing under {NodeModules}: run `bash tests/peers/install.sh`.");
        }
    }

    public static async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}

/// <summary>A peer run in the foreground; stdout lines are collected; killed by its id on dispose.</summary>
public sealed class PeerProcess : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    public PeerProcess(string fileName, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        if (environment is not null) foreach (var (k, v) in environment) start.Environment[k] = v;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Add(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _stderr.Enqueue(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string StandardError => string.Join("\n", _stderr);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The next stdout line that satisfies <paramref name="match"/>, within the timeout.</summary>
    public string WaitForLine(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !_lines.TryTake(out var line, left))
                throw new TimeoutException($"No matching line from {_process.StartInfo.FileName} within {timeout}; stderr: {StandardError}");
            if (match(line)) return line;
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        _lines.Dispose();
    }
}

/// <summary>A node MMSE sink (smtp-server + mailparser, a script of the test project's Peers/ folder) on a port: one JSON line per mail.</summary>
public sealed class NodeSink : IDisposable
{
    private readonly PeerProcess _process;

    public NodeSink(int port, bool startTls = false, string script = "sink.js")
    {
        PeerPaths.RequireNodeModules();
        Port = port;
        var args = new List<string> { PeerPaths.PeerScript(script), port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (startTls) args.Add("--starttls");
        _process = new PeerProcess(PeerPaths.RequireExecutable("node"), args, new Dictionary<string, string> { ["NODE_PATH"] = PeerPaths.NodeModules });
        _process.WaitForLine(l => l == "READY " + port, TimeSpan.FromSeconds(20));
    }

    public int Port { get; }

    public System.Text.Json.JsonElement NextMessage(TimeSpan timeout) =>
        System.Text.Json.JsonDocument.Parse(_process.WaitForLine(l => l.StartsWith('{'), timeout)).RootElement;

    public void Dispose() => _process.Dispose();
}

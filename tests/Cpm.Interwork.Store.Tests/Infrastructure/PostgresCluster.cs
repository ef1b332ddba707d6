using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Cpm.Interwork.Store.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL cluster for one test run: initdb in a temp dir, pg_ctl start on 127.0.0.1 at
/// the first free port of 15400–15409 with its socket in the temp dir, pg_ctl stop in Dispose.
/// Missing binaries fail the tests (CI installs PostgreSQL).
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private const int FirstPort = 15400;
    private const int LastPort = 15409;
    private string _root = "";
    private string _bin = "";

    public int Port { get; private set; }

    public string DataDirectory => Path.Combine(_root, "data");

    public async Task InitializeAsync()
    {
        _bin = FindBinDirectory();
        _root = Path.Combine(Path.GetTempPath(), "cpm-store-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
        await RunAsync("chown", "postgres:postgres", _root);
        await RunAsync("runuser", "-u", "postgres", "--", Path.Combine(_bin, "initdb"), "-D", DataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync");
        Port = FindFreePort();
        var serverOptions = string.Create(CultureInfo.InvariantCulture,
            $"-c listen_addresses=127.0.0.1 -p {Port} -k {_root} -c max_connections=200 -c shared_buffers=32MB");
        await RunAsync("runuser", "-u", "postgres", "--", Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-l", Path.Combine(_root, "log"), "-o", serverOptions, "-w", "-t", "60", "start");
    }

    /// <summary>A fresh, empty database for one test; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Maximum Pool Size=50;Timeout=15");

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunAsync("runuser", "-u", "postgres", "--", Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-m", "fast", "-w", "-t", "30", "stop");
        }
        catch (InvalidOperationException)
        {
            KillPostmaster();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp dir is harmless; the next run uses a new one.
        }
    }

    private void KillPostmaster()
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).First(), out var pid))
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
    }

    private static string FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(d => d.Version > 0 && File.Exists(Path.Combine(d.Dir, "bin", "initdb")))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Dir, "bin"))
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException("PostgreSQL binaries not found under /usr/lib/postgresql/<version>/bin (run tests/peers/install.sh)");
    }

    private static int FindFreePort()
    {
        for (var port = FirstPort; port <= LastPort; port++)
        {
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                listener.Stop();
                return port;
            }
            catch (SocketException)
            {
                // Taken (e.g. a cluster a crashed run left behind): try the next one.
            }
        }

        throw new InvalidOperationException($"No free port in {FirstPort}–{LastPort} for PostgreSQL");
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} timed out");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await stdout} {await stderr}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresClusterGroup : ICollectionFixture<PostgresCluster>
{
    public const string Name = "postgres";
}

using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Cpm.Interwork.Store.Tests.Infrastructure;

/// <summary>
/// The test assembly doubles as a console program (see Program.cs): <c>dotnet exec
/// Cpm.Interwork.Store.Tests.dll crash-writer PROVIDER TARGET</c> opens the store and writes until
/// it is killed, printing "ack KEY ID" after each insert the store confirmed and "upd ID VERSION
/// STATE" after each confirmed update. The parent kills it with SIGKILL mid-flight and checks that
/// everything acknowledged is there after reopening.
/// </summary>
internal static class CrashWriter
{
    public const string Mode = "crash-writer";

    public static byte[] PayloadFor(string key) => Encoding.UTF8.GetBytes("MM4 payload for " + key + " " + new string('x', 200));

    public static async Task<int> RunAsync(string provider, string target)
    {
        var options = new StoreOptions { Provider = provider };
        if (options.IsPostgres)
        {
            options.ConnectionString = target;
        }
        else
        {
            options.Path = target;
        }

        var store = await MessageStoreFactory.OpenAsync(options, Path.GetTempPath(), TimeProvider.System, null, CancellationToken.None);
        var output = Console.Out;
        var gate = new object();
        var run = Guid.NewGuid().ToString("N");
        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var n = 0; ; n++)
            {
                var key = string.Create(CultureInfo.InvariantCulture, $"crash-{run}-{worker}-{n}");
                var result = await store.InsertAsync(
                    new NewWorkItem
                    {
                        Kind = WorkKind.ForwardToMmse,
                        Direction = WorkDirection.CpmToMms,
                        DedupKey = key,
                        Mm4TransactionId = "tx-" + key,
                        Recipients = ["+15550100002/TYPE=PLMN"],
                        Payload = PayloadFor(key),
                    },
                    CancellationToken.None);
                Write(output, gate, string.Create(CultureInfo.InvariantCulture, $"ack {key} {result.Item.Id}"));
                if (n % 2 == 0)
                {
                    var sent = result.Item with { State = WorkState.AwaitingResponse, Attempts = 1 };
                    var update = await store.UpdateAsync(sent, result.Item.Version, CancellationToken.None);
                    if (update.Succeeded)
                    {
                        Write(output, gate, string.Create(CultureInfo.InvariantCulture, $"upd {update.Item!.Id} {update.Item.Version} {(int)update.Item.State}"));
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return 0;
    }

    /// <summary>Starts the writer as a child process.</summary>
    public static Process Start(string provider, string target)
    {
        var assembly = typeof(CrashWriter).Assembly.Location;
        // The dotnet CLI tells its children where the host is; fall back to PATH.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";
        var info = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(assembly);
        info.ArgumentList.Add(Mode);
        info.ArgumentList.Add(provider);
        info.ArgumentList.Add(target);
        return Process.Start(info) ?? throw new InvalidOperationException("cannot start the crash writer");
    }

    private static void Write(TextWriter output, object gate, string line)
    {
        lock (gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    public static bool IsRunning(Process process)
    {
        try
        {
            return !process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public static void Kill(Process process)
    {
        if (IsRunning(process))
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit(10_000);
    }
}

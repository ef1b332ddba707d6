using System.Globalization;

namespace Cpm.Interwork.Sip.Stack.Tests.Support;

/// <summary>Runs SIPp (Debian sip-tester) once as a UAC with a scenario file and reports its exit code and logs.</summary>
internal static class Sipp
{
    public sealed record Result(int ExitCode, string Output, string Messages, string Errors);

    /// <param name="transport">"u1" (UDP) or "t1" (TCP, one connection).</param>
    public static async Task<Result> RunAsync(string scenario, string transport, int localPort, string target, int calls = 1, TimeSpan? timeout = null, IEnumerable<string>? extra = null)
    {
        var dir = Directory.CreateTempSubdirectory("sipp-");
        try
        {
            var messages = Path.Combine(dir.FullName, "messages.log");
            var errors = Path.Combine(dir.FullName, "errors.log");
            var seconds = (int)(timeout ?? TimeSpan.FromSeconds(15)).TotalSeconds;
            string[] args =
            [
                "-sf", scenario, "-m", calls.ToString(CultureInfo.InvariantCulture), "-t", transport,
                "-i", "127.0.0.1", "-p", localPort.ToString(CultureInfo.InvariantCulture),
                "-timeout", $"{seconds}s", "-timeout_error", "-nostdin", "-nd",
                "-trace_msg", "-message_file", messages, "-trace_err", "-error_file", errors,
                .. extra ?? [],
                target,
            ];
            using var sipp = PeerProcess.Start("sipp", args, dir.FullName);
            var exited = await sipp.WaitForExitAsync(TimeSpan.FromSeconds(seconds + 10));
            var exit = exited ? sipp.ExitCode : -1;
            var messageLog = File.Exists(messages) ? await File.ReadAllTextAsync(messages) : string.Empty;
            var errorLog = File.Exists(errors) ? await File.ReadAllTextAsync(errors) : string.Empty;
            return new Result(exit, sipp.Output, messageLog, errorLog);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The path of a scenario shipped with the test project.</summary>
    public static string Scenario(string name) => Path.Combine(AppContext.BaseDirectory, "Scenarios", name);
}

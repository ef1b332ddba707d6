using Cpm.Interwork.Store.Tests.Infrastructure;

namespace Cpm.Interwork.Store.Tests;

/// <summary>
/// Entry point: the test host never calls it; <c>dotnet exec</c> of this assembly with
/// "crash-writer" runs the child process of the durability tests.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 3 && args[0] == CrashWriter.Mode)
        {
            return await CrashWriter.RunAsync(args[1], args[2]);
        }

        await Console.Error.WriteLineAsync("usage: crash-writer Sqlite|Postgres PATH|CONNECTION-STRING");
        return 2;
    }
}

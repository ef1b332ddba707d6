using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace Cpm.Interwork.Benchmarks;

/// <summary>
/// Runs each BenchmarkDotNet benchmark method in a plain stopwatch loop on the calling thread and prints
/// operations per second and allocated bytes per operation. Not a replacement for BenchmarkDotNet's
/// statistics; a fast way to print the figures the issues set targets for. A class may expose
/// <c>public int MessageBytes</c> to get a MB/s column as well.
/// </summary>
internal static class QuickFigures
{
    public static async Task<int> RunAsync(Assembly assembly, TimeSpan duration, string? filter)
    {
        var classes = assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            .Where(t => filter is null || t.Name.Contains(filter, StringComparison.OrdinalIgnoreCase))
            .OrderBy(t => t.Name, StringComparer.Ordinal);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"benchmark",-62} {"ops/s",14} {"B/op",10} {"MB/s",9}   ({Environment.ProcessorCount} cores, {duration.TotalSeconds:0.#} s each)"));
        foreach (var type in classes)
        {
            foreach (var method in type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            {
                var instance = Activator.CreateInstance(type)!;
                foreach (var p in type.GetProperties().Where(p => p.GetCustomAttribute<ParamsAttribute>() is not null))
                {
                    p.SetValue(instance, p.GetCustomAttribute<ParamsAttribute>()!.Values[0]);
                }

                Invoke(type, instance, typeof(GlobalSetupAttribute));
                try
                {
                    var perInvoke = method.GetCustomAttribute<BenchmarkAttribute>()!.OperationsPerInvoke;
                    await Call(method, instance).ConfigureAwait(false); // warm-up (JIT, connections)
                    var stopwatch = Stopwatch.StartNew();
                    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                    long invocations = 0;
                    while (stopwatch.Elapsed < duration)
                    {
                        await Call(method, instance).ConfigureAwait(false);
                        invocations++;
                    }

                    stopwatch.Stop();
                    var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                    var ops = invocations * (long)perInvoke;
                    var opsPerSecond = ops / stopwatch.Elapsed.TotalSeconds;
                    var bytes = type.GetProperty("MessageBytes")?.GetValue(instance) as int?;
                    var mbps = bytes is { } b ? (opsPerSecond * b / 1_000_000).ToString("0", CultureInfo.InvariantCulture) : "";
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{type.Name + "." + method.Name,-62} {opsPerSecond,14:N0} {allocated / (double)ops,10:N0} {mbps,9}"));
                }
                finally
                {
                    Invoke(type, instance, typeof(GlobalCleanupAttribute));
                }
            }
        }

        return 0;
    }

    private static void Invoke(Type type, object instance, Type attribute)
    {
        foreach (var m in type.GetMethods().Where(m => m.GetCustomAttribute(attribute) is not null))
        {
            m.Invoke(instance, null);
        }
    }

    private static async Task Call(MethodInfo method, object instance)
    {
        var result = method.Invoke(instance, null);
        if (result is Task task) await task.ConfigureAwait(false);
        else if (result is ValueTask valueTask) await valueTask.ConfigureAwait(false);
    }
}

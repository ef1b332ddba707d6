using BenchmarkDotNet.Running;
using Cpm.Interwork.Benchmarks;

// `--figures [seconds] [filter]`: a quick stopwatch run of every [Benchmark] method that prints
// operations/s and bytes allocated per operation (what bench/run.sh prints). Anything else goes to
// BenchmarkDotNet (e.g. `--filter '*Sip*' --job short`).
if (args.Length > 0 && args[0] == "--figures")
{
    var seconds = args.Length > 1 && double.TryParse(args[1], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 3;
    var filter = args.Length > 2 ? args[2] : null;
    return await QuickFigures.RunAsync(typeof(Program).Assembly, TimeSpan.FromSeconds(seconds), filter).ConfigureAwait(false);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

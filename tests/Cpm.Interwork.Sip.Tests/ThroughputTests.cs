using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Cpm.Interwork.Sip.Tests.Support;
using Xunit.Abstractions;

namespace Cpm.Interwork.Sip.Tests;

/// <summary>
/// Quick, non-BenchmarkDotNet measurement of the parse path on the typical CPM MESSAGE. Runs 0.5 s by default; set
/// SIP_QUICK_SECONDS=5 to measure for 5 s (docs/sip-codec.md). Asserts the allocation budget, prints msgs/s.
/// </summary>
public sealed class ThroughputTests(ITestOutputHelper output)
{
    [Fact]
    public void Parsing_the_typical_cpm_message_allocates_only_the_message_its_bytes_and_its_header_index()
    {
        var bytes = TestBuffers.Load("cpm/message-cpim-typical.sip");
        var sequence = new ReadOnlySequence<byte>(bytes);
        var seconds = double.TryParse(Environment.GetEnvironmentVariable("SIP_QUICK_SECONDS"), CultureInfo.InvariantCulture, out var s) ? s : 0.5;

        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 1000) { for (var i = 0; i < 1000; i++) { Parse(sequence); } } // tiered JIT reaches tier 1

        var before = GC.GetAllocatedBytesForCurrentThread();
        const int Measured = 10_000;
        for (var i = 0; i < Measured; i++) { Parse(sequence); }
        var perParse = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Measured;
        // Budget: the copied bytes (array header + 1,058) + 15 header entries (20 B each + header) + the SipRequest object
        // (about 130 B) + 100 B slack. One allocation per header (15 × ≥ 24 B) would exceed it.
        var budget = (bytes.Length + 32) + ((15 * 20) + 32) + 160 + 100;
        output.WriteLine($"allocated per parse: {perParse:F0} B (budget {budget} B, message {bytes.Length} B)");
        Assert.True(perParse <= budget, $"{perParse} B per parse exceeds {budget} B");

        var noCopyBefore = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Measured; i++) { SipParser.TryParseDatagram(bytes, SipParserOptions.Default, out _, out _); }
        var noCopy = (GC.GetAllocatedBytesForCurrentThread() - noCopyBefore) / (double)Measured;
        output.WriteLine($"allocated per datagram parse without copy: {noCopy:F0} B");
        Assert.True(noCopy <= budget - bytes.Length - 32, $"{noCopy} B per no-copy parse");

        // Wall-clock rate, and the rate per second of this process's CPU time (meaningful when the machine is shared).
        using var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        long count = 0;
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            for (var i = 0; i < 1000; i++) { Parse(sequence); }
            count += 1000;
        }
        sw.Stop();
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
        output.WriteLine($"stream parse: {count / sw.Elapsed.TotalSeconds:N0} msgs/s wall, {count / cpu:N0} msgs per CPU-second, " +
            $"over {sw.Elapsed.TotalSeconds:F1} s ({bytes.Length} B, 15 headers, {Environment.ProcessorCount} cores)");
    }

    private static void Parse(ReadOnlySequence<byte> sequence)
    {
        var status = SipParser.TryParse(sequence, SipParserOptions.Default, datagram: false, out var message, out _, out _);
        if (status != SipParseStatus.Complete || message!.HeaderCount != 15) { throw new InvalidOperationException("vector did not parse"); }
    }
}

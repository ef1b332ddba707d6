using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Cpm.Interwork.Gateway.Interworking;

/// <summary>
/// Collects every instrument of the "Cpm.Interwork" meter (SIP stack and interworking) in process and renders them as
/// Prometheus text at <c>GET /metrics</c>: counters as <c>_total</c> per tag set, histograms as <c>_bucket</c>/<c>_sum</c>/<c>_count</c>
/// with the boundaries below (milliseconds).
/// </summary>
public sealed class MetricsEndpoint : IDisposable
{
    private static readonly double[] s_bounds = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 30000];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Name, string Tags), Series> _series = new();
    private readonly ConcurrentDictionary<SeriesKey, Series> _byKey = new();

    public MetricsEndpoint()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == InterworkMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public string Render()
    {
        _listener.RecordObservableInstruments(); // gauges report at collection time
        var sb = new StringBuilder();
        foreach (var group in _series.OrderBy(s => s.Key.Name, StringComparer.Ordinal).ThenBy(s => s.Key.Tags, StringComparer.Ordinal).GroupBy(s => s.Key.Name))
        {
            var name = group.Key.Replace('.', '_');
            var first = group.First().Value;
            sb.Append("# TYPE ").Append(name).Append(first.Buckets is not null ? " histogram\n" : first.IsGauge ? " gauge\n" : " counter\n");
            foreach (var (key, series) in group)
            {
                lock (series)
                {
                    if (series.IsGauge)
                    {
                        sb.Append(name).Append(Labels(key.Tags, null)).Append(' ').Append(Num(series.Sum)).Append('\n');
                        continue;
                    }

                    if (series.Buckets is null)
                    {
                        sb.Append(name).Append("_total").Append(Labels(key.Tags, null)).Append(' ').Append(Num(series.Sum)).Append('\n');
                        continue;
                    }

                    long cumulative = 0;
                    for (var b = 0; b < s_bounds.Length; b++)
                    {
                        cumulative += series.Buckets[b];
                        sb.Append(name).Append("_bucket").Append(Labels(key.Tags, Num(s_bounds[b]))).Append(' ').Append(cumulative).Append('\n');
                    }

                    sb.Append(name).Append("_bucket").Append(Labels(key.Tags, "+Inf")).Append(' ').Append(series.Count).Append('\n');
                    sb.Append(name).Append("_sum").Append(Labels(key.Tags, null)).Append(' ').Append(Num(series.Sum)).Append('\n');
                    sb.Append(name).Append("_count").Append(Labels(key.Tags, null)).Append(' ').Append(series.Count).Append('\n');
                }
            }
        }

        return sb.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // Keyed by the instrument and up to three tag values (instruments always pass their tags in the same order), so a
        // measurement allocates nothing once its series exists; the label text is built once per series.
        var key = new SeriesKey(instrument, tags.Length > 0 ? tags[0].Value : null, tags.Length > 1 ? tags[1].Value : null, tags.Length > 2 ? tags[2].Value : null, tags.Length);
        if (!_byKey.TryGetValue(key, out var series))
        {
            series = _byKey.GetOrAdd(key, CreateSeries(instrument, tags));
        }

        lock (series)
        {
            if (series.IsGauge)
            {
                series.Sum = value; // the last observation
                return;
            }

            series.Sum += value;
            series.Count++;
            if (series.Buckets is not null)
            {
                var b = Array.FindIndex(s_bounds, x => value <= x);
                if (b >= 0)
                {
                    series.Buckets[b]++;
                }
            }
        }
    }

    private Series CreateSeries(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var text = new StringBuilder();
        foreach (var tag in tags)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(tag.Key.Replace('.', '_')).Append("=\"").Append(Convert.ToString(tag.Value, CultureInfo.InvariantCulture)?.Replace("\"", "'", StringComparison.Ordinal)).Append('"');
        }

        var generic = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : null;
        var histogram = generic == typeof(Histogram<>);
        var gauge = generic == typeof(ObservableGauge<>) || generic == typeof(Gauge<>);
        return _series.GetOrAdd((instrument.Name, text.ToString()), _ => new Series(histogram ? new long[s_bounds.Length] : null) { IsGauge = gauge });
    }

    private static string Labels(string tags, string? le)
    {
        if (le is null)
        {
            return tags.Length == 0 ? string.Empty : "{" + tags + "}";
        }

        return "{" + tags + (tags.Length == 0 ? string.Empty : ",") + "le=\"" + le + "\"}";
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private readonly record struct SeriesKey(Instrument Instrument, object? Tag0, object? Tag1, object? Tag2, int Count);

    private sealed class Series(long[]? buckets)
    {
        public long[]? Buckets { get; } = buckets;

        public bool IsGauge { get; init; }

        public double Sum { get; set; }

        public long Count { get; set; }
    }
}

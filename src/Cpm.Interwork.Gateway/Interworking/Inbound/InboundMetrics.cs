using System.Diagnostics.Metrics;

namespace Cpm.Interwork.Gateway.Interworking.Inbound;

/// <summary>
/// MMS → CPM instruments on the "Cpm.Interwork" meter (rendered by /metrics): SIP delivery attempts by result, finished
/// deliveries by state and MM status, MM4_forward.REQ accepted → final outcome latency, answers (RES, reports) sent.
/// </summary>
public sealed class InboundMetrics
{
    private readonly Counter<long> _attempts;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _answers;

    public InboundMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(new MeterOptions(InterworkMetrics.MeterName));
        _attempts = meter.CreateCounter<long>("cpm_interwork.mms_to_cpm.attempts", "{attempt}", "SIP MESSAGE attempts towards CPM users, by SIP status (or timeout/transport) and kind");
        _deliveries = meter.CreateCounter<long>("cpm_interwork.mms_to_cpm.deliveries", "{delivery}", "deliveries to CPM users finished, by state and X-Mms-MM-Status-Code");
        _latency = meter.CreateHistogram<double>("cpm_interwork.mms_to_cpm.duration", "ms", "MM4_forward.REQ accepted → final delivery outcome",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [5, 10, 20, 50, 100, 200, 500, 1000, 5000, 30000, 300000, 3600000] });
        _answers = meter.CreateCounter<long>("cpm_interwork.mms_to_cpm.answers", "{mail}", "MM4_forward.RES and MM4_delivery_report.REQ mails, by type and result");
    }

    public void Attempt(string result, string kind) =>
        _attempts.Add(1, new KeyValuePair<string, object?>("result", result), new KeyValuePair<string, object?>("kind", kind));

    public void Finished(string state, string mmStatus, TimeSpan sinceAccepted)
    {
        _deliveries.Add(1, new KeyValuePair<string, object?>("state", state), new KeyValuePair<string, object?>("mm_status", mmStatus));
        _latency.Record(sinceAccepted.TotalMilliseconds);
    }

    public void Answer(string type, string result) =>
        _answers.Add(1, new KeyValuePair<string, object?>("mm4.message_type", type), new KeyValuePair<string, object?>("result", result));
}

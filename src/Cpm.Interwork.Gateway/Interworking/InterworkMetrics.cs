using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Cpm.Interwork.Gateway.Interworking;

/// <summary>
/// CPM→MMS instruments on the "Cpm.Interwork" meter: messages by outcome, MESSAGE → final response latency, MM4 forwards
/// sent, MM4_forward.RES received (on time and late), inbound MM4 mails by type.
/// </summary>
public sealed class InterworkMetrics
{
    public const string MeterName = "Cpm.Interwork";

    private readonly Counter<long> _messages;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _forwards;
    private readonly Counter<long> _responses;
    private readonly Counter<long> _inbound;

    public InterworkMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(new MeterOptions(MeterName));
        _messages = meter.CreateCounter<long>("cpm_interwork.cpm_to_mms.messages", "{message}", "CPM MESSAGE requests answered, by outcome (SIP status and class)");
        _latency = meter.CreateHistogram<double>("cpm_interwork.cpm_to_mms.duration", "ms", "MESSAGE received → SIP final response",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 30000] });
        _forwards = meter.CreateCounter<long>("cpm_interwork.mm4.forwards_sent", "{request}", "MM4_forward.REQ accepted by the relay (SMTP 250), by attempt kind");
        _responses = meter.CreateCounter<long>("cpm_interwork.mm4.forward_responses", "{response}", "MM4_forward.RES received, by X-Mms-Request-Status-Code and timeliness");
        meter.CreateObservableGauge("cpm_interwork.cpm_to_mms.waiting", () => (long)(Registry?.Count ?? 0), "{forward}",
            "forwards a SIP transaction is waiting for right now (in memory; back to 0 when idle)");
        _inbound = meter.CreateCounter<long>("cpm_interwork.mm4.inbound", "{mail}", "MM4 mails received on the SMTP server, by message type and handling");
    }

    private static readonly string[] s_classes = ["0xx", "1xx", "2xx", "3xx", "4xx", "5xx", "6xx"];

    /// <summary>Set by the host once the registry exists (the gauge reads its size).</summary>
    public ForwardOutcomeRegistry? Registry { get; set; }

    public void MessageAnswered(int statusCode, TimeSpan elapsed)
    {
        var statusClass = s_classes[Math.Clamp(statusCode / 100, 0, 6)];
        _messages.Add(1, new KeyValuePair<string, object?>("sip.status_code", statusCode), new KeyValuePair<string, object?>("sip.status_class", statusClass));
        _latency.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("sip.status_class", statusClass));
    }

    public void ForwardSent(bool background) => _forwards.Add(1, new KeyValuePair<string, object?>("attempt", background ? "background" : "inline"));

    public void ResponseReceived(string status, bool late) =>
        _responses.Add(1, new KeyValuePair<string, object?>("mm4.status", status), new KeyValuePair<string, object?>("late", late));

    public void Inbound(string messageType, string handling) =>
        _inbound.Add(1, new KeyValuePair<string, object?>("mm4.message_type", messageType), new KeyValuePair<string, object?>("handling", handling));
}

using System.Diagnostics.Metrics;

namespace Cpm.Interwork.Sip.Stack;

/// <summary>
/// SIP counters on the gateway's meter (name <see cref="MeterName"/>):
/// <c>cpm_interwork.sip.requests</c> (tag <c>sip.method</c>) counts requests that opened a transaction or were
/// answered statelessly, retransmissions excluded; <c>cpm_interwork.sip.responses</c> (tags <c>sip.method</c>,
/// <c>sip.status_class</c> = 1xx…6xx) counts responses sent, resends excluded;
/// <c>cpm_interwork.sip.dropped</c> (tag <c>reason</c>) counts input dropped without an answer.
/// </summary>
public sealed class SipMetrics
{
    /// <summary>The meter every Cpm.Interwork component reports on.</summary>
    public const string MeterName = "Cpm.Interwork";

    private static readonly string[] s_classes = ["1xx", "2xx", "3xx", "4xx", "5xx", "6xx"];
    private readonly Counter<long> _requests;
    private readonly Counter<long> _responses;
    private readonly Counter<long> _dropped;

    public SipMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _requests = meter.CreateCounter<long>("cpm_interwork.sip.requests", "{request}", "SIP requests received (retransmissions excluded), by method");
        _responses = meter.CreateCounter<long>("cpm_interwork.sip.responses", "{response}", "SIP responses sent (retransmissions excluded), by method and status class");
        _dropped = meter.CreateCounter<long>("cpm_interwork.sip.dropped", "{message}", "SIP input dropped without an answer, by reason");
    }

    public void RequestReceived(string method) =>
        _requests.Add(1, new KeyValuePair<string, object?>("sip.method", method));

    public void ResponseSent(string method, int statusCode) =>
        _responses.Add(
            1,
            new KeyValuePair<string, object?>("sip.method", method),
            new KeyValuePair<string, object?>("sip.status_class", statusCode is >= 100 and < 700 ? s_classes[(statusCode / 100) - 1] : "other"));

    public void Dropped(string reason) =>
        _dropped.Add(1, new KeyValuePair<string, object?>("reason", reason));
}

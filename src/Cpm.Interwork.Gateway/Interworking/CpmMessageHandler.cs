using System.Diagnostics;
using System.Globalization;
using Cpm.Interwork.Core;
using Cpm.Interwork.Dns.Routing;
using Cpm.Interwork.Mm4;
using Cpm.Interwork.Sip;
using Cpm.Interwork.Sip.Stack;
using Cpm.Interwork.Store;

namespace Cpm.Interwork.Gateway.Interworking;

/// <summary>
/// The CPM→MMS MESSAGE handler: map (core, Table 1) → route every recipient → split per MMSE → persist every forward
/// (before the first send) → send → keep the SIP transaction open until each MM4_forward.RES arrives (or
/// Interwork:ResponseWait ends) → one aggregated SIP answer (core rules). A repeated MESSAGE (same sender and
/// imdn.Message-ID, or same Call-ID and CSeq) finds its stored forwards and is answered with their outcome: no second
/// MM4_forward.REQ.
/// </summary>
public sealed class CpmMessageHandler : ISipMessageHandler
{
    private readonly CpmToMm4Mapper _mapper;
    private readonly Mm4ForwardSplitter _splitter;
    private readonly IMm4Router _router;
    private readonly GatewayStore _store;
    private readonly ForwardSender _sender;
    private readonly ForwardOutcomeRegistry _registry;
    private readonly InterworkOptions _options;
    private readonly InterworkHostOptions _host;
    private readonly TimeProvider _time;
    private readonly InterworkMetrics _metrics;
    private readonly NumberMask _mask;
    private readonly ILogger _logger;
    private readonly string _owner;

    public CpmMessageHandler(CpmToMm4Mapper mapper, Mm4ForwardSplitter splitter, IMm4Router router, GatewayStore store, ForwardSender sender,
        ForwardOutcomeRegistry registry, InterworkSettings settings, TimeProvider time, InterworkMetrics metrics, NumberMask mask, ILogger<CpmMessageHandler> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _mapper = mapper;
        _splitter = splitter;
        _router = router;
        _store = store;
        _sender = sender;
        _registry = registry;
        _options = settings.Interwork;
        _host = settings.Host;
        _time = time;
        _metrics = metrics;
        _metrics.Registry = registry;
        _mask = mask;
        _logger = logger;
        _owner = Environment.MachineName + "/" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "/sip";
    }

    public async ValueTask<SipFinalAnswer> HandleAsync(SipRequest request, SipRequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var started = _time.GetTimestamp();
        var receivedAt = _time.GetUtcNow();
        var deadline = receivedAt + _options.ResponseWait;
        var callId = request.CallId;
        if (_logger.IsEnabled(LogLevel.Information))
        {
            InterworkLog.Received(_logger, callId, _mask.Apply(request.From.Uri.ToString()), _mask.Apply(request.RequestUri)!, context.Transport.ToString(), request.Body.Length);
        }


        var mapped = _mapper.Map(request);
        if (mapped.Failure is { } failure)
        {
            if (_logger.IsEnabled(LogLevel.Information))
            {
                InterworkLog.NotMapped(_logger, callId, failure.Error.ToString(), _mask.Apply(failure.Detail));
            }

            return Finish(failure.ToSipAnswer(_options.WarnAgent), callId, null, null, null, started);
        }

        if (mapped.Forward is not { } forward)
        {
            // An IMDN from a CPM user about a message that came from MMS: the report path (issue 5) is not wired yet.
            if (_logger.IsEnabled(LogLevel.Information))
            {
                InterworkLog.NotMapped(_logger, callId, "ImdnNotSupported", "IMDN → MM4 report not implemented");
            }

            return Finish(new SipAnswer(480, "Temporarily Unavailable") { Warnings = [SipAnswer.FormatWarning(_options.WarnAgent, "IMDN to MM4 report interworking not available yet")] },
                callId, mapped.Notification?.Correlation.ImdnMessageId, null, null, started);
        }

        var imdn = forward.Correlation.ImdnMessageId;
        if (_logger.IsEnabled(LogLevel.Information))
        {
            InterworkLog.Mapped(_logger, callId, imdn, forward.Mm4MessageId, _mask.Apply(forward.Correlation.SenderE164), _mask.Apply(forward.Recipients.Select(r => r.E164)));
        }


        var groupKey = ForwardItems.GroupKey(forward, new SipRequestKeys(callId, request.CSeq.Number));
        var store = _store.Store;
        var existing = await store.FindByGroupAsync(groupKey, cancellationToken).ConfigureAwait(false);
        var generation = 0;
        if (existing.Count > 0)
        {
            if (!existing.All(ForwardItems.IsRetryableFailure))
            {
                if (_logger.IsEnabled(LogLevel.Information))
                {
                    InterworkLog.Duplicate(_logger, callId, imdn, string.Join(",", existing.Select(e => e.Mm4TransactionId)));
                }

                var again = await AwaitOutcomesAsync(existing, deadline, cancellationToken).ConfigureAwait(false);
                return Finish(ForwardOutcomes.Aggregate(again, _options.WarnAgent), callId, imdn, existing[0].Mm4TransactionId, existing[0].Mm4MessageId, started);
            }

            generation = existing.Count; // every earlier try failed transiently (answered 503): this repeat is a new try
        }

        // Route every recipient (static table → ENUM → MX).
        var numbers = forward.Recipients.Select(r => r.E164).Distinct(StringComparer.Ordinal).ToArray();
        var routed = await Task.WhenAll(numbers.Select(n => _router.RouteAsync(n, cancellationToken))).ConfigureAwait(false);
        var domains = new Dictionary<string, string>(StringComparer.Ordinal);
        var relaysByDomain = new Dictionary<string, IReadOnlyList<RelayEndpoint>>(StringComparer.OrdinalIgnoreCase);
        var outcomes = new List<ForwardOutcome>();
        for (var i = 0; i < numbers.Length; i++)
        {
            var route = routed[i];
            if (_logger.IsEnabled(LogLevel.Information))
            {
                InterworkLog.Routed(_logger, callId, imdn, _mask.Apply(numbers[i]), route.Status.ToString(), route.Domain, route.Source.ToString(), string.Join(" ", route.Relays));
            }

            switch (route.Status)
            {
                case RouteStatus.Routed when route.Domain is { } domain:
                    domains[numbers[i]] = domain;
                    relaysByDomain.TryAdd(domain, route.Relays);
                    break;
                case RouteStatus.DnsFailure:
                    outcomes.Add(new ForwardOutcome(ForwardOutcomes.ForTransport(Mm4TransportFailure.DnsUnavailable, [numbers[i]], _options), [numbers[i]]));
                    break;
                default:
                    outcomes.Add(new ForwardOutcome(ForwardOutcomes.ForTransport(Mm4TransportFailure.NoRoute, [numbers[i]], _options), [numbers[i]]));
                    break;
            }
        }

        var split = _splitter.Split(forward, domains);
        if (split.Forwards.Count == 0)
        {
            return Finish(ForwardOutcomes.Aggregate(outcomes, _options.WarnAgent), callId, imdn, null, forward.Mm4MessageId, started);
        }

        // Persist every forward of this MESSAGE in one transaction, claimed by this handler, before the first send.
        var expires = forward.Expiry ?? receivedAt + (_options.DefaultExpiry ?? TimeSpan.FromDays(7));
        var suffix = generation == 0 ? string.Empty : ":" + generation.ToString(CultureInfo.InvariantCulture);
        var items = split.Forwards.Select(o => new NewWorkItem
        {
            Kind = WorkKind.ForwardToMmse,
            Direction = WorkDirection.CpmToMms,
            DedupKey = groupKey + ":" + o.MmseDomain + suffix,
            GroupKey = groupKey,
            SipCallId = callId,
            Sender = forward.Correlation.SenderE164,
            ImdnMessageId = imdn,
            Mm4TransactionId = o.TransactionId,
            Mm4MessageId = forward.Mm4MessageId,
            Recipients = o.Envelope.RcptTo,
            PeerDomain = o.MmseDomain,
            Payload = Mm4Writer.ToBytes(o.Request),
            Envelope = ForwardItems.EncodeEnvelope(o.Envelope),
            ExpiresAt = expires,
            LeaseOwner = _owner,
            LeaseDuration = _host.LeaseDuration,
        }).ToList();
        var inserted = await store.InsertAllAsync(items, CancellationToken.None).ConfigureAwait(false);

        var waits = new List<(WorkItem Item, Task<SipAnswer> Outcome)>();
        foreach (var result in inserted)
        {
            var item = result.Item;
            if (_logger.IsEnabled(LogLevel.Information))
            {
                InterworkLog.Persisted(_logger, callId, imdn, item.Mm4TransactionId, item.Mm4MessageId, item.PeerDomain, _mask.Apply(item.Recipients), item.Id);
            }

            var watch = _registry.Watch(item.Mm4TransactionId!);
            if (result.Created)
            {
                _registry.Remember(item);
                var relays = relaysByDomain.GetValueOrDefault(item.PeerDomain!);
                // The send is not bound to the SIP transaction's token: once persisted, the forward is the gateway's to finish.
                _ = SendInBackground(item, relays, deadline);
            }

            waits.Add((item, watch));
        }

        outcomes.AddRange(await CollectAsync(waits, deadline, cancellationToken).ConfigureAwait(false));
        return Finish(ForwardOutcomes.Aggregate(outcomes, _options.WarnAgent), callId, imdn, inserted[0].Item.Mm4TransactionId, forward.Mm4MessageId, started);
    }

    private async Task SendInBackground(WorkItem item, IReadOnlyList<RelayEndpoint>? relays, DateTimeOffset deadline)
    {
        // The attempt must end while this handler's claim (the lease) still holds, or the worker could send it a second time.
        using var lease = new CancellationTokenSource(_host.LeaseDuration - TimeSpan.FromSeconds(1), _time);
        try
        {
            await _sender.AttemptAsync(item, relays, deadline, background: false, lease.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lease.IsCancellationRequested)
        {
            // Still leased until it runs out; then the worker resumes it with the same Transaction-ID.
        }
#pragma warning disable CA1031 // the worker resumes the forward after its lease; the failure is logged, not lost
        catch (Exception ex)
#pragma warning restore CA1031
        {
            InterworkLog.WorkerFailed(_logger, ex);
        }
    }

    /// <summary>A repeat: the outcome of every stored forward (waiting for those still open, until the deadline).</summary>
    private async Task<List<ForwardOutcome>> AwaitOutcomesAsync(IReadOnlyList<WorkItem> existing, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var waits = new List<(WorkItem, Task<SipAnswer>)>();
        foreach (var item in existing)
        {
            var watch = _registry.Watch(item.Mm4TransactionId!);
            // Re-read after registering: an outcome recorded in between is in the store.
            var fresh = await _store.Store.GetAsync(item.Id, cancellationToken).ConfigureAwait(false) ?? item;
            if (ForwardItems.AnswerOf(fresh, _options) is { } known && fresh.IsTerminal)
            {
                _registry.Forget(item.Mm4TransactionId!);
                waits.Add((fresh, Task.FromResult(known)));
            }
            else
            {
                waits.Add((fresh, watch));
            }
        }

        return await CollectAsync(waits, deadline, cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<ForwardOutcome>> CollectAsync(List<(WorkItem Item, Task<SipAnswer> Outcome)> waits, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var all = Task.WhenAll(waits.Select(w => w.Outcome));
        var remaining = deadline - _time.GetUtcNow();
        if (!all.IsCompleted && remaining > TimeSpan.Zero)
        {
            try
            {
                await all.WaitAsync(remaining, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The wait policy answers for the forwards still open; their late outcome is recorded when the RES comes.
            }
        }

        var outcomes = new List<ForwardOutcome>(waits.Count);
        foreach (var (item, outcome) in waits)
        {
            var numbers = ForwardItems.NumbersOf(item.Recipients);
            if (outcome.IsCompletedSuccessfully)
            {
                outcomes.Add(new ForwardOutcome(outcome.Result, numbers));
            }
            else
            {
                _registry.Forget(item.Mm4TransactionId!);
                outcomes.Add(new ForwardOutcome(ForwardOutcomes.NoResponse(_options), numbers));
            }
        }

        return outcomes;
    }

    private SipFinalAnswer Finish(SipAnswer answer, string callId, string? imdn, string? transactionId, string? messageId, long started)
    {
        var elapsed = _time.GetElapsedTime(started);
        _metrics.MessageAnswered(answer.StatusCode, elapsed);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            InterworkLog.Answered(_logger, callId, imdn, transactionId, messageId, answer.StatusCode, answer.ReasonPhrase, (long)elapsed.TotalMilliseconds);
        }

        return ToFinal(answer);
    }

    internal static SipFinalAnswer ToFinal(SipAnswer answer)
    {
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var warning in answer.Warnings)
        {
            headers.Add(new(SipHeaderNames.Warning, warning));
        }

        if (answer.RetryAfterValue is { } retry)
        {
            headers.Add(new(SipHeaderNames.RetryAfter, retry));
        }

        if (answer.Accept is { } accept)
        {
            headers.Add(new(SipHeaderNames.Accept, accept));
        }

        return new SipFinalAnswer(answer.StatusCode, answer.ReasonPhrase) { Headers = headers };
    }
}

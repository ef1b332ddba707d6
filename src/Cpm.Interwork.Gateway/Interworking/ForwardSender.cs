using System.Net;
using Cpm.Interwork.Core;
using Cpm.Interwork.Dns.Routing;
using Cpm.Interwork.Smtp.Client;
using Cpm.Interwork.Store;

namespace Cpm.Interwork.Gateway.Interworking;

/// <summary>
/// Makes the attempts of one stored forward: SMTP to the routed relays in order (same bytes, same Transaction-ID every
/// time), back-off on 4xx and connection failures until a deadline, and records each result in the store
/// ("sent" = AwaitingResponse right after the relay's 250, so a restart never sends an accepted forward again).
/// </summary>
public sealed class ForwardSender
{
    private readonly GatewayStore _gatewayStore;
    private readonly SmtpClientPool _pool;
    private readonly IMm4Router _router;
    private readonly InterworkOptions _options;
    private readonly InterworkHostOptions _host;
    private readonly ForwardOutcomeRegistry _registry;
    private readonly TimeProvider _time;
    private readonly InterworkMetrics _metrics;
    private readonly NumberMask _mask;
    private readonly ILogger _logger;
    private readonly RetryPolicy _inlineRetry;

    private IMessageStore Store => _gatewayStore.Store;

    private readonly RetryPolicy _backgroundRetry;

    public ForwardSender(GatewayStore store, SmtpClientPool pool, IMm4Router router, InterworkSettings settings, ForwardOutcomeRegistry registry,
        TimeProvider time, InterworkMetrics metrics, NumberMask mask, ILogger<ForwardSender> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(settings);
        _gatewayStore = store;
        _pool = pool;
        _router = router;
        _options = settings.Interwork;
        _host = settings.Host;
        _registry = registry;
        _time = time;
        _metrics = metrics;
        _mask = mask;
        _logger = logger;
        _inlineRetry = new RetryPolicy(_options.SmtpRetry);
        _backgroundRetry = new RetryPolicy(_host.BackgroundRetry);
    }

    /// <summary>
    /// Attempts <paramref name="item"/> (leased by the caller at <c>item.Version</c>). <paramref name="relays"/> when the caller
    /// routed already (null: route again from RCPT TO). <paramref name="background"/>: no SIP transaction waits; transient
    /// failures are retried later by the worker until expiry instead of failing at <paramref name="deadline"/>.
    /// </summary>
    public async Task AttemptAsync(WorkItem item, IReadOnlyList<RelayEndpoint>? relays, DateTimeOffset deadline, bool background, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var envelope = ForwardItems.DecodeEnvelope(item.Envelope);
        var attempts = item.Attempts;
        string lastProblem = "no relay";
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (relays is null || relays.Count == 0)
            {
                var route = await _router.RouteAsync(envelope.Recipients[0], cancellationToken).ConfigureAwait(false);
                if (route.Status == RouteStatus.NotFound)
                {
                    await FinishAsync(item, WorkState.Failed, 404, ForwardItems.NoRoutePrefix + route.Reason, cancellationToken).ConfigureAwait(false);
                    return;
                }

                relays = route.Status == RouteStatus.Routed ? route.Relays : [];
                lastProblem = route.Reason ?? "DNS failure";
            }

            attempts++;
            foreach (var (endpoint, relay) in Endpoints(relays))
            {
                var result = await _pool.SendAsync(endpoint, envelope, item.Payload, cancellationToken).ConfigureAwait(false);
                if (result.IsSuccess)
                {
                    // Logged once "sent" is durable: from here on a restart never sends this forward again.
                    await RecordSentAsync(item, attempts, result, cancellationToken).ConfigureAwait(false);
                    if (_logger.IsEnabled(LogLevel.Information))
                    {
                        InterworkLog.Sent(_logger, item.SipCallId, item.ImdnMessageId, item.Mm4TransactionId, item.Mm4MessageId, relay, attempts, result.FinalReply?.ToString() ?? "250");
                    }

                    _metrics.ForwardSent(background);
                    return;
                }

                InterworkLog.SendFailed(_logger, item.SipCallId, item.ImdnMessageId, item.Mm4TransactionId, item.Mm4MessageId, relay, attempts, _mask.Apply(result.ToString())!);
                if (result.Kind == SmtpSendResultKind.PermanentFailure)
                {
                    var reply = result.Recipients.FirstOrDefault(r => !r.Accepted)?.Reply ?? result.FinalReply;
                    var text = reply is null ? "554 " + result.Error : reply.Code.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + reply.Text;
                    await FinishAsync(item, WorkState.Failed, 0, ForwardItems.SmtpPrefix + text, cancellationToken).ConfigureAwait(false);
                    return;
                }

                lastProblem = result.ToString();
            }

            relays = null; // route again before the next try: a relay may have moved
            var now = _time.GetUtcNow();
            var decision = (background ? _backgroundRetry : _inlineRetry).Next(attempts, now, background ? item.ExpiresAt : deadline);
            if (!decision.Retry)
            {
                if (background && decision.Stop == RetryStop.Expired)
                {
                    await FinishAsync(item, WorkState.Expired, 0, ForwardItems.ExpiredText, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await FinishAsync(item, WorkState.Failed, 503, ForwardItems.TransientPrefix + lastProblem, cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            if (background)
            {
                // The worker comes back at the due time; the lease is released by this update.
                await UpdateAsync(item, i => i with { State = WorkState.Retrying, Attempts = attempts, NextAttemptAt = decision.At, StatusText = ForwardItems.TransientPrefix + lastProblem }, cancellationToken).ConfigureAwait(false);
                return;
            }

            await Task.Delay(decision.Delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static IEnumerable<(SmtpEndpoint Endpoint, string Name)> Endpoints(IReadOnlyList<RelayEndpoint> relays)
    {
        foreach (var relay in relays)
        {
            foreach (var address in relay.Addresses)
            {
                var host = address.ToString();
                yield return (new SmtpEndpoint(host, relay.Port), relay.Host + "[" + host + "]:" + relay.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    private Task<WorkItem?> RecordSentAsync(WorkItem item, int attempts, SmtpSendResult result, CancellationToken cancellationToken)
    {
        // AwaitingResponse until expiry: the worker never resends an accepted forward; it only expires it.
        var until = item.ExpiresAt ?? _time.GetUtcNow() + (_options.DefaultExpiry ?? TimeSpan.FromDays(7));
        return UpdateAsync(item, i => i.IsTerminal ? null : i with
        {
            State = WorkState.AwaitingResponse,
            Attempts = attempts,
            NextAttemptAt = until,
            StatusText = ForwardItems.SentPrefix + (result.FinalReply?.ToString() ?? "250") + RefusalText(result),
        }, cancellationToken);
    }

    /// <summary>Recipients the relay refused while accepting the others (SMTP partial success), as a StatusText suffix.</summary>
    private static string RefusalText(SmtpSendResult result)
    {
        if (result.Kind != SmtpSendResultKind.PartiallySent)
        {
            return string.Empty;
        }

        var refused = result.Recipients.Where(r => !r.Accepted).ToList();
        var reply = refused[0].Reply;
        return ForwardItems.Refusals(ForwardItems.NumbersOf(refused.Select(r => r.Recipient).ToList()), reply.Code, reply.Text);
    }

    /// <summary>Records a definitive failure (or expiry) and wakes the waiting SIP transaction.</summary>
    private async Task FinishAsync(WorkItem item, WorkState state, int sipStatus, string text, CancellationToken cancellationToken)
    {
        var answer = ForwardItems.AnswerOf(item with { State = state, StatusText = text }, _options);
        var code = answer?.StatusCode ?? (sipStatus == 0 ? (int?)null : sipStatus);
        var recorded = await UpdateAsync(item, i => i.IsTerminal ? null : i with { State = state, StatusText = text, StatusCode = code }, cancellationToken).ConfigureAwait(false);
        if (recorded?.Mm4TransactionId is { } tx && answer is not null)
        {
            _registry.Complete(tx, answer);
        }

        if (state == WorkState.Expired)
        {
            InterworkLog.Expired(_logger, item.Mm4TransactionId, item.Mm4MessageId, item.SipCallId);
        }
    }

    /// <summary>Optimistic update; on a conflict the item is re-read and <paramref name="change"/> decides again (null: leave it).</summary>
    private async Task<WorkItem?> UpdateAsync(WorkItem item, Func<WorkItem, WorkItem?> change, CancellationToken cancellationToken)
    {
        var current = item;
        for (var i = 0; i < 5; i++)
        {
            var next = change(current);
            if (next is null)
            {
                return null;
            }

            var result = await Store.UpdateAsync(next, current.Version, cancellationToken).ConfigureAwait(false);
            if (result.Status == UpdateStatus.Updated)
            {
                _registry.Remember(result.Item!);
                return result.Item;
            }

            current = result.Item ?? await Store.GetAsync(item.Id, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return null;
            }
        }

        return null;
    }

    internal static IPAddress? FirstAddress(IReadOnlyList<RelayEndpoint> relays) => relays.SelectMany(r => r.Addresses).FirstOrDefault();
}

using System.Globalization;
using Cpm.Interwork.Core;
using Cpm.Interwork.Mm4;
using Cpm.Interwork.Sip.Stack.Client;
using Cpm.Interwork.Store;

namespace Cpm.Interwork.Gateway.Interworking.Inbound;

/// <summary>
/// Leases the MMS → CPM work from the store and makes one attempt per item: SIP MESSAGE deliveries to CPM users
/// (<see cref="WorkKind.DeliverToCpm"/>), MM4_forward.RES mails (<see cref="WorkKind.SendForwardResponse"/>) and
/// MM4_delivery_report.REQ mails (<see cref="WorkKind.SendDeliveryReport"/>). Every attempt's result is written to the
/// store before the next is due, so a restart resumes where it stopped (an attempt whose result was not recorded is made
/// again: same imdn.Message-ID towards the CPM user, same Transaction-ID towards the MMSE).
/// </summary>
public sealed class InboundWorker : BackgroundService
{
    private static readonly WorkKind[] Kinds = [WorkKind.DeliverToCpm, WorkKind.SendForwardResponse, WorkKind.SendDeliveryReport];
    private readonly GatewayStore _store;
    private readonly ISipClient _sip;
    private readonly Mm4ToCpmMapper _mapper;
    private readonly InboundAnswerSender _answers;
    private readonly InterworkSettings _settings;
    private readonly TimeProvider _time;
    private readonly InboundSignal _signal;
    private readonly InboundMetrics _metrics;
    private readonly ILogger _logger;
    private readonly RetryPolicy _retry;
    private readonly string _owner;
    private readonly TimeSpan _lease;

    public InboundWorker(GatewayStore store, ISipClient sip, Mm4ToCpmMapper mapper, InboundAnswerSender answers, InterworkSettings settings, TimeProvider time, InboundSignal signal, InboundMetrics metrics, ILogger<InboundWorker> logger, SipClientOptions? client = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _store = store;
        _sip = sip;
        _mapper = mapper;
        _answers = answers;
        _settings = settings;
        _time = time;
        _signal = signal;
        _metrics = metrics;
        _logger = logger;
        _retry = new RetryPolicy(settings.Ims?.Retry ?? RetryPolicyOptions.SipDelivery());
        // An attempt may last Timer F plus a TCP connect: the lease must outlast it, or a second worker could send it again.
        var longest = client is null ? TimeSpan.Zero : client.TimerF + client.ConnectTimeout + TimeSpan.FromSeconds(5);
        _lease = settings.Inbound.LeaseDuration > longest ? settings.Inbound.LeaseDuration : longest;
        _owner = Environment.MachineName + "/" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "/inbound";
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                running.RemoveAll(t => t.IsCompleted);
                var room = 256 - running.Count;
                if (room > 0)
                {
                    var leased = await _store.Store.TryLeaseDueAsync(new LeaseRequest(_owner, Math.Min(room, 128), _lease, Kinds), stoppingToken).ConfigureAwait(false);
                    foreach (var item in leased)
                    {
                        running.Add(Task.Run(() => HandleSafeAsync(item, stoppingToken), CancellationToken.None));
                    }

                    if (leased.Count > 0)
                    {
                        continue;
                    }
                }

                await _signal.WaitAsync(_settings.Host.WorkerPollInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // one failed pass (database busy) must not stop the worker; logged and retried
            catch (Exception ex)
#pragma warning restore CA1031
            {
                InboundLog.WorkerFailed(_logger, ex);
                await Task.Delay(TimeSpan.FromMilliseconds(200), _time, stoppingToken).ConfigureAwait(false);
            }
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task HandleSafeAsync(WorkItem item, CancellationToken cancellationToken)
    {
        try
        {
            switch (item.Kind)
            {
                case WorkKind.DeliverToCpm:
                    await DeliverAsync(item, cancellationToken).ConfigureAwait(false);
                    break;
                case WorkKind.SendForwardResponse:
                    await _answers.SendResponseAsync(item, cancellationToken).ConfigureAwait(false);
                    break;
                case WorkKind.SendDeliveryReport:
                    await _answers.SendReportAsync(item, cancellationToken).ConfigureAwait(false);
                    break;
            }

            _signal.Wake(); // follow-ups may be due now
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the lease runs out and the item is attempted again after the restart
        }
#pragma warning disable CA1031 // one broken item must not stop the others; it is retried when its lease runs out
        catch (Exception ex)
#pragma warning restore CA1031
        {
            InboundLog.WorkerFailed(_logger, ex);
        }
    }

    /// <summary>One delivery attempt of one MM to one CPM user, recorded with its follow-ups (report, RES decision).</summary>
    internal async Task DeliverAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var request = InboundItems.Request(item);
        var recipient = InboundItems.Recipient(item);
        var now = _time.GetUtcNow();
        if (request is null || !Mm4Address.TryParse(recipient, out var address))
        {
            var bad = new DeliveryOutcome(DeliveryOutcomeKind.Failed, Mm4RequestStatus.From(RequestStatusCode.ErrorMessageFormatCorrupt), Mm4MmStatus.From(MmStatusCode.Rejected), "stored message unreadable");
            await FinishAsync(item, request, recipient, null, "Failed", WorkState.Failed, bad, item.Attempts, null, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (item.ExpiresAt is { } exp && exp <= now)
        {
            var expired = new DeliveryOutcome(DeliveryOutcomeKind.Failed, Mm4RequestStatus.From(RequestStatusCode.ErrorNetworkProblem), Mm4MmStatus.From(MmStatusCode.Expired), "X-Mms-Expiry passed before delivery");
            await FinishAsync(item, request, recipient, address, "Expired", WorkState.Expired, expired, item.Attempts, null, cancellationToken).ConfigureAwait(false);
            return;
        }

        var mapped = _mapper.Map(request, address, item.ImdnMessageId!);
        if (mapped.Failure is { } failure)
        {
            var mm = failure.Error == Mm4InboundError.RecipientNotE164 ? MmStatusCode.Unrecognised : MmStatusCode.Rejected;
            var refused = new DeliveryOutcome(DeliveryOutcomeKind.Failed, failure.RequestStatus, Mm4MmStatus.From(mm), failure.StatusText);
            await FinishAsync(item, request, recipient, address, "Failed", WorkState.Failed, refused, item.Attempts + 1, null, cancellationToken).ConfigureAwait(false);
            return;
        }

        var message = mapped.Message!;
        var callId = Guid.NewGuid().ToString("N") + "@" + _settings.Interwork.PrimaryDomain;
        var tag = Guid.NewGuid().ToString("N")[..12];
        var result = await _sip.SendAsync(new SipClientRequest(via => message.ToBuilder(callId, tag, 1, via).ToArray()), cancellationToken).ConfigureAwait(false);
        var outcome = DeliveryOutcomes.Classify(result.StatusCode, result.Response?.ReasonPhrase, result.RetryAfter);
        var attempts = item.Attempts + 1;
        _metrics.Attempt(result.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? result.Outcome.ToString(), outcome.Kind.ToString());
        InboundLog.Attempted(_logger, attempts, item.Mm4MessageId ?? string.Empty, item.ImdnMessageId ?? string.Empty, recipient, result.ToString(), outcome.Kind.ToString());
        if (outcome.Kind != DeliveryOutcomeKind.Retry)
        {
            var kind = outcome.Kind == DeliveryOutcomeKind.Failed ? "Failed" : outcome.Kind.ToString();
            await FinishAsync(item, request, recipient, address, kind, outcome.Kind == DeliveryOutcomeKind.Failed ? WorkState.Failed : WorkState.Completed, outcome, attempts, result.StatusCode, cancellationToken).ConfigureAwait(false);
            return;
        }

        now = _time.GetUtcNow();
        var decision = _retry.Next(attempts, now, item.ExpiresAt, outcome.RetryAfter);
        if (!decision.Retry)
        {
            var exhausted = DeliveryOutcomes.Exhausted(outcome);
            var state = decision.Stop == RetryStop.Expired ? WorkState.Expired : WorkState.Failed;
            await FinishAsync(item, request, recipient, address, state == WorkState.Expired ? "Expired" : "Exhausted", state, exhausted, attempts, result.StatusCode, cancellationToken).ConfigureAwait(false);
            return;
        }

        var updated = await _store.Store.UpdateAsync(item with
        {
            State = WorkState.Retrying,
            Attempts = attempts,
            NextAttemptAt = decision.At,
            StatusCode = result.StatusCode,
            StatusText = InboundItems.OutcomeText("Retry", outcome),
        }, item.Version, cancellationToken).ConfigureAwait(false);
        if (updated.Status == UpdateStatus.Updated && attempts == 1)
        {
            await InboundOutcomes.DecideResponsesAsync(_store.Store, item.GroupKey!, now, _logger, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FinishAsync(WorkItem item, Mm4ForwardRequest? request, string recipient, Mm4Address? address, string kind, WorkState state, DeliveryOutcome outcome, int attempts, int? sipStatus, CancellationToken cancellationToken)
    {
        var followUps = new List<NewWorkItem>();
        if (request is { DeliveryReport: true } && address is not null && outcome.MmStatus is { } mmStatus && _answers.DeliveryReportItem(item, request, address, mmStatus, outcome.StatusText) is { } report)
        {
            followUps.Add(report);
        }

        var result = await _store.Store.UpdateWithFollowUpsAsync(item with
        {
            State = state,
            Attempts = attempts,
            StatusCode = sipStatus,
            StatusText = InboundItems.OutcomeText(kind, outcome),
        }, item.Version, followUps, cancellationToken).ConfigureAwait(false);
        if (result.Update.Status != UpdateStatus.Updated)
        {
            return; // someone else moved it on (the lease was lost): their record stands
        }

        _metrics.Finished(state.ToString(), outcome.MmStatus?.Text ?? "-", _time.GetUtcNow() - item.CreatedAt);
        InboundLog.Finished(_logger, item.Mm4MessageId ?? string.Empty, recipient, state.ToString(), outcome.RequestStatus.Text, outcome.MmStatus?.Text ?? "-");
        if (item.GroupKey is { } group && attempts <= 1)
        {
            await InboundOutcomes.DecideResponsesAsync(_store.Store, group, _time.GetUtcNow(), _logger, cancellationToken).ConfigureAwait(false);
        }
    }
}

using System.Globalization;
using Cpm.Interwork.Store;

namespace Cpm.Interwork.Gateway.Interworking;

/// <summary>
/// Leases due forwards from the store: forwards a crashed or restarted gateway left unsent (their lease ran out),
/// background retries, and sent forwards whose expiry passed without a RES (→ Expired). A forward already accepted by a
/// relay (AwaitingResponse) is never sent again. Also runs the store's purge of finished items.
/// </summary>
public sealed class ForwardWorker : BackgroundService
{
    private readonly GatewayStore _store;
    private readonly ForwardSender _sender;
    private readonly InterworkSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _owner;

    public ForwardWorker(GatewayStore store, ForwardSender sender, InterworkSettings settings, TimeProvider time, ILogger<ForwardWorker> logger)
    {
        _store = store;
        _sender = sender;
        _settings = settings;
        _time = time;
        _logger = logger;
        _owner = Environment.MachineName + "/" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "/worker";
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var purge = Cpm.Interwork.Store.StoreMaintenance.RunPurgeLoopAsync(_store.Store, _store.Options, _time, _logger, stoppingToken);
        using var timer = new PeriodicTimer(_settings.Host.WorkerPollInterval, _time);
        try
        {
            do
            {
                try
                {
                    await PassAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
#pragma warning disable CA1031 // one failed pass (database busy) must not stop the worker; logged and retried
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    InterworkLog.WorkerFailed(_logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await purge.ConfigureAwait(false);
    }

    private async Task PassAsync(CancellationToken cancellationToken)
    {
        var leased = await _store.Store.TryLeaseDueAsync(new LeaseRequest(_owner, 64, _settings.Host.LeaseDuration, [WorkKind.ForwardToMmse]), cancellationToken).ConfigureAwait(false);
        if (leased.Count == 0)
        {
            return;
        }

        await Task.WhenAll(leased.Select(item => HandleAsync(item, cancellationToken))).ConfigureAwait(false);
    }

    private async Task HandleAsync(WorkItem item, CancellationToken cancellationToken)
    {
        InterworkLog.Resumed(_logger, item.Mm4TransactionId, item.Mm4MessageId, item.SipCallId, item.State.ToString(), item.Attempts);
        var now = _time.GetUtcNow();
        if (item.State == WorkState.AwaitingResponse || item.ExpiresAt is { } e && e <= now)
        {
            // Sent and unanswered until expiry (or expired before it could be sent): no definitive outcome.
            var result = await _store.Store.UpdateAsync(item with { State = WorkState.Expired, StatusText = ForwardItems.ExpiredText }, item.Version, cancellationToken).ConfigureAwait(false);
            if (result.Status == UpdateStatus.Updated)
            {
                InterworkLog.Expired(_logger, item.Mm4TransactionId, item.Mm4MessageId, item.SipCallId);
            }

            return;
        }

        // Pending (never sent, or sent but the 250 was not recorded before a crash) or Retrying: same bytes, same Transaction-ID.
        using var lease = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lease.CancelAfter(_settings.Host.LeaseDuration - TimeSpan.FromSeconds(1)); // end the attempt while the lease holds
        try
        {
            await _sender.AttemptAsync(item, null, item.ExpiresAt ?? now + TimeSpan.FromDays(7), background: true, lease.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lease.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The lease runs out and the next pass retries it.
        }
    }
}

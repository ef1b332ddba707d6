using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cpm.Interwork.Store;

/// <summary>Retention: the periodic purge the host runs beside the workers.</summary>
public static partial class StoreMaintenance
{
    /// <summary>
    /// Every <see cref="StoreOptions.PurgeInterval"/> (first run one interval after start), deletes
    /// items finished or expired more than <see cref="StoreOptions.Retention"/> ago. A failed purge
    /// is logged and retried at the next tick. Returns when <paramref name="cancellationToken"/> fires.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031:Do not catch general exception types",
        Justification = "One failed purge (database briefly unavailable) must not stop retention; it is logged and retried.")]
    public static async Task RunPurgeLoopAsync(IMessageStore store, StoreOptions options, TimeProvider time, ILogger? logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        logger ??= NullLogger.Instance;
        using var timer = new PeriodicTimer(options.PurgeInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    var deleted = await store.PurgeExpiredAsync(options, time, cancellationToken).ConfigureAwait(false);
                    LogPurged(logger, deleted, options.Retention);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    LogPurgeFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Host shutdown.
        }
    }

    [LoggerMessage(EventId = 9110, Level = LogLevel.Information, Message = "Store purge deleted {Deleted} items finished or expired more than {Retention} ago")]
    private static partial void LogPurged(ILogger logger, int deleted, TimeSpan retention);

    [LoggerMessage(EventId = 9111, Level = LogLevel.Warning, Message = "Store purge failed; retrying at the next interval")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}

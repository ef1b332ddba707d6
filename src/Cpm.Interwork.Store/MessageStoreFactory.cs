using Cpm.Interwork.Store.Postgres;
using Cpm.Interwork.Store.Sqlite;
using Microsoft.Extensions.Logging;

namespace Cpm.Interwork.Store;

/// <summary>Opens the store that <see cref="StoreOptions.Provider"/> names, schema migrated.</summary>
public static class MessageStoreFactory
{
    /// <param name="options">The Store: section; must validate.</param>
    /// <param name="contentRoot">Directory a relative Store:Path is resolved against.</param>
    /// <param name="time">Clock for every stored timestamp and lease decision.</param>
    /// <param name="loggerFactory">Optional logging.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    public static async Task<IMessageStore> OpenAsync(StoreOptions options, string contentRoot, TimeProvider time, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid store configuration: " + string.Join("; ", errors), nameof(options));
        }

        var logger = loggerFactory?.CreateLogger("Cpm.Interwork.Store");
        return options.IsPostgres
            ? await PostgresMessageStore.OpenAsync(options, time, logger, cancellationToken).ConfigureAwait(false)
            : await SqliteMessageStore.OpenAsync(options, contentRoot, time, logger, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes what <see cref="StoreOptions.Retention"/> no longer keeps: finished or expired before now − Retention.</summary>
    public static Task<int> PurgeExpiredAsync(this IMessageStore store, StoreOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        return store.PurgeAsync(time.GetUtcNow() - options.Retention, cancellationToken);
    }
}

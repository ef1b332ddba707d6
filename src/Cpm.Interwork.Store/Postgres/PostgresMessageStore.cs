using System.Data.Common;
using System.Diagnostics;
using Cpm.Interwork.Store.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Cpm.Interwork.Store.Postgres;

/// <summary>
/// Shared store on PostgreSQL: several gateway instances may use one database. Each operation is
/// one statement in its own transaction (PostgreSQL commits are durable with its default
/// synchronous_commit = on); leases use FOR UPDATE SKIP LOCKED so concurrent workers never claim the
/// same row.
/// </summary>
public sealed partial class PostgresMessageStore : IMessageStore
{
    private const string SelectAll = "SELECT " + WorkItemColumns.All + " FROM work_items ";

    private const string InsertSql =
        "INSERT INTO work_items (" + WorkItemColumns.InsertColumns + ") VALUES (" + WorkItemColumns.InsertValues + ") "
        + "ON CONFLICT (dedup_key) DO NOTHING RETURNING " + WorkItemColumns.All;

    // The claim is a locking CTE (always materialised, so LIMIT holds; an IN (subquery) may be
    // re-evaluated and claim more rows than asked). SKIP LOCKED lets concurrent workers pass over
    // each other's rows; the outer WHERE re-checks the row after the lock was taken.
    private const string LeaseSql =
        "WITH due AS (SELECT id FROM work_items WHERE state IN " + WorkItemColumns.ActiveStates
        + " AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until <= @now) "
        + "AND (@kinds = 0 OR ((@kinds >> kind) & 1) = 1) ORDER BY next_attempt_at, id LIMIT @max "
        + "FOR UPDATE SKIP LOCKED) "
        + "UPDATE work_items w SET lease_owner = @owner, lease_until = @until, version = w.version + 1 FROM due "
        + "WHERE w.id = due.id AND w.state IN " + WorkItemColumns.ActiveStates + " AND (w.lease_until IS NULL OR w.lease_until <= @now) "
        + "RETURNING " + Qualified;

    private const string Qualified =
        "w.id, w.kind, w.direction, w.dedup_key, w.group_key, w.parent_id, w.state, w.sip_call_id, w.sender, w.imdn_message_id, "
        + "w.mm4_transaction_id, w.mm4_message_id, w.recipients, w.peer_domain, w.payload, w.envelope, w.attempts, w.created_at, "
        + "w.updated_at, w.next_attempt_at, w.expires_at, w.completed_at, w.lease_owner, w.lease_until, w.status_code, w.status_text, w.version";

    private const string UpdateSql =
        "UPDATE work_items SET state = @state, attempts = @attempts, next_attempt_at = @next_attempt_at, "
        + "expires_at = @expires_at, status_code = @status_code, status_text = @status_text, "
        + "completed_at = CASE WHEN @terminal THEN COALESCE(completed_at, @now) ELSE NULL END, "
        + "lease_owner = NULL, lease_until = NULL, updated_at = @now, version = version + 1 "
        + "WHERE id = @id AND version = @expected AND ((@from_states >> state) & 1) = 1 "
        + "RETURNING " + WorkItemColumns.All;

    private const string PurgeSql =
        "DELETE FROM work_items WHERE id IN (SELECT id FROM work_items WHERE " + WorkItemColumns.PurgeCondition
        + " LIMIT @chunk)";

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private int _disposed;

    private PostgresMessageStore(NpgsqlDataSource dataSource, TimeProvider time)
    {
        _dataSource = dataSource;
        _time = time;
    }

    public string Provider => StoreOptions.PostgresProvider;

    /// <summary>Connects, and creates or migrates the schema (under an advisory lock).</summary>
    public static async Task<PostgresMessageStore> OpenAsync(StoreOptions options, TimeProvider time, ILogger? logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        logger ??= NullLogger.Instance;
        var dataSource = NpgsqlDataSource.Create(options.ConnectionString!);
        try
        {
            await MigrateAsync(dataSource, time, logger, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new PostgresMessageStore(dataSource, time);
    }

    public Task<InsertResult> InsertAsync(NewWorkItem item, CancellationToken cancellationToken)
    {
        WorkItemColumns.Validate(item);
        return InsertCoreAsync(null, item, cancellationToken);
    }

    public async Task<IReadOnlyList<InsertResult>> InsertAllAsync(IReadOnlyList<NewWorkItem> items, CancellationToken cancellationToken)
    {
        WorkItemColumns.Validate(items);
        return await InTransactionAsync(connection => InsertAllCoreAsync(connection, items, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<UpdateWithFollowUpsResult> UpdateWithFollowUpsAsync(WorkItem item, long expectedVersion, IReadOnlyList<NewWorkItem> followUps, CancellationToken cancellationToken)
    {
        WorkItemColumns.Validate(item);
        WorkItemColumns.Validate(followUps);
        return await InTransactionAsync(
            async connection =>
            {
                var update = await UpdateCoreAsync(connection, item, expectedVersion, cancellationToken).ConfigureAwait(false);
                var inserted = update.Succeeded ? await InsertAllCoreAsync(connection, followUps, cancellationToken).ConfigureAwait(false) : [];
                return new UpdateWithFollowUpsResult(update, inserted);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<WorkItem?> GetAsync(long id, CancellationToken cancellationToken) =>
        (await QueryAsync(SelectAll + "WHERE id = @id", c => Bind(c, "id", id), cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    public async Task<WorkItem?> FindByDedupKeyAsync(string dedupKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dedupKey);
        return (await QueryAsync(SelectAll + "WHERE dedup_key = @key", c => Bind(c, "key", dedupKey), cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    public async Task<WorkItem?> FindByTransactionIdAsync(WorkKind kind, string transactionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transactionId);
        var items = await QueryAsync(
            SelectAll + "WHERE mm4_transaction_id = @tid AND kind = @kind ORDER BY id DESC LIMIT 1",
            c =>
            {
                Bind(c, "tid", transactionId);
                Bind(c, "kind", (short)kind);
            },
            cancellationToken).ConfigureAwait(false);
        return items.FirstOrDefault();
    }

    public async Task<IReadOnlyList<WorkItem>> FindByMm4MessageIdAsync(string mm4MessageId, string? recipient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mm4MessageId);
        var items = await QueryAsync(SelectAll + "WHERE mm4_message_id = @mid ORDER BY id", c => Bind(c, "mid", mm4MessageId), cancellationToken).ConfigureAwait(false);
        return items.Where(i => WorkItemColumns.ListsRecipient(i, recipient)).ToList();
    }

    public async Task<IReadOnlyList<WorkItem>> FindByImdnMessageIdAsync(string imdnMessageId, string? sender, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(imdnMessageId);
        var items = await QueryAsync(SelectAll + "WHERE imdn_message_id = @iid ORDER BY id", c => Bind(c, "iid", imdnMessageId), cancellationToken).ConfigureAwait(false);
        return sender is null ? items : items.Where(i => string.Equals(i.Sender, sender, StringComparison.OrdinalIgnoreCase)).ToList();
    }

    public async Task<IReadOnlyList<WorkItem>> FindByGroupAsync(string groupKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(groupKey);
        return await QueryAsync(SelectAll + "WHERE group_key = @g ORDER BY id", c => Bind(c, "g", groupKey), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<WorkItem>> FindBySipCallIdAsync(string callId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callId);
        return await QueryAsync(SelectAll + "WHERE sip_call_id = @c ORDER BY id", c => Bind(c, "c", callId), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<WorkItem>> TryLeaseDueAsync(LeaseRequest request, CancellationToken cancellationToken)
    {
        WorkItemColumns.Validate(request);
        var now = StoreClock.Now(_time);
        var items = await QueryAsync(
            LeaseSql,
            c =>
            {
                Bind(c, "owner", request.Owner);
                Bind(c, "until", StoreClock.Truncate(now + request.Duration));
                Bind(c, "now", now);
                Bind(c, "kinds", WorkItemColumns.KindMask(request.Kinds));
                Bind(c, "max", request.MaxItems);
            },
            cancellationToken).ConfigureAwait(false);
        return WorkItemColumns.OrderDue(items);
    }

    public Task<UpdateResult> UpdateAsync(WorkItem item, long expectedVersion, CancellationToken cancellationToken)
    {
        WorkItemColumns.Validate(item);
        return UpdateCoreAsync(null, item, expectedVersion, cancellationToken);
    }

    public async Task<int> PurgeAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var command = _dataSource.CreateCommand(PurgeSql);
            int deleted;
            await using (command.ConfigureAwait(false))
            {
                Bind(command, "cutoff", StoreClock.Truncate(olderThan));
                Bind(command, "chunk", WorkItemColumns.PurgeChunk);
                deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            total += deleted;
            if (deleted < WorkItemColumns.PurgeChunk)
            {
                return total;
            }
        }
    }

    public async Task<IReadOnlyDictionary<WorkState, long>> CountByStateAsync(CancellationToken cancellationToken)
    {
        var counts = new Dictionary<WorkState, long>();
        var command = _dataSource.CreateCommand("SELECT state, COUNT(*) FROM work_items GROUP BY state");
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    counts[(WorkState)reader.GetInt16(0)] = reader.GetInt64(1);
                }
            }
        }

        return counts;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031:Do not catch general exception types",
        Justification = "A health probe reports any failure as unhealthy instead of throwing.")]
    public async Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var command = _dataSource.CreateCommand(PostgresSchema.ReadVersion);
            await using (command.ConfigureAwait(false))
            {
                await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }

            return new StoreHealth(true, "PostgreSQL: answers", Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return new StoreHealth(false, "PostgreSQL: " + ex.Message, Stopwatch.GetElapsedTime(started));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task MigrateAsync(NpgsqlDataSource dataSource, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await ExecuteAsync(connection, PostgresSchema.Lock, c => Bind(c, "key", PostgresSchema.MigrationLockKey), cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, PostgresSchema.CreateVersionTable, null, cancellationToken).ConfigureAwait(false);
                var command = new NpgsqlCommand(PostgresSchema.ReadVersion, connection);
                int current;
                await using (command.ConfigureAwait(false))
                {
                    current = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                }

                var target = PostgresSchema.Migrations.Length;
                if (current > target)
                {
                    throw new InvalidOperationException($"The PostgreSQL store has schema version {current}; this gateway knows up to {target}.");
                }

                for (var version = current + 1; version <= target; version++)
                {
                    await ExecuteAsync(connection, PostgresSchema.Migrations[version - 1], null, cancellationToken).ConfigureAwait(false);
                    var v = version;
                    await ExecuteAsync(
                        connection,
                        PostgresSchema.RecordVersion,
                        c =>
                        {
                            Bind(c, "version", v);
                            Bind(c, "now", StoreClock.Now(time));
                        },
                        cancellationToken).ConfigureAwait(false);
                    LogMigrated(logger, version);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<IReadOnlyList<InsertResult>> InsertAllCoreAsync(NpgsqlConnection connection, IReadOnlyList<NewWorkItem> items, CancellationToken cancellationToken)
    {
        var results = new InsertResult[items.Count];
        foreach (var index in WorkItemColumns.KeyOrder(items))
        {
            results[index] = await InsertCoreAsync(connection, items[index], cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    private async Task<InsertResult> InsertCoreAsync(NpgsqlConnection? connection, NewWorkItem item, CancellationToken cancellationToken)
    {
        var now = StoreClock.Now(_time);
        var created = await QueryAsync(
            connection,
            InsertSql,
            c =>
            {
                Bind(c, "kind", (short)item.Kind);
                Bind(c, "direction", (short)item.Direction);
                Bind(c, "dedup_key", item.DedupKey);
                Bind(c, "group_key", item.GroupKey);
                Bind(c, "parent_id", item.ParentId);
                Bind(c, "state", (short)item.State);
                Bind(c, "sip_call_id", item.SipCallId);
                Bind(c, "sender", item.Sender);
                Bind(c, "imdn_message_id", item.ImdnMessageId);
                Bind(c, "mm4_transaction_id", item.Mm4TransactionId);
                Bind(c, "mm4_message_id", item.Mm4MessageId);
                Bind(c, "recipients", WorkItemColumns.JoinRecipients(item.Recipients));
                Bind(c, "peer_domain", item.PeerDomain);
                Bind(c, "payload", WorkItemColumns.ToArray(item.Payload));
                Bind(c, "envelope", WorkItemColumns.ToArray(item.Envelope));
                Bind(c, "now", now);
                Bind(c, "next_attempt_at", StoreClock.Truncate(item.NextAttemptAt ?? now));
                Bind(c, "expires_at", Truncate(item.ExpiresAt));
                Bind(c, "completed_at", item.State.IsTerminal() ? now : null);
                Bind(c, "lease_owner", item.LeaseOwner);
                Bind(c, "lease_until", item.LeaseDuration is { } claim ? StoreClock.Truncate(now + claim) : null);
            },
            cancellationToken).ConfigureAwait(false);
        if (created.Count == 1)
        {
            return new InsertResult(created[0], true);
        }

        // The conflicting row is committed: ON CONFLICT waited for its transaction, and this
        // SELECT runs with a fresh snapshot.
        var existing = (await QueryAsync(connection, SelectAll + "WHERE dedup_key = @key", c => Bind(c, "key", item.DedupKey), cancellationToken).ConfigureAwait(false)).FirstOrDefault()
            ?? throw new InvalidOperationException($"Dedup key '{item.DedupKey}' conflicted but its row is gone (purged concurrently).");
        return new InsertResult(existing, false);
    }

    private async Task<UpdateResult> UpdateCoreAsync(NpgsqlConnection? connection, WorkItem item, long expectedVersion, CancellationToken cancellationToken)
    {
        var now = StoreClock.Now(_time);
        var updated = await QueryAsync(
            connection,
            UpdateSql,
            c =>
            {
                Bind(c, "state", (short)item.State);
                Bind(c, "attempts", item.Attempts);
                Bind(c, "next_attempt_at", StoreClock.Truncate(item.NextAttemptAt));
                Bind(c, "expires_at", Truncate(item.ExpiresAt));
                Bind(c, "status_code", item.StatusCode);
                Bind(c, "status_text", item.StatusText);
                Bind(c, "terminal", item.State.IsTerminal());
                Bind(c, "now", now);
                Bind(c, "id", item.Id);
                Bind(c, "expected", expectedVersion);
                Bind(c, "from_states", WorkItemColumns.FromStateMask(item.State));
            },
            cancellationToken).ConfigureAwait(false);
        if (updated.Count == 1)
        {
            return new UpdateResult(UpdateStatus.Updated, updated[0]);
        }

        var current = await QueryAsync(connection, SelectAll + "WHERE id = @id", c => Bind(c, "id", item.Id), cancellationToken).ConfigureAwait(false);
        return UpdateOutcome.Classify(current.FirstOrDefault(), expectedVersion);
    }

    private async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var result = await work(connection).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
    }

    private Task<List<WorkItem>> QueryAsync(string sql, Action<NpgsqlCommand> bind, CancellationToken cancellationToken) =>
        QueryAsync(null, sql, bind, cancellationToken);

    /// <summary>Runs a row-returning statement on <paramref name="connection"/> (inside its transaction), or on its own pooled connection when null.</summary>
    private async Task<List<WorkItem>> QueryAsync(NpgsqlConnection? connection, string sql, Action<NpgsqlCommand> bind, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var items = new List<WorkItem>();
        var command = connection is null ? _dataSource.CreateCommand(sql) : new NpgsqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            bind(command);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    items.Add(WorkItemColumns.Read(reader, ReadTime));
                }
            }
        }

        return items;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, Action<NpgsqlCommand>? bind, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            bind?.Invoke(command);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        new(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));

    private static DateTimeOffset? Truncate(DateTimeOffset? t) => t is { } value ? StoreClock.Truncate(value) : null;

    private static void Bind(NpgsqlCommand command, string name, object? value) =>
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Information, Message = "PostgreSQL store migrated to schema version {Version}")]
    private static partial void LogMigrated(ILogger logger, int version);
}

using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Cpm.Interwork.Store.Internal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cpm.Interwork.Store.Sqlite;

/// <summary>
/// Embedded store: one SQLite file in WAL mode, all writes through a group-commit writer thread,
/// reads on pooled connections (WAL lets them run beside the writer).
/// </summary>
public sealed partial class SqliteMessageStore : IMessageStore
{
    private const string SelectAll = "SELECT " + WorkItemColumns.All + " FROM work_items ";

    private const string InsertSql =
        "INSERT INTO work_items (" + WorkItemColumns.InsertColumns + ") VALUES (" + WorkItemColumns.InsertValues + ") "
        + "ON CONFLICT (dedup_key) DO NOTHING RETURNING " + WorkItemColumns.All;

    private const string LeaseSql =
        "UPDATE work_items SET lease_owner = @owner, lease_until = @until, version = version + 1 "
        + "WHERE id IN (SELECT id FROM work_items WHERE state IN " + WorkItemColumns.ActiveStates
        + " AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until <= @now) "
        + "AND (@kinds = 0 OR ((@kinds >> kind) & 1) = 1) ORDER BY next_attempt_at, id LIMIT @max) "
        + "RETURNING " + WorkItemColumns.All;

    private const string UpdateSql =
        "UPDATE work_items SET state = @state, attempts = @attempts, next_attempt_at = @next_attempt_at, "
        + "expires_at = @expires_at, status_code = @status_code, status_text = @status_text, "
        + "completed_at = CASE WHEN @terminal = 1 THEN COALESCE(completed_at, @now) ELSE NULL END, "
        + "lease_owner = NULL, lease_until = NULL, updated_at = @now, version = version + 1 "
        + "WHERE id = @id AND version = @expected AND ((@from_states >> state) & 1) = 1 "
        + "RETURNING " + WorkItemColumns.All;

    private const string PurgeSql =
        "DELETE FROM work_items WHERE id IN (SELECT id FROM work_items WHERE " + WorkItemColumns.PurgeCondition
        + " LIMIT @chunk)";

    private readonly SqliteGroupCommitWriter _writer;
    private readonly SqliteConnection _writerConnection;
    private readonly string _readConnectionString;
    private readonly TimeProvider _time;
    private int _disposed;

    private SqliteMessageStore(SqliteConnection writerConnection, SqliteGroupCommitWriter writer, string readConnectionString, TimeProvider time, string path)
    {
        _writerConnection = writerConnection;
        _writer = writer;
        _readConnectionString = readConnectionString;
        _time = time;
        FilePath = path;
    }

    public string Provider => StoreOptions.SqliteProvider;

    /// <summary>Absolute path of the database file.</summary>
    public string FilePath { get; }

    /// <summary>Write transactions committed so far (each covers one or more operations).</summary>
    internal long CommittedBatches => _writer.Batches;

    /// <summary>Write operations committed so far.</summary>
    internal long CommittedOperations => _writer.Operations;

    /// <summary>The writer connection's journal_mode, synchronous (0 OFF, 1 NORMAL, 2 FULL) and busy_timeout (ms), as SQLite reports them.</summary>
    internal Task<(string JournalMode, long Synchronous, long BusyTimeoutMs)> ReadWriterSettingsAsync(CancellationToken cancellationToken) =>
        _writer.ExecuteAsync(
            w => (
                Convert.ToString(w.Command("PRAGMA journal_mode").ExecuteScalar(), CultureInfo.InvariantCulture) ?? "",
                Convert.ToInt64(w.Command("PRAGMA synchronous").ExecuteScalar(), CultureInfo.InvariantCulture),
                Convert.ToInt64(w.Command("PRAGMA busy_timeout").ExecuteScalar(), CultureInfo.InvariantCulture)),
            cancellationToken);

    /// <summary>Opens (creating if needed) the database file and brings its schema to the current version.</summary>
    public static async Task<SqliteMessageStore> OpenAsync(StoreOptions options, string contentRoot, TimeProvider time, ILogger? logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        logger ??= NullLogger.Instance;
        var path = options.ResolveSqlitePath(contentRoot);
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var timeoutSeconds = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds);
        var writerConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = timeoutSeconds,
        }.ToString();
        var readConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = true,
            DefaultTimeout = timeoutSeconds,
        }.ToString();

        var connection = new SqliteConnection(writerConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var synchronous = string.Equals(options.Synchronous, "Normal", StringComparison.OrdinalIgnoreCase) ? "NORMAL" : "FULL";
            var busyMs = ((long)options.BusyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            await ExecuteAsync(connection, "PRAGMA busy_timeout = " + busyMs, cancellationToken).ConfigureAwait(false);
            var mode = await ScalarAsync(connection, "PRAGMA journal_mode = WAL", cancellationToken).ConfigureAwait(false);
            if (!string.Equals(Convert.ToString(mode, CultureInfo.InvariantCulture), "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite refused WAL journal mode for '{path}' (got '{mode}').");
            }

            await ExecuteAsync(connection, "PRAGMA synchronous = " + synchronous, cancellationToken).ConfigureAwait(false);
            await MigrateAsync(connection, time, logger, path, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var writer = new SqliteGroupCommitWriter(connection, options.MaxBatchSize, options.WriteQueueCapacity, logger);
        LogOpened(logger, path, synchronous: options.Synchronous, options.MaxBatchSize);
        return new SqliteMessageStore(connection, writer, readConnectionString, time, path);
    }

    public Task<InsertResult> InsertAsync(NewWorkItem item, CancellationToken cancellationToken)
    {
        WorkItemColumns.Validate(item);
        return _writer.ExecuteAsync(w => Insert(w, item), cancellationToken);
    }

    public Task<IReadOnlyList<InsertResult>> InsertAllAsync(IReadOnlyList<NewWorkItem> items, CancellationToken cancellationToken)
    {
        WorkItemColumns.Validate(items);
        return _writer.ExecuteAsync<IReadOnlyList<InsertResult>>(w => InsertAll(w, items), cancellationToken);
    }

    public Task<UpdateWithFollowUpsResult> UpdateWithFollowUpsAsync(WorkItem item, long expectedVersion, IReadOnlyList<NewWorkItem> followUps, CancellationToken cancellationToken)
    {
        WorkItemColumns.Validate(item);
        WorkItemColumns.Validate(followUps);
        return _writer.ExecuteAsync(
            w =>
            {
                var update = Update(w, item, expectedVersion);
                return new UpdateWithFollowUpsResult(update, update.Succeeded ? InsertAll(w, followUps) : []);
            },
            cancellationToken);
    }

    public async Task<WorkItem?> GetAsync(long id, CancellationToken cancellationToken) =>
        (await QueryAsync(SelectAll + "WHERE id = @id", c => Bind(c, "@id", id), cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    public async Task<WorkItem?> FindByDedupKeyAsync(string dedupKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dedupKey);
        return (await QueryAsync(SelectAll + "WHERE dedup_key = @key", c => Bind(c, "@key", dedupKey), cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    public async Task<WorkItem?> FindByTransactionIdAsync(WorkKind kind, string transactionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transactionId);
        var items = await QueryAsync(
            SelectAll + "WHERE mm4_transaction_id = @tid AND kind = @kind ORDER BY id DESC LIMIT 1",
            c =>
            {
                Bind(c, "@tid", transactionId);
                Bind(c, "@kind", (int)kind);
            },
            cancellationToken).ConfigureAwait(false);
        return items.FirstOrDefault();
    }

    public async Task<IReadOnlyList<WorkItem>> FindByMm4MessageIdAsync(string mm4MessageId, string? recipient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mm4MessageId);
        var items = await QueryAsync(SelectAll + "WHERE mm4_message_id = @mid ORDER BY id", c => Bind(c, "@mid", mm4MessageId), cancellationToken).ConfigureAwait(false);
        return items.Where(i => WorkItemColumns.ListsRecipient(i, recipient)).ToList();
    }

    public async Task<IReadOnlyList<WorkItem>> FindByImdnMessageIdAsync(string imdnMessageId, string? sender, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(imdnMessageId);
        var items = await QueryAsync(SelectAll + "WHERE imdn_message_id = @iid ORDER BY id", c => Bind(c, "@iid", imdnMessageId), cancellationToken).ConfigureAwait(false);
        return sender is null ? items : items.Where(i => string.Equals(i.Sender, sender, StringComparison.OrdinalIgnoreCase)).ToList();
    }

    public async Task<IReadOnlyList<WorkItem>> FindByGroupAsync(string groupKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(groupKey);
        return await QueryAsync(SelectAll + "WHERE group_key = @g ORDER BY id", c => Bind(c, "@g", groupKey), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<WorkItem>> FindBySipCallIdAsync(string callId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callId);
        return await QueryAsync(SelectAll + "WHERE sip_call_id = @c ORDER BY id", c => Bind(c, "@c", callId), cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<WorkItem>> TryLeaseDueAsync(LeaseRequest request, CancellationToken cancellationToken)
    {
        WorkItemColumns.Validate(request);
        return _writer.ExecuteAsync<IReadOnlyList<WorkItem>>(w => Lease(w, request), cancellationToken);
    }

    public Task<UpdateResult> UpdateAsync(WorkItem item, long expectedVersion, CancellationToken cancellationToken)
    {
        WorkItemColumns.Validate(item);
        return _writer.ExecuteAsync(w => Update(w, item, expectedVersion), cancellationToken);
    }

    public async Task<int> PurgeAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        var cutoff = StoreClock.ToUnixMicroseconds(olderThan);
        var total = 0;
        while (true)
        {
            var deleted = await _writer.ExecuteAsync(
                w =>
                {
                    var command = w.Command(PurgeSql);
                    Bind(command, "@cutoff", cutoff);
                    Bind(command, "@chunk", WorkItemColumns.PurgeChunk);
                    return command.ExecuteNonQuery();
                },
                cancellationToken).ConfigureAwait(false);
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
        var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = "SELECT state, COUNT(*) FROM work_items GROUP BY state";
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        counts[(WorkState)reader.GetInt32(0)] = reader.GetInt64(1);
                    }
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
            await _writer.ExecuteAsync(w => w.Command("SELECT 1").ExecuteScalar(), cancellationToken).ConfigureAwait(false);
            var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await ScalarAsync(connection, SqliteSchema.ReadVersion, cancellationToken).ConfigureAwait(false);
            }

            return new StoreHealth(true, "SQLite " + FilePath + ": writer and reader answer", Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return new StoreHealth(false, "SQLite " + FilePath + ": " + ex.Message, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>
    /// Writes a consistent copy of the database to <paramref name="destinationPath"/> (VACUUM INTO,
    /// on a reader connection: the writer keeps committing meanwhile). The file must not exist.
    /// </summary>
    public async Task BackupToAsync(string destinationPath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(destinationPath);
        var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = "VACUUM INTO @destination";
                Bind(command, "@destination", Path.GetFullPath(destinationPath));
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _writer.DisposeAsync().ConfigureAwait(false);
        await _writerConnection.DisposeAsync().ConfigureAwait(false);
        using var pooled = new SqliteConnection(_readConnectionString);
        SqliteConnection.ClearPool(pooled);
    }

    private static async Task MigrateAsync(SqliteConnection connection, TimeProvider time, ILogger logger, string path, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, "BEGIN IMMEDIATE", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, SqliteSchema.CreateVersionTable, cancellationToken).ConfigureAwait(false);
            var current = Convert.ToInt32(await ScalarAsync(connection, SqliteSchema.ReadVersion, cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            var target = SqliteSchema.Migrations.Length;
            if (current > target)
            {
                throw new InvalidOperationException($"The store '{path}' has schema version {current}; this gateway knows up to {target}.");
            }

            for (var version = current + 1; version <= target; version++)
            {
                await ExecuteAsync(connection, SqliteSchema.Migrations[version - 1], cancellationToken).ConfigureAwait(false);
                var record = connection.CreateCommand();
                await using (record.ConfigureAwait(false))
                {
                    record.CommandText = SqliteSchema.RecordVersion;
                    Bind(record, "@version", version);
                    Bind(record, "@now", StoreClock.ToUnixMicroseconds(time.GetUtcNow()));
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                LogMigrated(logger, path, version);
            }

            await ExecuteAsync(connection, "COMMIT", cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await ExecuteAsync(connection, "ROLLBACK", CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private InsertResult Insert(SqliteGroupCommitWriter writer, NewWorkItem item)
    {
        var now = StoreClock.Now(_time);
        var command = writer.Command(InsertSql);
        Bind(command, "@kind", (int)item.Kind);
        Bind(command, "@direction", (int)item.Direction);
        Bind(command, "@dedup_key", item.DedupKey);
        Bind(command, "@group_key", item.GroupKey);
        Bind(command, "@parent_id", item.ParentId);
        Bind(command, "@state", (int)item.State);
        Bind(command, "@sip_call_id", item.SipCallId);
        Bind(command, "@sender", item.Sender);
        Bind(command, "@imdn_message_id", item.ImdnMessageId);
        Bind(command, "@mm4_transaction_id", item.Mm4TransactionId);
        Bind(command, "@mm4_message_id", item.Mm4MessageId);
        Bind(command, "@recipients", WorkItemColumns.JoinRecipients(item.Recipients));
        Bind(command, "@peer_domain", item.PeerDomain);
        Bind(command, "@payload", WorkItemColumns.ToArray(item.Payload));
        Bind(command, "@envelope", WorkItemColumns.ToArray(item.Envelope));
        Bind(command, "@now", StoreClock.ToUnixMicroseconds(now));
        Bind(command, "@next_attempt_at", StoreClock.ToUnixMicroseconds(item.NextAttemptAt ?? now));
        Bind(command, "@expires_at", Micros(item.ExpiresAt));
        Bind(command, "@completed_at", item.State.IsTerminal() ? StoreClock.ToUnixMicroseconds(now) : null);
        Bind(command, "@lease_owner", item.LeaseOwner);
        Bind(command, "@lease_until", item.LeaseDuration is { } claim ? StoreClock.ToUnixMicroseconds(now + claim) : null);
        var created = ReadAll(command);
        if (created.Count == 1)
        {
            return new InsertResult(created[0], true);
        }

        var select = writer.Command(SelectAll + "WHERE dedup_key = @key");
        Bind(select, "@key", item.DedupKey);
        return new InsertResult(ReadAll(select)[0], false);
    }

    private InsertResult[] InsertAll(SqliteGroupCommitWriter writer, IReadOnlyList<NewWorkItem> items)
    {
        // Same order as PostgreSQL (dedup-key order), so ids within one batch are assigned alike.
        var results = new InsertResult[items.Count];
        foreach (var index in WorkItemColumns.KeyOrder(items))
        {
            results[index] = Insert(writer, items[index]);
        }

        return results;
    }

    private List<WorkItem> Lease(SqliteGroupCommitWriter writer, LeaseRequest request)
    {
        var now = StoreClock.Now(_time);
        var command = writer.Command(LeaseSql);
        Bind(command, "@owner", request.Owner);
        Bind(command, "@until", StoreClock.ToUnixMicroseconds(now + request.Duration));
        Bind(command, "@now", StoreClock.ToUnixMicroseconds(now));
        Bind(command, "@kinds", WorkItemColumns.KindMask(request.Kinds));
        Bind(command, "@max", request.MaxItems);
        return WorkItemColumns.OrderDue(ReadAll(command));
    }

    private UpdateResult Update(SqliteGroupCommitWriter writer, WorkItem item, long expectedVersion)
    {
        var now = StoreClock.Now(_time);
        var command = writer.Command(UpdateSql);
        Bind(command, "@state", (int)item.State);
        Bind(command, "@attempts", item.Attempts);
        Bind(command, "@next_attempt_at", StoreClock.ToUnixMicroseconds(item.NextAttemptAt));
        Bind(command, "@expires_at", Micros(item.ExpiresAt));
        Bind(command, "@status_code", item.StatusCode);
        Bind(command, "@status_text", item.StatusText);
        Bind(command, "@terminal", item.State.IsTerminal() ? 1 : 0);
        Bind(command, "@now", StoreClock.ToUnixMicroseconds(now));
        Bind(command, "@id", item.Id);
        Bind(command, "@expected", expectedVersion);
        Bind(command, "@from_states", WorkItemColumns.FromStateMask(item.State));
        var updated = ReadAll(command);
        if (updated.Count == 1)
        {
            return new UpdateResult(UpdateStatus.Updated, updated[0]);
        }

        var select = writer.Command(SelectAll + "WHERE id = @id");
        Bind(select, "@id", item.Id);
        var current = ReadAll(select);
        return UpdateOutcome.Classify(current.Count == 0 ? null : current[0], expectedVersion);
    }

    private static List<WorkItem> ReadAll(SqliteCommand command)
    {
        var items = new List<WorkItem>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            items.Add(WorkItemColumns.Read(reader, ReadTime));
        }

        return items;
    }

    private async Task<List<WorkItem>> QueryAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var items = new List<WorkItem>();
        var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = sql;
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
        }

        return items;
    }

    private async Task<SqliteConnection> OpenReadAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_readConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => StoreClock.FromUnixMicroseconds(reader.GetInt64(ordinal));

    private static long? Micros(DateTimeOffset? t) => t is { } value ? StoreClock.ToUnixMicroseconds(value) : null;

    /// <summary>Sets a parameter, reusing it when the (cached) command already has one of that name.</summary>
    private static void Bind(SqliteCommand command, string name, object? value)
    {
        var index = command.Parameters.IndexOf(name);
        if (index >= 0)
        {
            command.Parameters[index].Value = value ?? DBNull.Value;
        }
        else
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 9100, Level = LogLevel.Information, Message = "SQLite store opened at {Path} (WAL, synchronous {Synchronous}, group commit up to {MaxBatch})")]
    private static partial void LogOpened(ILogger logger, string path, string synchronous, int maxBatch);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Information, Message = "Store {Path} migrated to schema version {Version}")]
    private static partial void LogMigrated(ILogger logger, string path, int version);
}

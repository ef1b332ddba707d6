using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Cpm.Interwork.Store.Sqlite;

/// <summary>
/// The single SQLite writer. Every write (insert, lease, update, purge) is queued here; a dedicated
/// thread takes whatever is queued (up to MaxBatchSize), runs it in ONE transaction — each
/// operation inside its own savepoint, so one failing operation does not undo the others — and
/// completes the callers only after COMMIT returned. One fsync thus covers a whole batch (group
/// commit), and leases are race-free because only this thread writes.
/// </summary>
internal sealed partial class SqliteGroupCommitWriter : IAsyncDisposable
{
    private readonly Channel<WriteOperation> _queue;
    private readonly SqliteConnection _connection;
    private readonly int _maxBatch;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private long _batches;
    private long _operations;

    public SqliteGroupCommitWriter(SqliteConnection connection, int maxBatch, int capacity, ILogger logger)
    {
        _connection = connection;
        _maxBatch = maxBatch;
        _logger = logger;
        _queue = Channel.CreateBounded<WriteOperation>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _thread = new Thread(Run) { IsBackground = true, Name = "sqlite-store-writer" };
        _thread.Start();
    }

    /// <summary>Committed batches so far (for tests and the benchmark).</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Operations committed so far.</summary>
    public long Operations => Interlocked.Read(ref _operations);

    /// <summary>Runs <paramref name="work"/> on the writer thread inside the next batch; completes after its commit.</summary>
    public async Task<T> ExecuteAsync<T>(Func<SqliteGroupCommitWriter, T> work, CancellationToken cancellationToken)
    {
        var operation = new WriteOperation<T>(work, cancellationToken);
        try
        {
            await _queue.Writer.WriteAsync(operation, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex)
        {
            throw new ObjectDisposedException("The SQLite store is closed.", ex);
        }

        return await operation.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A command on the writer connection, prepared once and reused with its parameters (writer
    /// thread only): callers set every parameter before each execution.
    /// </summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }

        return command;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopped.Task.ConfigureAwait(false);
        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync().ConfigureAwait(false);
        }

        _commands.Clear();
    }

    private void Run()
    {
        var batch = new List<WriteOperation>(_maxBatch);
        try
        {
            var reader = _queue.Reader;
            while (true)
            {
                while (batch.Count < _maxBatch && reader.TryRead(out var operation))
                {
                    batch.Add(operation);
                }

                if (batch.Count > 0)
                {
                    RunBatch(batch);
                    batch.Clear();
                    continue;
                }

                if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                {
                    break;
                }
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    [SuppressMessage("Design", "CA1031:Do not catch general exception types",
        Justification = "The writer thread must survive any failure of one operation or batch; the exception is handed to the caller that queued the work.")]
    private void RunBatch(List<WriteOperation> batch)
    {
        try
        {
            Command("BEGIN IMMEDIATE").ExecuteNonQuery();
        }
        catch (Exception ex)
        {
            LogBatchFailed(_logger, ex, batch.Count);
            foreach (var operation in batch)
            {
                operation.Fail(ex);
            }

            return;
        }

        foreach (var operation in batch)
        {
            if (operation.IsCancellationRequested)
            {
                continue;
            }

            Command("SAVEPOINT op").ExecuteNonQuery();
            try
            {
                operation.Execute(this);
                Command("RELEASE op").ExecuteNonQuery();
            }
            catch (Exception ex)
            {
                operation.RecordFailure(ex);
                try
                {
                    Command("ROLLBACK TO op").ExecuteNonQuery();
                    Command("RELEASE op").ExecuteNonQuery();
                }
                catch (Exception rollbackFailure)
                {
                    LogBatchFailed(_logger, rollbackFailure, batch.Count);
                    FailAll(batch, rollbackFailure);
                    return;
                }
            }
        }

        try
        {
            Command("COMMIT").ExecuteNonQuery();
        }
        catch (Exception ex)
        {
            LogBatchFailed(_logger, ex, batch.Count);
            FailAll(batch, ex);
            return;
        }

        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _operations, batch.Count);
        foreach (var operation in batch)
        {
            operation.Complete();
        }
    }

    [SuppressMessage("Design", "CA1031:Do not catch general exception types",
        Justification = "Best-effort rollback after a failed batch; the original failure is reported to every caller.")]
    private void FailAll(List<WriteOperation> batch, Exception ex)
    {
        try
        {
            if (!_connection.AutoCommit())
            {
                Command("ROLLBACK").ExecuteNonQuery();
            }
        }
        catch (Exception rollbackFailure)
        {
            LogBatchFailed(_logger, rollbackFailure, batch.Count);
        }

        foreach (var operation in batch)
        {
            operation.Fail(ex);
        }
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Error, Message = "SQLite store: a write batch of {Count} operations failed and was rolled back")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    private abstract class WriteOperation
    {
        public abstract bool IsCancellationRequested { get; }

        public abstract void Execute(SqliteGroupCommitWriter writer);

        public abstract void RecordFailure(Exception ex);

        public abstract void Complete();

        public abstract void Fail(Exception ex);
    }

    private sealed class WriteOperation<T>(Func<SqliteGroupCommitWriter, T> work, CancellationToken cancellationToken) : WriteOperation
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _failure;

        public Task<T> Task => _completion.Task;

        public override bool IsCancellationRequested
        {
            get
            {
                if (!cancellationToken.IsCancellationRequested)
                {
                    return false;
                }

                _completion.TrySetCanceled(cancellationToken);
                return true;
            }
        }

        public override void Execute(SqliteGroupCommitWriter writer) => _result = work(writer);

        public override void RecordFailure(Exception ex) => _failure = ex;

        public override void Complete()
        {
            if (_failure is not null)
            {
                _completion.TrySetException(_failure);
            }
            else
            {
                _completion.TrySetResult(_result!);
            }
        }

        public override void Fail(Exception ex) => _completion.TrySetException(ex);
    }
}

internal static class SqliteConnectionExtensions
{
    /// <summary>True when no transaction is open on the connection (sqlite3_get_autocommit).</summary>
    public static bool AutoCommit(this SqliteConnection connection) =>
        SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) != 0;
}

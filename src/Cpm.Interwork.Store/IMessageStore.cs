namespace Cpm.Interwork.Store;

/// <summary>
/// The gateway's durable outbox: every accepted message and every answer owed to a peer is a
/// <see cref="WorkItem"/> persisted before it is acknowledged, leased by workers when due, and
/// moved through <see cref="WorkState"/> with optimistic concurrency. Thread-safe.
/// </summary>
public interface IMessageStore : IAsyncDisposable
{
    /// <summary>The provider name ("Sqlite" or "Postgres").</summary>
    string Provider { get; }

    /// <summary>
    /// Persists a new item durably, or returns the existing item with the same
    /// <see cref="NewWorkItem.DedupKey"/> (Created = false) and changes nothing. Concurrent calls
    /// with one key create exactly one item. Completes only after the commit is durable.
    /// </summary>
    Task<InsertResult> InsertAsync(NewWorkItem item, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts several items in ONE transaction, each idempotent as in <see cref="InsertAsync"/>:
    /// either every item is persisted (created or found) or none is. Use it for the forwards one
    /// SIP MESSAGE splits into (one per receiving MMSE) and for the per-recipient deliveries of one
    /// inbound MM4_forward.REQ, so a crash never leaves half of them. Results are in input order;
    /// new ids are assigned in dedup-key order (the order rows are locked in, so overlapping
    /// concurrent batches cannot deadlock).
    /// </summary>
    Task<IReadOnlyList<InsertResult>> InsertAllAsync(IReadOnlyList<NewWorkItem> items, CancellationToken cancellationToken);

    Task<WorkItem?> GetAsync(long id, CancellationToken cancellationToken);

    Task<WorkItem?> FindByDedupKeyAsync(string dedupKey, CancellationToken cancellationToken);

    /// <summary>The item of this kind carrying this X-Mms-Transaction-ID (the newest if several).</summary>
    Task<WorkItem?> FindByTransactionIdAsync(WorkKind kind, string transactionId, CancellationToken cancellationToken);

    /// <summary>Items carrying this X-Mms-Message-ID, restricted to those listing <paramref name="recipient"/> when given.</summary>
    Task<IReadOnlyList<WorkItem>> FindByMm4MessageIdAsync(string mm4MessageId, string? recipient, CancellationToken cancellationToken);

    /// <summary>Items carrying this imdn.Message-ID, restricted to this sender when given.</summary>
    Task<IReadOnlyList<WorkItem>> FindByImdnMessageIdAsync(string imdnMessageId, string? sender, CancellationToken cancellationToken);

    /// <summary>Items made from one source message (same <see cref="WorkItem.GroupKey"/>), in insertion order.</summary>
    Task<IReadOnlyList<WorkItem>> FindByGroupAsync(string groupKey, CancellationToken cancellationToken);

    /// <summary>Items carrying this SIP Call-ID, in insertion order.</summary>
    Task<IReadOnlyList<WorkItem>> FindBySipCallIdAsync(string callId, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <see cref="LeaseRequest.MaxItems"/> active items whose NextAttemptAt has passed
    /// and whose lease is free or expired, oldest due first, for <see cref="LeaseRequest.Duration"/>.
    /// Two concurrent callers never receive the same item while its lease runs; an item whose lease
    /// ran out (its worker crashed) is claimable again. Each claim bumps the item's Version, so a
    /// worker whose lease was taken over gets a conflict on update.
    /// </summary>
    Task<IReadOnlyList<WorkItem>> TryLeaseDueAsync(LeaseRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the updatable fields of <paramref name="item"/> (State, Attempts, NextAttemptAt,
    /// ExpiresAt, StatusCode, StatusText) if the stored version still equals
    /// <paramref name="expectedVersion"/>; bumps the version and releases any lease. A stale
    /// version, a missing item or a transition <see cref="WorkStateRules"/> forbids is reported in
    /// the result, never thrown.
    /// </summary>
    Task<UpdateResult> UpdateAsync(WorkItem item, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="UpdateAsync"/> and, only if it succeeds, <see cref="InsertAllAsync"/> of
    /// <paramref name="followUps"/>, in ONE transaction (transactional outbox): e.g. a DeliverToCpm
    /// item becomes Completed together with the SendDeliveryReport item it owes, so a crash can
    /// neither lose the report nor repeat the delivery.
    /// </summary>
    Task<UpdateWithFollowUpsResult> UpdateWithFollowUpsAsync(WorkItem item, long expectedVersion, IReadOnlyList<NewWorkItem> followUps, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes terminal items finished before <paramref name="olderThan"/>, and any item whose
    /// ExpiresAt is before it. Returns the number deleted.
    /// </summary>
    Task<int> PurgeAsync(DateTimeOffset olderThan, CancellationToken cancellationToken);

    /// <summary>Counts of items per state (for metrics and the readiness probe).</summary>
    Task<IReadOnlyDictionary<WorkState, long>> CountByStateAsync(CancellationToken cancellationToken);

    /// <summary>Probes the write and read paths. Never throws for an unhealthy store (only on cancellation).</summary>
    Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken);
}

/// <summary>Result of <see cref="IMessageStore.InsertAsync"/>.</summary>
public readonly record struct InsertResult(WorkItem Item, bool Created);

/// <summary>Outcome of <see cref="IMessageStore.UpdateAsync"/>.</summary>
public enum UpdateStatus
{
    /// <summary>Written; <see cref="UpdateResult.Item"/> is the new snapshot.</summary>
    Updated,

    /// <summary>The stored version differs; <see cref="UpdateResult.Item"/> is the current snapshot.</summary>
    Conflict,

    /// <summary>The transition is not allowed; <see cref="UpdateResult.Item"/> is the current snapshot.</summary>
    InvalidTransition,

    /// <summary>No item with that id (purged); <see cref="UpdateResult.Item"/> is null.</summary>
    NotFound,
}

/// <summary>Result of <see cref="IMessageStore.UpdateAsync"/>.</summary>
public readonly record struct UpdateResult(UpdateStatus Status, WorkItem? Item)
{
    public bool Succeeded => Status == UpdateStatus.Updated;
}

/// <summary>Result of <see cref="IMessageStore.UpdateWithFollowUpsAsync"/>; FollowUps is empty unless the update succeeded.</summary>
public sealed record UpdateWithFollowUpsResult(UpdateResult Update, IReadOnlyList<InsertResult> FollowUps);

/// <summary>A worker's claim request.</summary>
/// <param name="Owner">Worker identity recorded in the lease (e.g. "host-1/forwarder-3").</param>
/// <param name="MaxItems">1 … <see cref="StoreLimits.MaxLeaseBatch"/>.</param>
/// <param name="Duration">How long the claim holds; longer than one attempt takes.</param>
/// <param name="Kinds">Only these kinds; null or empty for all.</param>
public sealed record LeaseRequest(string Owner, int MaxItems, TimeSpan Duration, IReadOnlyCollection<WorkKind>? Kinds = null);

/// <summary>Result of <see cref="IMessageStore.CheckHealthAsync"/>.</summary>
public sealed record StoreHealth(bool IsHealthy, string Description, TimeSpan Latency);

namespace Cpm.Interwork.Store;

/// <summary>What a work item asks a worker to do. Stored as a small integer: never renumber.</summary>
public enum WorkKind
{
    /// <summary>CPM→MMS: send one MM4_forward.REQ to one receiving MMSE and wait for its MM4_forward.RES.</summary>
    ForwardToMmse = 1,

    /// <summary>MMS→CPM: deliver an inbound MM4_forward.REQ to one CPM recipient as a SIP MESSAGE.</summary>
    DeliverToCpm = 2,

    /// <summary>MMS→CPM: send an MM4_forward.RES to the originating MMSE.</summary>
    SendForwardResponse = 3,

    /// <summary>MMS→CPM: send an MM4_delivery_report.REQ to the originating MMSE and wait for its .RES.</summary>
    SendDeliveryReport = 4,

    /// <summary>MMS→CPM: send an MM4_read_reply_report.REQ to the originating MMSE.</summary>
    SendReadReplyReport = 5,
}

/// <summary>Which way the message that caused the work item travels.</summary>
public enum WorkDirection
{
    CpmToMms = 1,
    MmsToCpm = 2,
}

/// <summary>
/// Life cycle of a work item. Pending, Retrying and AwaitingResponse are active: a worker may lease
/// the item once <see cref="WorkItem.NextAttemptAt"/> has passed. Completed, Failed and Expired are
/// terminal. Stored as a small integer: never renumber.
/// </summary>
public enum WorkState
{
    /// <summary>Accepted, first attempt not yet made (or made and not yet recorded).</summary>
    Pending = 0,

    /// <summary>At least one attempt failed transiently; the next one is due at NextAttemptAt.</summary>
    Retrying = 1,

    /// <summary>Sent; waiting for the peer's answer (e.g. MM4_forward.RES) until NextAttemptAt.</summary>
    AwaitingResponse = 2,

    /// <summary>Finished with a definitive outcome (which may be a peer's error status).</summary>
    Completed = 3,

    /// <summary>Finished without success (permanent error or attempts exhausted).</summary>
    Failed = 4,

    /// <summary>Finished because its expiry passed before a definitive outcome.</summary>
    Expired = 5,
}

/// <summary>A stored work item: an immutable snapshot at <see cref="Version"/>.</summary>
/// <remarks>
/// To change an item, make a copy with <c>with { … }</c> and pass it to
/// <see cref="IMessageStore.UpdateAsync"/> together with the version it was read at. Only the
/// fields documented as updatable are written; the rest are fixed at insert.
/// </remarks>
public sealed record WorkItem
{
    /// <summary>Store-assigned identity, increasing with insertion order.</summary>
    public required long Id { get; init; }

    public required WorkKind Kind { get; init; }

    public required WorkDirection Direction { get; init; }

    /// <summary>Caller-chosen idempotency key, unique in the store.</summary>
    public required string DedupKey { get; init; }

    /// <summary>Links the items made from one source message (e.g. one SIP MESSAGE split per MMSE).</summary>
    public string? GroupKey { get; init; }

    /// <summary>The item this one follows from (e.g. a SendForwardResponse's DeliverToCpm item).</summary>
    public long? ParentId { get; init; }

    /// <summary>Updatable.</summary>
    public required WorkState State { get; init; }

    public string? SipCallId { get; init; }

    /// <summary>Sender address (SIP URI or MM4 address) as the caller normalised it.</summary>
    public string? Sender { get; init; }

    /// <summary>imdn.Message-ID of the CPM message (received, or minted for MMS→CPM).</summary>
    public string? ImdnMessageId { get; init; }

    /// <summary>X-Mms-Transaction-ID; unique among ForwardToMmse, SendDeliveryReport and SendReadReplyReport items.</summary>
    public string? Mm4TransactionId { get; init; }

    /// <summary>X-Mms-Message-ID.</summary>
    public string? Mm4MessageId { get; init; }

    /// <summary>Recipients this item concerns (a forward's RCPT TO list, or the one CPM recipient).</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];

    /// <summary>Domain of the peer MMSE (receiving MMSE for forwards, originating MMSE for answers).</summary>
    public string? PeerDomain { get; init; }

    /// <summary>The message to send, as bytes (e.g. the serialized MM4 mail).</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>Transport envelope as bytes (e.g. MAIL FROM / RCPT TO), caller-defined format.</summary>
    public ReadOnlyMemory<byte> Envelope { get; init; }

    /// <summary>Attempts made so far. Updatable.</summary>
    public int Attempts { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the item is next due for a worker. Updatable.</summary>
    public DateTimeOffset NextAttemptAt { get; init; }

    /// <summary>When the message stops being worth delivering (X-Mms-Expiry, SIP Expires). Updatable.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Set by the store when the item first enters a terminal state.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Worker holding the lease, if any.</summary>
    public string? LeaseOwner { get; init; }

    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>Outcome code (SIP status, SMTP reply code, or a caller mapping of an MM4 status). Updatable.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Outcome text (e.g. X-Mms-Request-Status-Code, SIP reason phrase). Updatable.</summary>
    public string? StatusText { get; init; }

    /// <summary>Optimistic-concurrency version: changes on every update and every lease.</summary>
    public required long Version { get; init; }

    public bool IsTerminal => State.IsTerminal();
}

/// <summary>What a caller gives to <see cref="IMessageStore.InsertAsync"/>.</summary>
public sealed record NewWorkItem
{
    public required WorkKind Kind { get; init; }

    public required WorkDirection Direction { get; init; }

    /// <summary>
    /// Idempotency key, unique in the store (at most <see cref="StoreLimits.MaxKeyLength"/> chars).
    /// A second insert with the same key returns the first item and creates nothing.
    /// </summary>
    public required string DedupKey { get; init; }

    public string? GroupKey { get; init; }

    public long? ParentId { get; init; }

    /// <summary>Initial state: Pending (default) or AwaitingResponse; a terminal state records a finished item.</summary>
    public WorkState State { get; init; } = WorkState.Pending;

    public string? SipCallId { get; init; }

    public string? Sender { get; init; }

    public string? ImdnMessageId { get; init; }

    public string? Mm4TransactionId { get; init; }

    public string? Mm4MessageId { get; init; }

    public IReadOnlyList<string> Recipients { get; init; } = [];

    public string? PeerDomain { get; init; }

    public ReadOnlyMemory<byte> Payload { get; init; }

    public ReadOnlyMemory<byte> Envelope { get; init; }

    /// <summary>When the first attempt is due; null means now.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>
    /// Claim the new item at once for this worker (with <see cref="LeaseDuration"/>), so the service
    /// that accepted the message makes the first attempt itself without waiting for a poll. Ignored
    /// when the key already existed (Created = false): a repeat must not be processed again.
    /// </summary>
    public string? LeaseOwner { get; init; }

    /// <summary>Length of the initial claim; required with <see cref="LeaseOwner"/>.</summary>
    public TimeSpan? LeaseDuration { get; init; }
}

/// <summary>Fixed limits of the store model.</summary>
public static class StoreLimits
{
    /// <summary>Longest dedup, group or id key accepted (characters).</summary>
    public const int MaxKeyLength = 1024;

    /// <summary>Largest lease batch one call may ask for.</summary>
    public const int MaxLeaseBatch = 1000;
}

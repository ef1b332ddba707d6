using System.Data.Common;
using System.Runtime.InteropServices;

namespace Cpm.Interwork.Store.Internal;

/// <summary>The column list both providers share, and the row ↔ <see cref="WorkItem"/> mapping.</summary>
internal static class WorkItemColumns
{
    /// <summary>Every column, in the ordinal order <see cref="Read"/> expects.</summary>
    public const string All =
        "id, kind, direction, dedup_key, group_key, parent_id, state, sip_call_id, sender, imdn_message_id, "
        + "mm4_transaction_id, mm4_message_id, recipients, peer_domain, payload, envelope, attempts, created_at, "
        + "updated_at, next_attempt_at, expires_at, completed_at, lease_owner, lease_until, status_code, status_text, version";

    /// <summary>Insert column list (all but id) and its parameter names, same order.</summary>
    public const string InsertColumns =
        "kind, direction, dedup_key, group_key, parent_id, state, sip_call_id, sender, imdn_message_id, "
        + "mm4_transaction_id, mm4_message_id, recipients, peer_domain, payload, envelope, attempts, created_at, "
        + "updated_at, next_attempt_at, expires_at, completed_at, lease_owner, lease_until, status_code, status_text, version";

    public const string InsertValues =
        "@kind, @direction, @dedup_key, @group_key, @parent_id, @state, @sip_call_id, @sender, @imdn_message_id, "
        + "@mm4_transaction_id, @mm4_message_id, @recipients, @peer_domain, @payload, @envelope, 0, @now, "
        + "@now, @next_attempt_at, @expires_at, @completed_at, @lease_owner, @lease_until, NULL, NULL, 1";

    /// <summary>The states a worker may lease (active states), as an SQL list.</summary>
    public const string ActiveStates = "(0, 1, 2)";

    /// <summary>Purge condition on @cutoff.</summary>
    public const string PurgeCondition =
        "(completed_at IS NOT NULL AND completed_at < @cutoff) OR (expires_at IS NOT NULL AND expires_at < @cutoff)";

    /// <summary>Rows deleted per purge statement, so one purge never holds the writer for long.</summary>
    public const int PurgeChunk = 2000;

    private const char RecipientSeparator = '\n';

    public static WorkItem Read(DbDataReader r, Func<DbDataReader, int, DateTimeOffset> time)
    {
        return new WorkItem
        {
            Id = r.GetInt64(0),
            Kind = (WorkKind)r.GetInt32(1),
            Direction = (WorkDirection)r.GetInt32(2),
            DedupKey = r.GetString(3),
            GroupKey = NullableString(r, 4),
            ParentId = r.IsDBNull(5) ? null : r.GetInt64(5),
            State = (WorkState)r.GetInt32(6),
            SipCallId = NullableString(r, 7),
            Sender = NullableString(r, 8),
            ImdnMessageId = NullableString(r, 9),
            Mm4TransactionId = NullableString(r, 10),
            Mm4MessageId = NullableString(r, 11),
            Recipients = SplitRecipients(r.GetString(12)),
            PeerDomain = NullableString(r, 13),
            Payload = r.GetFieldValue<byte[]>(14),
            Envelope = r.GetFieldValue<byte[]>(15),
            Attempts = r.GetInt32(16),
            CreatedAt = time(r, 17),
            UpdatedAt = time(r, 18),
            NextAttemptAt = time(r, 19),
            ExpiresAt = r.IsDBNull(20) ? null : time(r, 20),
            CompletedAt = r.IsDBNull(21) ? null : time(r, 21),
            LeaseOwner = NullableString(r, 22),
            LeaseUntil = r.IsDBNull(23) ? null : time(r, 23),
            StatusCode = r.IsDBNull(24) ? null : r.GetInt32(24),
            StatusText = NullableString(r, 25),
            Version = r.GetInt64(26),
        };
    }

    public static string JoinRecipients(IReadOnlyList<string> recipients) => string.Join(RecipientSeparator, recipients);

    public static byte[] ToArray(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToArray();

    /// <summary>Bit mask of kinds for the lease filter; 0 means every kind.</summary>
    public static int KindMask(IReadOnlyCollection<WorkKind>? kinds)
    {
        var mask = 0;
        if (kinds is null)
        {
            return mask;
        }

        foreach (var kind in kinds)
        {
            mask |= 1 << (int)kind;
        }

        return mask;
    }

    /// <summary>Bit mask of the states an item may be in to move to <paramref name="target"/>.</summary>
    public static int FromStateMask(WorkState target)
    {
        var mask = 0;
        for (var from = WorkState.Pending; from <= WorkState.Expired; from++)
        {
            if (WorkStateRules.CanTransition(from, target))
            {
                mask |= 1 << (int)from;
            }
        }

        return mask;
    }

    /// <summary>Rejects caller bugs (bad keys, undefined enums) before anything is written.</summary>
    public static void Validate(NewWorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        RequireKey(item.DedupKey, nameof(item.DedupKey), required: true);
        RequireKey(item.GroupKey, nameof(item.GroupKey), required: false);
        RequireKey(item.Mm4TransactionId, nameof(item.Mm4TransactionId), required: false);
        RequireKey(item.Mm4MessageId, nameof(item.Mm4MessageId), required: false);
        RequireKey(item.ImdnMessageId, nameof(item.ImdnMessageId), required: false);
        RequireKey(item.SipCallId, nameof(item.SipCallId), required: false);
        if (!Enum.IsDefined(item.Kind))
        {
            throw new ArgumentException($"Kind {(int)item.Kind} is not defined", nameof(item));
        }

        if (!Enum.IsDefined(item.Direction))
        {
            throw new ArgumentException($"Direction {(int)item.Direction} is not defined", nameof(item));
        }

        if (!WorkStateRules.IsDefined(item.State) || item.State == WorkState.Retrying)
        {
            throw new ArgumentException($"State {item.State} is not a valid initial state", nameof(item));
        }

        if ((item.LeaseOwner is null) != (item.LeaseDuration is null)
            || item.LeaseOwner?.Length == 0
            || item.LeaseDuration <= TimeSpan.Zero)
        {
            throw new ArgumentException("LeaseOwner and a positive LeaseDuration go together", nameof(item));
        }

        ArgumentNullException.ThrowIfNull(item.Recipients);
        foreach (var recipient in item.Recipients)
        {
            if (string.IsNullOrEmpty(recipient) || recipient.Contains(RecipientSeparator, StringComparison.Ordinal))
            {
                throw new ArgumentException("Recipients must be non-empty and contain no line feed", nameof(item));
            }
        }
    }

    public static void Validate(IReadOnlyList<NewWorkItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            Validate(item);
        }
    }

    /// <summary>
    /// Input positions ordered by dedup key: concurrent multi-row transactions then take their
    /// key locks in one global order and cannot deadlock one another.
    /// </summary>
    public static int[] KeyOrder(IReadOnlyList<NewWorkItem> items) =>
        Enumerable.Range(0, items.Count).OrderBy(i => items[i].DedupKey, StringComparer.Ordinal).ToArray();

    public static void Validate(LeaseRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.Owner);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.MaxItems, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.MaxItems, StoreLimits.MaxLeaseBatch);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(request.Duration, TimeSpan.Zero);
        if (request.Kinds is not null && request.Kinds.Any(k => !Enum.IsDefined(k)))
        {
            throw new ArgumentException("Kinds contains an undefined WorkKind", nameof(request));
        }
    }

    public static void Validate(WorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!WorkStateRules.IsDefined(item.State))
        {
            throw new ArgumentException($"State {(int)item.State} is not defined", nameof(item));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(item.Attempts);
    }

    /// <summary>Orders leased rows the way the claim query picked them (RETURNING order is unspecified).</summary>
    public static List<WorkItem> OrderDue(List<WorkItem> items)
    {
        items.Sort(static (a, b) =>
        {
            var c = a.NextAttemptAt.CompareTo(b.NextAttemptAt);
            return c != 0 ? c : a.Id.CompareTo(b.Id);
        });
        return items;
    }

    public static bool ListsRecipient(WorkItem item, string? recipient) =>
        recipient is null || item.Recipients.Contains(recipient, StringComparer.OrdinalIgnoreCase);

    private static void RequireKey(string? value, string name, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                throw new ArgumentException($"{name} is required", name);
            }

            return;
        }

        if (value.Length == 0 || value.Length > StoreLimits.MaxKeyLength)
        {
            throw new ArgumentException($"{name} must have 1 to {StoreLimits.MaxKeyLength} characters", name);
        }
    }

    private static string? NullableString(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static string[] SplitRecipients(string joined) =>
        joined.Length == 0 ? [] : joined.Split(RecipientSeparator);
}

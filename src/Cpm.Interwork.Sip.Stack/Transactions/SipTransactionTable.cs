using System.Collections.Concurrent;

namespace Cpm.Interwork.Sip.Stack.Transactions;

/// <summary>Outcome of looking a request up in the transaction table.</summary>
public enum SipTransactionLookup
{
    /// <summary>A new transaction was created for the request.</summary>
    Created,

    /// <summary>The request belongs to an existing transaction (a retransmission).</summary>
    Existing,

    /// <summary>The table is full; the request must be refused statelessly (503).</summary>
    Full,
}

/// <summary>The server transactions in flight, keyed per RFC 3261 §17.2.3 and bounded in size.</summary>
public sealed class SipTransactionTable
{
    private readonly ConcurrentDictionary<SipTransactionKey, NonInviteServerTransaction> _transactions = new();
    private readonly int _capacity;
    private int _count;

    public SipTransactionTable(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>The transactions now in the table (a snapshot).</summary>
    public ICollection<NonInviteServerTransaction> Snapshot() => _transactions.Values;

    public bool TryGet(SipTransactionKey key, out NonInviteServerTransaction? transaction) =>
        _transactions.TryGetValue(key, out transaction);

    /// <summary>Finds the transaction for <paramref name="key"/> or adds one made by <paramref name="create"/>.</summary>
    public SipTransactionLookup GetOrAdd(SipTransactionKey key, Func<NonInviteServerTransaction> create, out NonInviteServerTransaction? transaction)
    {
        if (_transactions.TryGetValue(key, out transaction))
        {
            return SipTransactionLookup.Existing;
        }

        if (Interlocked.Increment(ref _count) > _capacity)
        {
            Interlocked.Decrement(ref _count);
            transaction = null;
            return SipTransactionLookup.Full;
        }

        var created = create();
        if (_transactions.TryAdd(key, created))
        {
            transaction = created;
            return SipTransactionLookup.Created;
        }

        // Lost a race with the same request arriving twice at once: the other one is the transaction.
        Interlocked.Decrement(ref _count);
        created.Dispose();
        transaction = _transactions.TryGetValue(key, out var winner) ? winner : null;
        return transaction is null ? SipTransactionLookup.Full : SipTransactionLookup.Existing;
    }

    /// <summary>Removes a terminated transaction.</summary>
    public void Remove(NonInviteServerTransaction transaction)
    {
        if (_transactions.TryRemove(new KeyValuePair<SipTransactionKey, NonInviteServerTransaction>(transaction.Key, transaction)))
        {
            Interlocked.Decrement(ref _count);
        }
    }
}

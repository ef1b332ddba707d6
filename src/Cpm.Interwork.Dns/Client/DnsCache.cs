using Cpm.Interwork.Dns.Wire;

namespace Cpm.Interwork.Dns.Client;

/// <summary>
/// A cache of results keyed by question, bounded by TTL and by entry count (least recently used out
/// first). Positive answers live for their smallest TTL (capped); NXDOMAIN and NODATA answers live for
/// min(SOA TTL, SOA MINIMUM) from the authority section (RFC 2308 §5), capped; negative answers without
/// a SOA, failures and zero TTLs are not cached. Cached records come back with their TTL counted down.
/// Thread-safe.
/// </summary>
public sealed class DnsCache
{
    private readonly int _maxEntries;
    private readonly TimeSpan _maxPositiveTtl;
    private readonly TimeSpan _maxNegativeTtl;
    private readonly TimeProvider _time;
    private readonly Dictionary<(string Name, DnsRecordType Type, DnsClass Class), LinkedListNode<Entry>> _map = [];
    private readonly LinkedList<Entry> _lru = new();
    private readonly Lock _lock = new();

    public DnsCache(int maxEntries, TimeSpan maxPositiveTtl, TimeSpan maxNegativeTtl, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxEntries);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _maxEntries = maxEntries;
        _maxPositiveTtl = maxPositiveTtl;
        _maxNegativeTtl = maxNegativeTtl;
        _time = timeProvider;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _map.Count;
            }
        }
    }

    public bool TryGet(DnsQuestion question, out DnsResult result)
    {
        ArgumentNullException.ThrowIfNull(question);
        result = null!;
        var key = Key(question);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_map.TryGetValue(key, out var node))
            {
                return false;
            }

            if (node.Value.Expires <= now)
            {
                _lru.Remove(node);
                _map.Remove(key);
                return false;
            }

            _lru.Remove(node);
            _lru.AddFirst(node);
            var entry = node.Value;
            var elapsed = (uint)Math.Min(uint.MaxValue, Math.Max(0, (now - entry.Stored).TotalSeconds));
            result = entry.Result with
            {
                Question = question,
                FromCache = true,
                Server = null,
                Answers = [.. entry.Result.Answers.Select(r => Age(r, elapsed))],
                Authorities = [.. entry.Result.Authorities.Select(r => Age(r, elapsed))],
                Additionals = [.. entry.Result.Additionals.Select(r => Age(r, elapsed))],
            };
            return true;
        }
    }

    /// <summary>Stores a result when it is cacheable; returns the lifetime given (zero when not stored).</summary>
    public TimeSpan Store(DnsResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (_maxEntries == 0)
        {
            return TimeSpan.Zero;
        }

        var ttl = Lifetime(result);
        if (ttl <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var key = Key(result.Question);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var existing))
            {
                _lru.Remove(existing);
                _map.Remove(key);
            }

            while (_map.Count >= _maxEntries && _lru.Last is { } oldest)
            {
                _lru.RemoveLast();
                _map.Remove(oldest.Value.Key);
            }

            _map[key] = _lru.AddFirst(new Entry(key, result with { FromCache = false }, now, now + ttl));
        }

        return ttl;
    }

    /// <summary>The lifetime a result earns in the cache (zero: not cacheable).</summary>
    public TimeSpan Lifetime(DnsResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Status != DnsResultStatus.Response)
        {
            return TimeSpan.Zero;
        }

        if (result.IsNameError || (result.IsSuccess && result.Answers.IsEmpty))
        {
            // RFC 2308 §5: negative TTL = min(SOA's own TTL, SOA MINIMUM); no SOA, no caching.
            var soa = result.Authorities.OfType<SoaRecord>().FirstOrDefault();
            if (soa is null)
            {
                return TimeSpan.Zero;
            }

            var negative = TimeSpan.FromSeconds(Math.Min(soa.Ttl, soa.Minimum));
            return negative < _maxNegativeTtl ? negative : _maxNegativeTtl;
        }

        if (!result.IsSuccess)
        {
            return TimeSpan.Zero;
        }

        var positive = TimeSpan.FromSeconds(result.Answers.Min(r => r.Ttl));
        return positive < _maxPositiveTtl ? positive : _maxPositiveTtl;
    }

    public void Clear()
    {
        lock (_lock)
        {
            _map.Clear();
            _lru.Clear();
        }
    }

    private static (string, DnsRecordType, DnsClass) Key(DnsQuestion q) => (DnsName.Normalize(q.Name), q.Type, q.Class);

    private static DnsRecord Age(DnsRecord record, uint elapsed) =>
        record with { Ttl = record.Ttl > elapsed ? record.Ttl - elapsed : 0 };

    private sealed record Entry((string, DnsRecordType, DnsClass) Key, DnsResult Result, DateTimeOffset Stored, DateTimeOffset Expires);
}

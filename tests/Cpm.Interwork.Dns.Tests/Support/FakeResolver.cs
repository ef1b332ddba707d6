using System.Collections.Concurrent;
using System.Collections.Immutable;
using Cpm.Interwork.Dns.Client;
using Cpm.Interwork.Dns.Wire;

namespace Cpm.Interwork.Dns.Tests.Support;

/// <summary>An in-memory <see cref="IDnsResolver"/>: answers from a table, NXDOMAIN for anything else.</summary>
internal sealed class FakeResolver : IDnsResolver
{
    private readonly Dictionary<(string, DnsRecordType), Func<DnsQuestion, DnsResult>> _answers = [];

    public ConcurrentQueue<(string Name, DnsRecordType Type)> Queries { get; } = new();

    public FakeResolver Records(string name, DnsRecordType type, params DnsRecord[] records)
    {
        _answers[(name.ToLowerInvariant(), type)] = q => new DnsResult
        {
            Question = q, Status = DnsResultStatus.Response, Rcode = DnsResponseCode.NoError, Answers = [.. records],
        };
        return this;
    }

    public FakeResolver Rcode(string name, DnsRecordType type, DnsResponseCode rcode)
    {
        _answers[(name.ToLowerInvariant(), type)] = q => new DnsResult { Question = q, Status = DnsResultStatus.Response, Rcode = rcode };
        return this;
    }

    public FakeResolver Fails(string name, DnsRecordType type, DnsResultStatus status)
    {
        _answers[(name.ToLowerInvariant(), type)] = q => DnsResult.Failure(q, status, "injected");
        return this;
    }

    public Task<DnsResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        Queries.Enqueue((name, type));
        var q = new DnsQuestion(name, type);
        if (_answers.TryGetValue((name.ToLowerInvariant(), type), out var answer))
        {
            return Task.FromResult(answer(q));
        }

        // A name that has other types is NODATA, else NXDOMAIN.
        var exists = _answers.Keys.Any(k => string.Equals(k.Item1, name, StringComparison.OrdinalIgnoreCase));
        return Task.FromResult(new DnsResult
        {
            Question = q, Status = DnsResultStatus.Response, Rcode = exists ? DnsResponseCode.NoError : DnsResponseCode.NXDomain,
            Answers = ImmutableArray<DnsRecord>.Empty,
        });
    }

    public static NaptrRecord Naptr(string owner, ushort order, ushort pref, string flags, string services, string regexp, string replacement = "") =>
        new(owner, DnsClass.IN, 300, order, pref, flags, services, regexp, replacement);
}

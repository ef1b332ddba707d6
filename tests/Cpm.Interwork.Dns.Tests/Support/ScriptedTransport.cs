using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Cpm.Interwork.Dns.Client;
using Cpm.Interwork.Dns.Wire;

namespace Cpm.Interwork.Dns.Tests.Support;

/// <summary>
/// A transport that answers from a script: for each exchange the handler returns the datagrams (UDP) or
/// the one message (TCP) to deliver; null means "never answer" (the client's timeout fires).
/// </summary>
internal sealed class ScriptedTransport : IDnsTransport
{
    private readonly Func<Exchange, IReadOnlyList<byte[]>?> _handler;

    public ScriptedTransport(Func<Exchange, IReadOnlyList<byte[]>?> handler) => _handler = handler;

    public ConcurrentQueue<Exchange> Exchanges { get; } = new();

    public sealed record Exchange(IPEndPoint Server, bool Tcp, DnsMessage Query)
    {
        public ushort Id => Query.Header.Id;
    }

    public async Task<byte[]> QueryUdpAsync(IPEndPoint server, ReadOnlyMemory<byte> query, Func<ReadOnlyMemory<byte>, bool> accept, CancellationToken cancellationToken)
    {
        var exchange = Record(server, query, tcp: false);
        var datagrams = _handler(exchange);
        if (datagrams is not null)
        {
            foreach (var d in datagrams)
            {
                if (accept(d))
                {
                    return d;
                }
            }
        }

        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        throw new InvalidOperationException("unreachable");
    }

    public async Task<byte[]> QueryTcpAsync(IPEndPoint server, ReadOnlyMemory<byte> query, CancellationToken cancellationToken)
    {
        var exchange = Record(server, query, tcp: true);
        var answer = _handler(exchange);
        if (answer is { Count: > 0 })
        {
            return answer[0];
        }

        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        throw new InvalidOperationException("unreachable");
    }

    private Exchange Record(IPEndPoint server, ReadOnlyMemory<byte> query, bool tcp)
    {
        if (!DnsMessage.TryParse(query.Span, out var message, out var error))
        {
            throw new InvalidOperationException("client sent an unparseable query: " + error);
        }

        var exchange = new Exchange(server, tcp, message);
        Exchanges.Enqueue(exchange);
        return exchange;
    }

    /// <summary>A response to the query with the given records and flags.</summary>
    public static byte[] Answer(Exchange e, DnsResponseCode rcode, bool truncated = false, IEnumerable<DnsRecord>? answers = null,
        IEnumerable<DnsRecord>? authorities = null, ushort? id = null, DnsQuestion? question = null)
    {
        var b = new DnsMessageBuilder(id ?? e.Id, DnsHeader.BuildFlags(true, DnsOpcode.Query, true, truncated, true, true, rcode))
            .AddQuestion(question ?? e.Query.Questions[0]);
        foreach (var r in answers ?? [])
        {
            b.AddAnswer(r);
        }

        foreach (var r in authorities ?? [])
        {
            b.AddAuthority(r);
        }

        return b.ToArray();
    }

    /// <summary>Captured bytes with their ID rewritten to the query's (as a real server would have answered).</summary>
    public static byte[] WithId(byte[] captured, ushort id)
    {
        var copy = (byte[])captured.Clone();
        copy[0] = (byte)(id >> 8);
        copy[1] = (byte)id;
        return copy;
    }

    public static IReadOnlyList<byte[]> Throw(SocketError error) => throw new SocketException((int)error);
}

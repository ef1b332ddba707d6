using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Cpm.Interwork.Dns.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cpm.Interwork.Dns.Client;

/// <summary>Asks one question and gets a <see cref="DnsResult"/>; implemented by <see cref="DnsClient"/> and by test fakes.</summary>
public interface IDnsResolver
{
    Task<DnsResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default);
}

/// <summary>
/// A stub resolver: UDP first, TCP when the answer is truncated (TC=1, RFC 1035 §4.2.1 / RFC 7766),
/// a fresh random query ID and source port per exchange, answers accepted only when ID, QR and the
/// question match (others dropped, RFC 5452 §9.1), <see cref="DnsOptions.Attempts"/> rounds over the
/// servers with the starting server rotating between queries, a per-exchange timeout, and a cache.
/// NOERROR and NXDOMAIN end the search; SERVFAIL, REFUSED, other RCODEs, timeouts, network and format
/// errors move to the next server.
/// </summary>
public sealed partial class DnsClient : IDnsResolver
{
    private readonly IReadOnlyList<IPEndPoint> _servers;
    private readonly IDnsTransport _transport;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _timeout;
    private readonly int _attempts;
    private int _rotation = -1;

    public DnsClient(DnsOptions options, IDnsTransport? transport = null, TimeProvider? timeProvider = null, ILogger<DnsClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid DNS options: " + string.Join("; ", errors), nameof(options));
        }

        _servers = options.GetServerEndPoints();
        _transport = transport ?? new SocketDnsTransport();
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _timeout = options.Timeout;
        _attempts = options.Attempts;
        Cache = options.CacheMaxEntries > 0
            ? new DnsCache(options.CacheMaxEntries, options.MaxPositiveTtl, options.MaxNegativeTtl, _time)
            : null;
    }

    /// <summary>The servers in configured order.</summary>
    public IReadOnlyList<IPEndPoint> Servers => _servers;

    /// <summary>The cache, or null when <see cref="DnsOptions.CacheMaxEntries"/> is 0.</summary>
    public DnsCache? Cache { get; }

    public async Task<DnsResult> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var question = new DnsQuestion(name, type);
        if (!DnsName.TryGetLabels(name, out _, out var nameError))
        {
            return DnsResult.Failure(question, DnsResultStatus.InvalidName, $"'{name}': {nameError}");
        }

        if (Cache is not null && Cache.TryGet(question, out var cached))
        {
            LogCacheHit(question, cached);
            return cached;
        }

        var start = (int)((uint)Interlocked.Increment(ref _rotation) % (uint)_servers.Count);
        DnsResult? best = null;
        for (var attempt = 0; attempt < _attempts; attempt++)
        {
            for (var i = 0; i < _servers.Count; i++)
            {
                var server = _servers[(start + i) % _servers.Count];
                var result = await ExchangeAsync(server, question, cancellationToken).ConfigureAwait(false);
                LogExchange(question, server, attempt + 1, result);
                if (result.IsSuccess || result.IsNameError)
                {
                    Cache?.Store(result);
                    return result;
                }

                best = Prefer(best, result);
            }
        }

        return best!;
    }

    /// <summary>Keeps the most informative failure: a server's RCODE, then a parse error, then a timeout, then a network error.</summary>
    private static DnsResult Prefer(DnsResult? current, DnsResult next)
    {
        static int Rank(DnsResult r) => r.Status switch
        {
            DnsResultStatus.Response => 4,
            DnsResultStatus.FormatError => 3,
            DnsResultStatus.Timeout => 2,
            _ => 1,
        };

        return current is null || Rank(next) >= Rank(current) ? next : current;
    }

    private async Task<DnsResult> ExchangeAsync(IPEndPoint server, DnsQuestion question, CancellationToken cancellationToken)
    {
        var udp = await OneExchangeAsync(server, question, tcp: false, cancellationToken).ConfigureAwait(false);
        if (udp.Truncated)
        {
            LogTruncated(question, server);
            var tcp = await OneExchangeAsync(server, question, tcp: true, cancellationToken).ConfigureAwait(false);
            return tcp.Result with { UsedTcp = true };
        }

        return udp.Result;
    }

    private async Task<(DnsResult Result, bool Truncated)> OneExchangeAsync(IPEndPoint server, DnsQuestion question, bool tcp, CancellationToken cancellationToken)
    {
        var id = (ushort)RandomNumberGenerator.GetInt32(0, 65536);
        var query = DnsMessageBuilder.BuildQuery(id, question);
        DnsMessage? parsed = null;
        DnsParseError? parseError = null;

        // Takes a datagram only when it is a response with our ID and (if parseable) our question.
        bool Accept(ReadOnlyMemory<byte> bytes)
        {
            if (!DnsMessage.TryReadHeader(bytes.Span, out var header) || header.Id != id || !header.IsResponse)
            {
                return false;
            }

            if (!DnsMessage.TryParse(bytes.Span, out var message, out var error))
            {
                // Same ID but unparseable. A truncated (TC) answer may legitimately be cut short.
                parsed = null;
                parseError = error;
                return true;
            }

            if (message.Questions.Length != 1 || !message.Questions[0].Matches(question))
            {
                return false;
            }

            parsed = message;
            parseError = null;
            return true;
        }

        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        byte[] response;
        try
        {
            response = tcp
                ? await _transport.QueryTcpAsync(server, query, linked.Token).ConfigureAwait(false)
                : await _transport.QueryUdpAsync(server, query, Accept, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (DnsResult.Failure(question, DnsResultStatus.Timeout, $"no answer from {server} over {(tcp ? "TCP" : "UDP")} within {_timeout}", server), false);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return (DnsResult.Failure(question, DnsResultStatus.NetworkError, $"{server} over {(tcp ? "TCP" : "UDP")}: {ex.Message}", server), false);
        }

        if (tcp && !Accept(response))
        {
            return (DnsResult.Failure(question, DnsResultStatus.FormatError, $"{server} over TCP answered another ID or question", server), false);
        }

        if (parsed is null)
        {
            // An unparseable datagram that says TC=1 is retried over TCP rather than reported.
            if (!tcp && DnsMessage.TryReadHeader(response, out var h) && h.IsTruncated)
            {
                return (DnsResult.Failure(question, DnsResultStatus.FormatError, "truncated", server), true);
            }

            return (new DnsResult
            {
                Question = question,
                Status = DnsResultStatus.FormatError,
                ParseError = parseError,
                Detail = $"{server}: malformed answer ({parseError})",
                Server = server,
            }, false);
        }

        var result = new DnsResult
        {
            Question = question,
            Status = DnsResultStatus.Response,
            Rcode = parsed.Header.ResponseCode,
            Answers = parsed.Answers,
            Authorities = parsed.Authorities,
            Additionals = parsed.Additionals,
            Server = server,
        };
        return (result, !tcp && parsed.Header.IsTruncated);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "DNS {Question}: from cache: {Result}")]
    private partial void LogCacheHit(DnsQuestion question, DnsResult result);

    [LoggerMessage(Level = LogLevel.Debug, Message = "DNS {Question}: server {Server} attempt {Attempt}: {Result}")]
    private partial void LogExchange(DnsQuestion question, IPEndPoint server, int attempt, DnsResult result);

    [LoggerMessage(Level = LogLevel.Debug, Message = "DNS {Question}: truncated answer from {Server}, retrying over TCP")]
    private partial void LogTruncated(DnsQuestion question, IPEndPoint server);
}

using System.Net;
using Cpm.Interwork.Sip.Stack.Transactions;
using Cpm.Interwork.Sip.Stack.Transport;
using Microsoft.Extensions.Logging;

namespace Cpm.Interwork.Sip.Stack;

/// <summary>
/// What the gateway does with each request (RFC 3261 §8.2 UAS behaviour, §17.2 transactions):
/// ACK is absorbed; a retransmission goes to its transaction; a new request opens a non-INVITE server transaction
/// and gets, in this order: 503 while draining or when the table is full, 483 for Max-Forwards 0 (OPTIONS
/// excepted, §16.3 step 2), CANCEL 200/481 (§9.2), 405 with Allow for methods other than MESSAGE and OPTIONS,
/// 420 with Unsupported for a Require the gateway lacks (§8.2.2.3), 415 with Accept / 400 for the MESSAGE body
/// type, then OPTIONS 200 or the MESSAGE handler's answer.
/// </summary>
internal sealed class SipRequestProcessor : IDisposable
{
    public const string Allow = "MESSAGE, OPTIONS, ACK, CANCEL";

    private readonly SipStackOptions _options;
    private readonly ISipMessageHandler _handler;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SipMetrics? _metrics;
    private readonly SipTransactionTable _transactions;
    private readonly CancellationTokenSource _abandon = new();
    private readonly HashSet<string> _accepted;
    private readonly string _accept;
    private readonly HashSet<string> _supported;
    private readonly string _supportedHeader;
    private int _inFlight;
    private volatile bool _draining;

    public SipRequestProcessor(SipStackOptions options, ISipMessageHandler handler, TimeProvider time, ILogger logger, SipMetrics? metrics)
    {
        _options = options;
        _handler = handler;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _transactions = new SipTransactionTable(options.MaxTransactions);
        _accepted = new HashSet<string>(options.AcceptedContentTypes, StringComparer.OrdinalIgnoreCase);
        _accept = string.Join(", ", options.AcceptedContentTypes);
        _supported = new HashSet<string>(options.SupportedOptionTags, StringComparer.OrdinalIgnoreCase);
        _supportedHeader = string.Join(", ", options.SupportedOptionTags);
    }

    public SipTransactionTable Transactions => _transactions;

    public void Dispose() => _abandon.Dispose();

    /// <summary>MESSAGE handlers running now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>From now on new requests are answered 503 with Retry-After.</summary>
    public void BeginDrain() => _draining = true;

    /// <summary>Cancels every running handler; their transactions are answered 503 with Retry-After.</summary>
    public Task AbandonAsync() => _abandon.CancelAsync();

    /// <summary>Handles one parsed request.</summary>
    public async ValueTask OnRequestAsync(SipRequest request, Func<SipRequestEcho, ISipResponseSink> route, IPEndPoint local, IPEndPoint remote, CancellationToken cancellationToken)
    {
        var method = request.Method;
        if (method == SipMethods.Ack)
        {
            // No INVITE transaction is ever accepted here, so every ACK is for a non-2xx final answered by us
            // (RFC 3261 §17.2.1 absorbs it) or stray: either way, no response.
            return;
        }

        var echo = SipRequestEcho.Of(request);
        var sink = route(echo);
        var key = KeyOf(request);
        var lookup = _transactions.GetOrAdd(key, () => CreateTransaction(key, method, sink, echo, remote), out var transaction);
        if (lookup == SipTransactionLookup.Existing)
        {
            await transaction!.OnRetransmissionAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        _metrics?.RequestReceived(method);
        if (lookup == SipTransactionLookup.Full)
        {
            SipStackLog.TransactionTableFull(_logger, _options.MaxTransactions, method, remote);
            await SendStatelessAsync(sink, echo, remote, 503, "Service Unavailable (Too Many Transactions)", RetryAfter(), cancellationToken).ConfigureAwait(false);
            return;
        }

        transaction!.Start();
        var immediate = Check(request);
        if (immediate is not null)
        {
            await AnswerAsync(transaction, echo, remote, immediate, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (method == SipMethods.Options)
        {
            await AnswerAsync(transaction, echo, remote, OptionsAnswer(), cancellationToken).ConfigureAwait(false);
            return;
        }

        // MESSAGE: run the handler off the listener's loop so a slow answer never stalls other requests.
        var context = new SipRequestContext(sink.Transport, local, remote, key, _time.GetUtcNow());
        _ = RunHandlerAsync(request, context, transaction, echo, remote);
    }

    /// <summary>Answers bytes the parser rejected, when a Via to answer to can be found; drops them otherwise.</summary>
    public async ValueTask OnRejectedAsync(ReadOnlyMemory<byte> bytes, SipMessage? readable, SipParseError error, Func<SipRequestEcho, ISipResponseSink> route, IPEndPoint remote, CancellationToken cancellationToken)
    {
        if (readable is SipResponse)
        {
            _metrics?.Dropped("malformed-response");
            SipStackLog.Unanswerable(_logger, remote, error.Reason, error.Offset);
            return;
        }

        var echo = readable is SipRequest request ? SipRequestEcho.Of(request) : SipRequestSalvage.TryRead(bytes.Span);
        if (echo is null)
        {
            _metrics?.Dropped("unanswerable");
            SipStackLog.Unanswerable(_logger, remote, error.Reason, error.Offset);
            return;
        }

        if (echo.Method == SipMethods.Ack)
        {
            _metrics?.Dropped("malformed-ack");
            SipStackLog.Unanswerable(_logger, remote, error.Reason, error.Offset);
            return;
        }

        _metrics?.RequestReceived(echo.Method);
        SipStackLog.Rejected(_logger, remote, echo.Method, error.Reason, error.Offset);
        var (status, reason) = SipRejections.ToResponse(error.Reason);
        await SendStatelessAsync(route(echo), echo, remote, status, reason, null, cancellationToken).ConfigureAwait(false);
    }

    private NonInviteServerTransaction CreateTransaction(SipTransactionKey key, string method, ISipResponseSink sink, SipRequestEcho echo, IPEndPoint remote) =>
        new(
            key,
            method,
            sink,
            () => echo.Write(100, "Trying", remote, _options.ServerName),
            _options,
            _time,
            _transactions.Remove,
            _metrics is null ? null : _metrics.ResponseSent,
            _logger);

    /// <summary>RFC 3261 §17.2.3: branch + sent-by + method with the magic cookie; the RFC 2543 fallback otherwise.</summary>
    private static SipTransactionKey KeyOf(SipRequest request)
    {
        var top = request.TopVia;
        if (SipTransactionKey.HasMagicCookie(top.Branch))
        {
            return SipTransactionKey.ForRfc3261(top.Branch!, top.SentBy, request.Method);
        }

        return SipTransactionKey.ForRfc2543(request.RequestUri, request.To.Tag, request.From.Tag, request.CallId, request.CSeq.ToString(), top.ToString());
    }

    private SipFinalAnswer? Check(SipRequest request)
    {
        var method = request.Method;
        if (_draining)
        {
            return new SipFinalAnswer(503, "Service Unavailable (Shutting Down)") { Headers = RetryAfter() };
        }

        if (request.MaxForwards == 0 && method != SipMethods.Options)
        {
            return new SipFinalAnswer(483, "Too Many Hops");
        }

        if (method == SipMethods.Cancel)
        {
            // §9.2: 200 when the CANCEL matches a transaction (the original is left to finish: a non-INVITE cannot
            // be cancelled), 481 otherwise.
            var top = request.TopVia;
            var matched = SipTransactionKey.HasMagicCookie(top.Branch)
                && request.CSeq.Method == SipMethods.Cancel
                && (_transactions.TryGet(SipTransactionKey.ForRfc3261(top.Branch!, top.SentBy, SipMethods.Message), out _)
                    || _transactions.TryGet(SipTransactionKey.ForRfc3261(top.Branch!, top.SentBy, SipMethods.Options), out _));
            return matched ? SipFinalAnswer.Ok() : new SipFinalAnswer(481, "Call/Transaction Does Not Exist");
        }

        if (method != SipMethods.Message && method != SipMethods.Options)
        {
            return new SipFinalAnswer(405, "Method Not Allowed") { Headers = [new(SipHeaderNames.Allow, Allow)] };
        }

        var unsupported = request.Require.Where(tag => !_supported.Contains(tag)).ToList();
        if (unsupported.Count > 0)
        {
            // Only the unsupported tags are listed (RFC 3261 §8.2.2.3).
            return new SipFinalAnswer(420, "Bad Extension") { Headers = [new(SipHeaderNames.Unsupported, string.Join(", ", unsupported))] };
        }

        if (method == SipMethods.Message)
        {
            var contentType = request.ContentType;
            if (contentType is null)
            {
                return request.Body.IsEmpty ? null : new SipFinalAnswer(400, "Bad Request (Missing Content-Type)");
            }

            var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
            var mediaType = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
            if (!_accepted.Contains(mediaType))
            {
                return new SipFinalAnswer(415, "Unsupported Media Type") { Headers = [new(SipHeaderNames.Accept, _accept)] };
            }
        }

        return null;
    }

    private SipFinalAnswer OptionsAnswer() =>
        new(200, "OK")
        {
            Headers =
            [
                new(SipHeaderNames.Allow, Allow),
                new(SipHeaderNames.Accept, _accept),
                new(SipHeaderNames.AcceptEncoding, "identity"),
                new(SipHeaderNames.Supported, _supportedHeader),
            ],
        };

    private async Task RunHandlerAsync(SipRequest request, SipRequestContext context, NonInviteServerTransaction transaction, SipRequestEcho echo, IPEndPoint remote)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            using var timeout = new CancellationTokenSource(_options.MessageHandlerTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _abandon.Token);
            SipFinalAnswer answer;
            try
            {
                answer = await _handler.HandleAsync(request, context, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
            {
                answer = new SipFinalAnswer(503, "Service Unavailable (Shutting Down)") { Headers = RetryAfter() };
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                SipStackLog.HandlerTimedOut(_logger, context.TransactionKey, _options.MessageHandlerTimeout);
                answer = new SipFinalAnswer(504, "Server Time-out (No Answer In Time)");
            }
#pragma warning disable CA1031 // a handler bug must still end the transaction with an answer
            catch (Exception ex)
#pragma warning restore CA1031
            {
                SipStackLog.HandlerFailed(_logger, ex, context.TransactionKey);
                answer = new SipFinalAnswer(500, "Server Internal Error");
            }

            await AnswerAsync(transaction, echo, remote, answer, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // detached task: a fault is logged, never left unobserved
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SipStackLog.HandlerFailed(_logger, ex, context.TransactionKey);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private Task<bool> AnswerAsync(NonInviteServerTransaction transaction, SipRequestEcho echo, IPEndPoint remote, SipFinalAnswer answer, CancellationToken cancellationToken)
    {
        var bytes = echo.Write(answer.StatusCode, answer.ReasonPhrase, remote, _options.ServerName, answer.Headers, answer.Body, answer.ContentType);
        return transaction.SendFinalAsync(bytes, answer.StatusCode, cancellationToken);
    }

    private async ValueTask SendStatelessAsync(ISipResponseSink sink, SipRequestEcho echo, IPEndPoint remote, int status, string reason, IReadOnlyList<KeyValuePair<string, string>>? headers, CancellationToken cancellationToken)
    {
        var bytes = echo.Write(status, reason, remote, _options.ServerName, headers);
        if (await sink.SendAsync(bytes, cancellationToken).ConfigureAwait(false))
        {
            _metrics?.ResponseSent(echo.Method, status);
        }
    }

    private KeyValuePair<string, string>[] RetryAfter() =>
        [new(SipHeaderNames.RetryAfter, _options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}

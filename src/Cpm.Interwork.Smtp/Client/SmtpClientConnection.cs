using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Cpm.Interwork.Smtp.Framing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cpm.Interwork.Smtp.Client;

/// <summary>One SMTP client session (RFC 5321 §3, §4.1): command sequencing on top of the framing
/// layer. Not thread-safe: one transaction at a time (the pool guarantees it).</summary>
internal sealed class SmtpClientConnection : IAsyncDisposable
{
    private const int DataChunkSize = 64 * 1024;
    private readonly SmtpClientOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Stream _transport;
    private readonly CancellationTokenSource _timeout;
    private readonly ArrayBufferWriter<byte> _out = new(1024);
    private Stream _stream;
    private PipeReader _reader;
    private SmtpReplyReader _replies;
    private bool _needsReset;
    private bool _anyReplyThisSend;
    private bool _tlsEstablished;
    private readonly ILogger _logger;
    private readonly object _peer;

    private SmtpClientConnection(Stream transport, SmtpClientOptions options, TimeProvider timeProvider, ILogger logger, object peer)
    {
        _logger = logger;
        _peer = peer;
        _options = options;
        _timeProvider = timeProvider;
        _transport = transport;
        _stream = transport;
        _timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        (_reader, _replies) = CreateReaders(transport);
        Capabilities = SmtpServerCapabilities.Helo;
    }

    public SmtpServerCapabilities Capabilities { get; private set; }

    public bool IsSecure => _stream is SslStream;

    /// <summary>False once the conversation broke or the server said 421: the connection must go.</summary>
    public bool IsUsable { get; private set; } = true;

    public int Transactions { get; private set; }

    public long LastUsed { get; set; }

    /// <summary>The last send failed on I/O before any reply arrived: on a reused connection this
    /// means the server had closed it while idle, and the send can be retried on a new one.</summary>
    public bool FailedBeforeAnyReply { get; private set; }

    /// <summary>Opens TCP, then <see cref="HandshakeAsync"/>. A failure is a ConnectFailure result.</summary>
    public static async Task<(SmtpClientConnection? Connection, SmtpSendResult? Failure)> ConnectAsync(
        SmtpEndpoint endpoint, SmtpClientOptions options, TimeProvider timeProvider, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var policy = options.PolicyFor(endpoint);
        var (connection, failure) = await ConnectOnceAsync(endpoint, policy, options, timeProvider, logger, cancellationToken).ConfigureAwait(false);
        // Opportunistic TLS that fails in the handshake falls back to one plain-text connection
        // (RFC 7435 §3: never worse than no TLS); Required does not.
        if (failure is { IsTlsFailure: true } && policy == SmtpTlsPolicy.Opportunistic)
            return await ConnectOnceAsync(endpoint, SmtpTlsPolicy.Off, options, timeProvider, logger, cancellationToken).ConfigureAwait(false);
        return (connection, failure);
    }

    private static async Task<(SmtpClientConnection? Connection, SmtpSendResult? Failure)> ConnectOnceAsync(
        SmtpEndpoint endpoint, SmtpTlsPolicy policy, SmtpClientOptions options, TimeProvider timeProvider, ILogger logger, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using (var connectTimeout = new CancellationTokenSource(options.ConnectTimeout, timeProvider))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connectTimeout.Token))
            {
                await socket.ConnectAsync(endpoint.Host, endpoint.Port, linked.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            return (null, new SmtpSendResult(SmtpSendResultKind.ConnectFailure, [], null, $"Cannot connect to {endpoint}: {e.Message}"));
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return await HandshakeAsync(new NetworkStream(socket, ownsSocket: true), endpoint with { Tls = policy }, options, timeProvider, cancellationToken, logger).ConfigureAwait(false);
    }

    /// <summary>Greeting, EHLO (HELO when EHLO is refused), STARTTLS per policy. Takes ownership of
    /// <paramref name="transport"/>.</summary>
    public static async Task<(SmtpClientConnection? Connection, SmtpSendResult? Failure)> HandshakeAsync(
        Stream transport, SmtpEndpoint endpoint, SmtpClientOptions options, TimeProvider timeProvider, CancellationToken cancellationToken, ILogger? logger = null)
    {
        var connection = new SmtpClientConnection(transport, options, timeProvider, logger ?? NullLogger.Instance, endpoint);
        try
        {
            var failure = await connection.HandshakeCoreAsync(endpoint, options.PolicyFor(endpoint), cancellationToken).ConfigureAwait(false);
            if (failure is null) return (connection, null);
            await connection.DisposeAsync().ConfigureAwait(false);
            return (null, failure);
        }
        catch (Exception e) when (IsConnectionError(e) && !cancellationToken.IsCancellationRequested)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            return (null, new SmtpSendResult(SmtpSendResultKind.ConnectFailure, [], null, $"Session setup with {endpoint} failed: {Describe(e)}")
            {
                IsTlsFailure = connection.IsSecure && !connection._tlsEstablished,
            });
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5359", Justification = "Opportunistic TLS (RFC 7435) does not authenticate the server; Required validates unless the operator switched it off.")]
    private async Task<SmtpSendResult?> HandshakeCoreAsync(SmtpEndpoint endpoint, SmtpTlsPolicy policy, CancellationToken cancellationToken)
    {
        var greeting = await ReadReplyAsync(_options.GreetingTimeout, cancellationToken).ConfigureAwait(false);
        if (greeting.Code != SmtpReplyCode.ServiceReady) return ConnectFailure(greeting, $"{endpoint} greeted with {greeting}");
        var hello = await HelloAsync(cancellationToken).ConfigureAwait(false);
        if (hello is not null) return ConnectFailure(hello, $"{endpoint} refused EHLO and HELO: {hello}");
        if (policy == SmtpTlsPolicy.Off) return null;
        if (!Capabilities.StartTls)
        {
            return policy == SmtpTlsPolicy.Required
                ? ConnectFailure(null, $"{endpoint} does not offer STARTTLS and the TLS policy is Required")
                : null;
        }

        Command("STARTTLS");
        await FlushAsync(_options.GreetingTimeout, cancellationToken).ConfigureAwait(false);
        var ready = await ReadReplyAsync(_options.GreetingTimeout, cancellationToken).ConfigureAwait(false);
        if (ready.Code != SmtpReplyCode.ServiceReady)
        {
            return policy == SmtpTlsPolicy.Required
                ? ConnectFailure(ready, $"{endpoint} refused STARTTLS: {ready}")
                : null;
        }

        // RFC 3207 §5 / CVE-2011-0411: nothing may follow the 220 in plain text.
        if (_replies.HasBufferedData) throw new SmtpProtocolException("The server sent data after its STARTTLS 220 reply.");
        await _reader.CompleteAsync().ConfigureAwait(false);
        var ssl = new SslStream(_transport, leaveInnerStreamOpen: true);
        _stream = ssl;
        (_reader, _replies) = CreateReaders(ssl);
        var validation = policy == SmtpTlsPolicy.Opportunistic || !_options.ValidateServerCertificate
            ? (_, _, _, _) => true
            : _options.ServerCertificateValidation;
        _timeout.CancelAfter(_options.GreetingTimeout);
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timeout.Token))
        {
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions { TargetHost = endpoint.Host, RemoteCertificateValidationCallback = validation },
                linked.Token).ConfigureAwait(false);
        }

        _timeout.CancelAfter(Timeout.InfiniteTimeSpan);
        _tlsEstablished = true;
        var again = await HelloAsync(cancellationToken).ConfigureAwait(false);
        return again is null ? null : ConnectFailure(again, $"{endpoint} refused EHLO after STARTTLS: {again}");
    }

    /// <summary>EHLO, or HELO when EHLO gets a 5yz (RFC 5321 §3.2). Returns the refusing reply.</summary>
    private async Task<SmtpReply?> HelloAsync(CancellationToken cancellationToken)
    {
        Command("EHLO " + _options.HeloName);
        await FlushAsync(_options.GreetingTimeout, cancellationToken).ConfigureAwait(false);
        var ehlo = await ReadReplyAsync(_options.GreetingTimeout, cancellationToken).ConfigureAwait(false);
        if (ehlo.IsPositiveCompletion)
        {
            Capabilities = SmtpServerCapabilities.FromEhlo(ehlo);
            return null;
        }

        if (!ehlo.IsPermanentNegative) return ehlo;
        Command("HELO " + _options.HeloName);
        await FlushAsync(_options.GreetingTimeout, cancellationToken).ConfigureAwait(false);
        var helo = await ReadReplyAsync(_options.GreetingTimeout, cancellationToken).ConfigureAwait(false);
        if (!helo.IsPositiveCompletion) return helo;
        Capabilities = SmtpServerCapabilities.Helo;
        return null;
    }

    /// <summary>One mail transaction (RFC 5321 §3.3), pipelined per RFC 2920 when offered.</summary>
    public async Task<SmtpSendResult> SendAsync(SmtpEnvelope envelope, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.Recipients.Count == 0) throw new ArgumentException("The envelope has no recipients.", nameof(envelope));
        var local = CheckLocally(envelope, message.Span);
        if (local is not null) return local;
        FailedBeforeAnyReply = false;
        _anyReplyThisSend = false;
        try
        {
            return await SendCoreAsync(envelope, message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsConnectionError(e) && !cancellationToken.IsCancellationRequested)
        {
            IsUsable = false;
            FailedBeforeAnyReply = !_anyReplyThisSend && e is IOException or SmtpProtocolException { ConnectionClosed: true };
            return new SmtpSendResult(SmtpSendResultKind.TransientFailure, [], null, $"Connection failed during the transaction: {Describe(e)}");
        }
        catch
        {
            IsUsable = false;
            throw;
        }
    }

    private SmtpSendResult? CheckLocally(SmtpEnvelope envelope, ReadOnlySpan<byte> message)
    {
        foreach (var address in envelope.Recipients.Prepend(envelope.MailFrom))
        {
            if (address.Length > 256 || address.Any(c => c <= ' ' || c > '~' || c is '<' or '>'))
                return Local($"The address '{address}' is not a printable ASCII mailbox without spaces or angle brackets.");
        }

        var bareLf = SmtpDotStuffing.IndexOfBareLineFeed(message);
        if (bareLf >= 0) return Local($"The message has a bare LF at offset {bareLf}; RFC 5321 §2.3.8 allows LF only in CRLF.");
        if (Capabilities.MaxSize is > 0 and var max && message.Length > max)
            return Local($"The message of {message.Length} bytes exceeds the server's SIZE limit of {max} bytes (RFC 1870).");
        if (!Capabilities.EightBitMime && message.ContainsAnyExceptInRange((byte)0, (byte)127))
            return Local("The message has 8-bit bytes and the server does not offer 8BITMIME (RFC 6152).");
        return null;

        static SmtpSendResult Local(string error) => new(SmtpSendResultKind.PermanentFailure, [], null, error, isLocal: true);
    }

    private async Task<SmtpSendResult> SendCoreAsync(SmtpEnvelope envelope, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        var caps = Capabilities;
        var pipelining = caps.Pipelining;
        // RSET between messages on a kept connection: whatever the last transaction left behind
        // (a refusal mid-way, a server that keeps state) starts clean; pipelined it costs no round trip.
        var resetSent = _needsReset;
        _needsReset = true;
        Transactions++;
        if (resetSent)
        {
            Command("RSET");
            if (!pipelining)
            {
                await FlushAsync(_options.GreetingTimeout, cancellationToken).ConfigureAwait(false);
                await ReadReplyAsync(_options.GreetingTimeout, cancellationToken).ConfigureAwait(false);
            }
        }

        var mail = new StringBuilder("MAIL FROM:<").Append(envelope.MailFrom).Append('>');
        if (caps.MaxSize is not null) mail.Append(CultureInfo.InvariantCulture, $" SIZE={message.Length}");
        if (caps.EightBitMime && message.Span.ContainsAnyExceptInRange((byte)0, (byte)127)) mail.Append(" BODY=8BITMIME");
        Command(mail.ToString());
        SmtpReply mailReply;
        var rcptReplies = new List<SmtpRecipientResult>(envelope.Recipients.Count);
        SmtpReply dataReply;
        if (pipelining)
        {
            foreach (var rcpt in envelope.Recipients) Command($"RCPT TO:<{rcpt}>");
            Command("DATA");
            await FlushAsync(_options.MailTimeout, cancellationToken).ConfigureAwait(false);
            if (resetSent) await ReadReplyAsync(_options.GreetingTimeout, cancellationToken).ConfigureAwait(false);
            mailReply = await ReadReplyAsync(_options.MailTimeout, cancellationToken).ConfigureAwait(false);
            foreach (var rcpt in envelope.Recipients)
                rcptReplies.Add(new SmtpRecipientResult(rcpt, await ReadReplyAsync(_options.RcptTimeout, cancellationToken).ConfigureAwait(false)));
            dataReply = await ReadReplyAsync(_options.DataInitiationTimeout, cancellationToken).ConfigureAwait(false);
            if (!mailReply.IsPositiveCompletion) return await AbandonAsync(Failure(mailReply, rcptReplies), dataReply, cancellationToken).ConfigureAwait(false);
            if (!rcptReplies.Any(r => r.Accepted)) return await AbandonAsync(NoRecipients(rcptReplies), dataReply, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await FlushAsync(_options.MailTimeout, cancellationToken).ConfigureAwait(false);
            mailReply = await ReadReplyAsync(_options.MailTimeout, cancellationToken).ConfigureAwait(false);
            if (!mailReply.IsPositiveCompletion) return Failure(mailReply, rcptReplies);
            foreach (var rcpt in envelope.Recipients)
            {
                Command($"RCPT TO:<{rcpt}>");
                await FlushAsync(_options.RcptTimeout, cancellationToken).ConfigureAwait(false);
                rcptReplies.Add(new SmtpRecipientResult(rcpt, await ReadReplyAsync(_options.RcptTimeout, cancellationToken).ConfigureAwait(false)));
            }

            if (!rcptReplies.Any(r => r.Accepted)) return NoRecipients(rcptReplies);
            Command("DATA");
            await FlushAsync(_options.DataInitiationTimeout, cancellationToken).ConfigureAwait(false);
            dataReply = await ReadReplyAsync(_options.DataInitiationTimeout, cancellationToken).ConfigureAwait(false);
        }

        if (dataReply.Code != SmtpReplyCode.StartMailInput) return Failure(dataReply, rcptReplies);
        SmtpDotStuffing.Write(message.Span, _out);
        await FlushAsync(_options.DataBlockTimeout, cancellationToken).ConfigureAwait(false);
        var final = await ReadReplyAsync(_options.DataTerminationTimeout, cancellationToken).ConfigureAwait(false);
        if (!final.IsPositiveCompletion) return Failure(final, rcptReplies);
        return new SmtpSendResult(
            rcptReplies.All(r => r.Accepted) ? SmtpSendResultKind.Sent : SmtpSendResultKind.PartiallySent, rcptReplies, final);
    }

    /// <summary>RFC 2920 §3.1: a 354 to a pipelined DATA after a refused MAIL or every RCPT refused
    /// gets a lone "." so the server leaves the data state.</summary>
    private async Task<SmtpSendResult> AbandonAsync(SmtpSendResult result, SmtpReply dataReply, CancellationToken cancellationToken)
    {
        if (dataReply.Code == SmtpReplyCode.StartMailInput)
        {
            _out.Write(".\r\n"u8);
            await FlushAsync(_options.DataBlockTimeout, cancellationToken).ConfigureAwait(false);
            await ReadReplyAsync(_options.DataTerminationTimeout, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    private static SmtpSendResult Failure(SmtpReply reply, IReadOnlyList<SmtpRecipientResult> recipients) =>
        new(reply.IsTransientNegative ? SmtpSendResultKind.TransientFailure : SmtpSendResultKind.PermanentFailure, recipients, reply);

    /// <summary>Every RCPT refused: transient when any refusal was, since a retry may then deliver.</summary>
    private static SmtpSendResult NoRecipients(List<SmtpRecipientResult> recipients)
    {
        var decisive = recipients.FirstOrDefault(r => r.Reply.IsTransientNegative) ?? recipients[0];
        return Failure(decisive.Reply, recipients);
    }

    public async ValueTask QuitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!IsUsable) return;
        try
        {
            Command("QUIT");
            await FlushAsync(timeout, cancellationToken).ConfigureAwait(false);
            await ReadReplyAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsConnectionError(e))
        {
            // The server may close first; QUIT is a courtesy.
        }

        IsUsable = false;
    }

    private void Command(string line)
    {
        SmtpLog.Wire(_logger, _peer, "C:", line);
        var span = _out.GetSpan(line.Length + 2);
        var n = Encoding.ASCII.GetBytes(line, span);
        span[n] = (byte)'\r';
        span[n + 1] = (byte)'\n';
        _out.Advance(n + 2);
    }

    private async ValueTask FlushAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var token = Arm(timeout, cancellationToken, out var linked);
        try
        {
            var data = _out.WrittenMemory;
            while (!data.IsEmpty)
            {
                var chunk = data[..Math.Min(DataChunkSize, data.Length)];
                await _stream.WriteAsync(chunk, token).ConfigureAwait(false);
                data = data[chunk.Length..];
                if (!data.IsEmpty) _timeout.CancelAfter(timeout);
            }

            await _stream.FlushAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SmtpProtocolException($"Timed out after {timeout} writing to the server.", e);
        }
        finally
        {
            Disarm(linked);
            _out.ResetWrittenCount();
        }
    }

    private async ValueTask<SmtpReply> ReadReplyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var token = Arm(timeout, cancellationToken, out var linked);
        try
        {
            var reply = await _replies.ReadReplyAsync(token).ConfigureAwait(false);
            SmtpLog.Wire(_logger, _peer, "S:", reply);
            // A 421 (server shutting the channel) does not count as an answer: a kept connection
            // that only got 421 then EOF was stale and the send may be retried on a new one.
            if (reply.Code == SmtpReplyCode.ServiceNotAvailable) IsUsable = false;
            else _anyReplyThisSend = true;
            return reply;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SmtpProtocolException($"Timed out after {timeout} waiting for a reply.", e);
        }
        finally
        {
            Disarm(linked);
        }
    }

    private CancellationToken Arm(TimeSpan timeout, CancellationToken cancellationToken, out CancellationTokenSource? linked)
    {
        if (_timeout.IsCancellationRequested) throw new SmtpProtocolException("The connection timed out earlier.");
        _timeout.CancelAfter(timeout);
        linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timeout.Token) : null;
        return linked?.Token ?? _timeout.Token;
    }

    private void Disarm(CancellationTokenSource? linked)
    {
        if (!_timeout.IsCancellationRequested) _timeout.CancelAfter(Timeout.InfiniteTimeSpan);
        linked?.Dispose();
    }

    private (PipeReader, SmtpReplyReader) CreateReaders(Stream stream)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 512, leaveOpen: true));
        return (reader, new SmtpReplyReader(new SmtpLineReader(reader, _options.MaxReplyLineLength)));
    }

    private static SmtpSendResult ConnectFailure(SmtpReply? reply, string error) =>
        new(SmtpSendResultKind.ConnectFailure, [], reply, error);

    internal static bool IsConnectionError(Exception e) =>
        e is IOException or SocketException or SmtpProtocolException or AuthenticationException or ObjectDisposedException or OperationCanceledException;

    private static string Describe(Exception e) => e is SmtpProtocolException ? e.Message : $"{e.GetType().Name}: {e.Message}";

    public async ValueTask DisposeAsync()
    {
        IsUsable = false;
        await _reader.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        if (!ReferenceEquals(_stream, _transport)) await _transport.DisposeAsync().ConfigureAwait(false);
        _timeout.Dispose();
        _ = _timeProvider;
    }
}

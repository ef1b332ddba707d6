using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Cpm.Interwork.Smtp.Framing;
using Microsoft.Extensions.Logging;

namespace Cpm.Interwork.Smtp.Server;

/// <summary>One server-side SMTP session (RFC 5321 §4.1): reads command lines, checks each against
/// <see cref="SmtpStateTable"/>, answers; replies to pipelined commands are flushed together once
/// the client's buffered input is used up (RFC 2920 §3.2).</summary>
internal sealed class SmtpServerSession : IAsyncDisposable
{
    private static readonly SmtpReply s_ok = new(250, new(2, 0, 0), "OK");
    private static readonly SmtpReply s_senderOk = new(250, new(2, 1, 0), "Sender OK");
    private static readonly SmtpReply s_recipientOk = new(250, new(2, 1, 5), "Recipient OK");
    private static readonly SmtpReply s_startData = new(354, null, "Start mail input; end with <CRLF>.<CRLF>");
    private static readonly SmtpReply s_bye = new(221, new(2, 0, 0), "Service closing transmission channel");
    private static readonly SmtpReply s_help = new(214, new(2, 0, 0), "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP STARTTLS; see RFC 5321");
    private static readonly SmtpReply s_vrfy = new(252, new(2, 0, 0), "Cannot VRFY user, but will accept message and attempt delivery");
    private static readonly SmtpReply s_tlsReady = new(220, new(2, 0, 0), "Ready to start TLS");

    private readonly SmtpServerOptions _options;
    private readonly IMessageSink _sink;
    private readonly X509Certificate2? _certificate;
    private readonly ILogger _logger;
    private readonly IPEndPoint _remote;
    private readonly Stream _transport;
    private readonly CancellationToken _stopping;
    private readonly CancellationToken _abort;
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenSource _commandCts;
    private readonly CancellationTokenSource _dataCts;
    private readonly ArrayBufferWriter<byte> _out = new(512);
    private readonly SmtpMessageBuffer _data;
    private readonly List<string> _recipients = [];
    private readonly HashSet<string> _localDomains;
    private Stream _stream;
    private PipeReader _reader;
    private SmtpLineReader _lines;
    private SmtpSessionState _state = SmtpSessionState.Connected;
    private string _helo = "";
    private string _mailFrom = "";
    private bool _eightBit;
    private int _errors;

    public SmtpServerSession(
        SmtpServerOptions options, IMessageSink sink, X509Certificate2? certificate, Stream transport, IPEndPoint remote,
        TimeProvider timeProvider, ILogger logger, CancellationToken stopping, CancellationToken abort)
    {
        _options = options;
        _sink = sink;
        _certificate = certificate;
        _transport = transport;
        _stream = transport;
        _remote = remote;
        _logger = logger;
        _stopping = stopping;
        _abort = abort;
        _timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        _commandCts = CancellationTokenSource.CreateLinkedTokenSource(stopping, abort, _timeout.Token);
        _dataCts = CancellationTokenSource.CreateLinkedTokenSource(abort, _timeout.Token);
        _data = new SmtpMessageBuffer(options.MaxMessageSize);
        _localDomains = new HashSet<string>(options.LocalDomains, StringComparer.OrdinalIgnoreCase);
        (_reader, _lines) = CreateReaders(transport);
    }

    public SmtpSessionState State => _state;

    /// <summary>Runs the session to its end; never throws for peer behaviour or I/O.</summary>
    public async Task RunAsync(bool peerAllowed, bool overCapacity)
    {
        var reason = "closed by the client";
        try
        {
            if (!peerAllowed || overCapacity)
            {
                var refusal = peerAllowed ? SmtpRejectionReason.TooManyConnections : SmtpRejectionReason.PeerNotAllowed;
                Reply(SmtpRejections.ToReply(refusal));
                SmtpMetrics.ServerRejections.Add(1, new KeyValuePair<string, object?>("reason", refusal.ToString()));
                await FlushAsync(_commandCts.Token).ConfigureAwait(false);
                reason = peerAllowed ? "over capacity" : "peer not allowed";
                return;
            }

            Reply(new SmtpReply(SmtpReplyCode.ServiceReady, null, $"{_options.ServerName} ESMTP Cpm.Interwork ready"));
            reason = await LoopAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            reason = "aborted";
        }
        catch (OperationCanceledException)
        {
            var why = _stopping.IsCancellationRequested ? SmtpRejectionReason.ShuttingDown : SmtpRejectionReason.Timeout;
            reason = why.ToString();
            await TryFinalReplyAsync(SmtpRejections.ToReply(why)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Security.Authentication.AuthenticationException or InvalidOperationException)
        {
            reason = e.Message;
        }
        finally
        {
            SmtpLog.SessionEnded(_logger, _remote, reason);
        }
    }

    private async Task<string> LoopAsync()
    {
        while (true)
        {
            if (!_lines.HasBufferedData) await FlushAsync(_commandCts.Token).ConfigureAwait(false);
            _timeout.CancelAfter(_options.CommandTimeout);
            var line = await _lines.ReadLineAsync(_commandCts.Token).ConfigureAwait(false);
            _timeout.CancelAfter(Timeout.InfiniteTimeSpan);
            SmtpRejectionReason rejection;
            SmtpCommand? command = null;
            switch (line.Status)
            {
                case SmtpLineStatus.EndOfStream: return "closed by the client";
                case SmtpLineStatus.TooLong: rejection = SmtpRejectionReason.LineTooLong; break;
                default:
                    if (_logger.IsEnabled(LogLevel.Trace)) SmtpLog.Wire(_logger, _remote, "C:", System.Text.Encoding.Latin1.GetString(line.Content.Span));
                    rejection = SmtpCommandParser.TryParse(line.Content.Span, out var parsed);
                    if (rejection == SmtpRejectionReason.None)
                    {
                        command = parsed;
                        if (!SmtpStateTable.IsAllowed(_state, parsed.Verb)) rejection = SmtpStateTable.Refusal(_state, parsed.Verb);
                    }

                    break;
            }

            if (rejection == SmtpRejectionReason.None)
            {
                rejection = await ExecuteAsync(command!).ConfigureAwait(false);
                if (command!.Verb == SmtpVerb.Quit) return "QUIT";
                if (rejection == SmtpRejectionReason.None) continue;
            }

            Reply(SmtpRejections.ToReply(rejection));
            SmtpMetrics.ServerRejections.Add(1, new KeyValuePair<string, object?>("reason", rejection.ToString()));
            if (SmtpRejections.CountsAsError(rejection) && ++_errors >= _options.MaxErrors)
            {
                Reply(SmtpRejections.ToReply(SmtpRejectionReason.TooManyErrors));
                await FlushAsync(_commandCts.Token).ConfigureAwait(false);
                return "too many errors";
            }

            if (rejection == SmtpRejectionReason.Timeout) return "data timeout";
        }
    }

    /// <summary>Runs an allowed command; returns a rejection to answer, or None when it answered.</summary>
    private async ValueTask<SmtpRejectionReason> ExecuteAsync(SmtpCommand command)
    {
        switch (command.Verb)
        {
            case SmtpVerb.Ehlo:
            case SmtpVerb.Helo:
                ResetTransaction();
                _helo = command.Domain!;
                _state = SmtpSessionState.Ready;
                Reply(command.Verb == SmtpVerb.Helo ? new SmtpReply(250, null, _options.ServerName) : EhloReply());
                return SmtpRejectionReason.None;
            case SmtpVerb.Mail:
                if (command.Size > _options.MaxMessageSize) return SmtpRejectionReason.DeclaredSizeTooLarge;
                _mailFrom = command.Mailbox?.ToString() ?? "";
                _eightBit = command.EightBitMime;
                _state = SmtpSessionState.MailFrom;
                Reply(s_senderOk);
                return SmtpRejectionReason.None;
            case SmtpVerb.Rcpt:
                if (_recipients.Count >= _options.MaxRecipients) return SmtpRejectionReason.TooManyRecipients;
                var mailbox = command.Mailbox!;
                // Never an open relay: only the gateway's own MMSE domains, never an address literal.
                if (mailbox.IsAddressLiteral || !_localDomains.Contains(mailbox.Domain)) return SmtpRejectionReason.RelayDenied;
                _recipients.Add(mailbox.ToString());
                _state = SmtpSessionState.RcptTo;
                Reply(s_recipientOk);
                return SmtpRejectionReason.None;
            case SmtpVerb.Data:
                return await ReceiveDataAsync().ConfigureAwait(false);
            case SmtpVerb.Rset:
                ResetTransaction();
                if (_state != SmtpSessionState.Connected) _state = SmtpSessionState.Ready;
                Reply(s_ok);
                return SmtpRejectionReason.None;
            case SmtpVerb.Noop:
                Reply(s_ok);
                return SmtpRejectionReason.None;
            case SmtpVerb.Help:
                Reply(s_help);
                return SmtpRejectionReason.None;
            case SmtpVerb.Vrfy:
                Reply(s_vrfy);
                return SmtpRejectionReason.None;
            case SmtpVerb.Quit:
                Reply(s_bye);
                await FlushAsync(_commandCts.Token).ConfigureAwait(false);
                return SmtpRejectionReason.None;
            case SmtpVerb.StartTls:
                if (_stream is SslStream) return SmtpRejectionReason.TlsAlreadyActive;
                if (_certificate is null) return SmtpRejectionReason.TlsNotAvailable;
                await StartTlsAsync().ConfigureAwait(false);
                return SmtpRejectionReason.None;
            default:
                return SmtpRejectionReason.UnknownCommand;
        }
    }

    private SmtpReply EhloReply()
    {
        var lines = new List<string>(7)
        {
            $"{_options.ServerName} greets {_helo}",
            "PIPELINING",
            FormattableString.Invariant($"SIZE {_options.MaxMessageSize}"),
            "8BITMIME",
            "ENHANCEDSTATUSCODES",
        };
        if (_certificate is not null && _stream is not SslStream) lines.Add("STARTTLS");
        return new SmtpReply(250, null, lines);
    }

    /// <summary>DATA (RFC 5321 §4.1.1.4): 354, the streamed body under the size cap, then the sink.</summary>
    private async ValueTask<SmtpRejectionReason> ReceiveDataAsync()
    {
        Reply(s_startData);
        await FlushAsync(_commandCts.Token).ConfigureAwait(false);
        _data.Reset();
        var result = await SmtpDataReader.ReadAsync(_reader, _data, ArmData, _dataCts.Token).ConfigureAwait(false);
        _timeout.CancelAfter(Timeout.InfiniteTimeSpan);
        try
        {
            switch (result.Status)
            {
                case SmtpDataStatus.EndOfStream: throw new IOException("The client closed the connection during DATA.");
                case SmtpDataStatus.TooLarge: return SmtpRejectionReason.MessageTooLarge;
            }

            var message = new SmtpReceivedMessage(_remote, _helo, _mailFrom, [.. _recipients], _data.Written.ToArray(), _stream is SslStream, _eightBit);
            SmtpReply reply;
            try
            {
                reply = await _sink.DeliverAsync(message, _abort).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !_abort.IsCancellationRequested)
            {
                SmtpLog.SinkFailed(_logger, e, _remote);
                return SmtpRejectionReason.SinkFailed;
            }

            if (reply is null || reply.IsPositiveIntermediate) return SmtpRejectionReason.SinkUnavailable;
            Reply(reply);
            SmtpMetrics.ServerMessages.Add(1, new KeyValuePair<string, object?>("class", reply.Code / 100));
            return SmtpRejectionReason.None;
        }
        finally
        {
            ResetTransaction();
            _state = SmtpSessionState.Ready;
        }
    }

    private CancellationToken ArmData()
    {
        _timeout.CancelAfter(_options.DataTimeout);
        return _dataCts.Token;
    }

    /// <summary>RFC 3207 §4.2: 220, then the handshake; input pipelined after STARTTLS is discarded
    /// and the session starts over (EHLO again).</summary>
    private async Task StartTlsAsync()
    {
        Reply(s_tlsReady);
        await FlushAsync(_commandCts.Token).ConfigureAwait(false);
        await _reader.CompleteAsync().ConfigureAwait(false);
        var ssl = new SslStream(_transport, leaveInnerStreamOpen: true);
        _stream = ssl;
        _timeout.CancelAfter(_options.CommandTimeout);
        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _commandCts.Token).ConfigureAwait(false);
        _timeout.CancelAfter(Timeout.InfiniteTimeSpan);
        (_reader, _lines) = CreateReaders(ssl);
        ResetTransaction();
        _helo = "";
        _state = SmtpSessionState.Connected;
    }

    private void ResetTransaction()
    {
        _mailFrom = "";
        _eightBit = false;
        _recipients.Clear();
    }

    private void Reply(SmtpReply reply)
    {
        SmtpLog.Wire(_logger, _remote, "S:", reply);
        reply.WriteTo(_out);
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_out.WrittenCount == 0) return;
        _timeout.CancelAfter(_options.CommandTimeout);
        await _stream.WriteAsync(_out.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        _timeout.CancelAfter(Timeout.InfiniteTimeSpan);
        _out.ResetWrittenCount();
    }

    private async Task TryFinalReplyAsync(SmtpReply reply)
    {
        try
        {
            _out.ResetWrittenCount();
            Reply(reply);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _stream.WriteAsync(_out.WrittenMemory, cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The peer is gone or stuck; closing is all that is left.
        }
    }

    private (PipeReader, SmtpLineReader) CreateReaders(Stream stream)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true));
        return (reader, new SmtpLineReader(reader, _options.MaxCommandLineLength));
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        if (!ReferenceEquals(_stream, _transport)) await _transport.DisposeAsync().ConfigureAwait(false);
        _commandCts.Dispose();
        _dataCts.Dispose();
        _timeout.Dispose();
    }
}

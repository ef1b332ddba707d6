using System.Net;
using Cpm.Interwork.Sip.Stack.Transactions;
using Microsoft.Extensions.Logging;

namespace Cpm.Interwork.Sip.Stack;

/// <summary>Every log line of the SIP stack, as source-generated delegates (no boxing, no parsing of templates).</summary>
internal static partial class SipStackLog
{
    [LoggerMessage(1, LogLevel.Error, "Transaction {Key}: timer event {Event} failed")]
    public static partial void TimerEventFailed(ILogger logger, Exception exception, SipTransactionKey key, NonInviteServerEvent @event);

    [LoggerMessage(2, LogLevel.Warning, "Send from {Listener} to {Target} failed")]
    public static partial void SendFailed(ILogger logger, Exception exception, Transport.SipListenEndpoint listener, EndPoint target);

    [LoggerMessage(3, LogLevel.Debug, "Receive on {Listener} reported an error; listening on")]
    public static partial void ReceiveFailed(ILogger logger, Exception exception, Transport.SipListenEndpoint listener);

    [LoggerMessage(4, LogLevel.Error, "Handling a datagram on {Listener} from {Remote} failed (a bug); listening on")]
    public static partial void DatagramFailed(ILogger logger, Exception exception, Transport.SipListenEndpoint listener, EndPoint remote);

    [LoggerMessage(5, LogLevel.Warning, "Connection on {Listener} from {Remote} refused: {Max} connections already open (Sip:MaxTcpConnections)")]
    public static partial void ConnectionRefused(ILogger logger, Transport.SipListenEndpoint listener, EndPoint? remote, int max);

    [LoggerMessage(6, LogLevel.Warning, "Connection from {Remote} closed: {Buffered} bytes buffered without a complete message")]
    public static partial void ConnectionOverLimit(ILogger logger, EndPoint remote, int buffered);

    [LoggerMessage(7, LogLevel.Debug, "Connection from {Remote} closed after {Idle} idle (Sip:TcpIdleTimeoutSeconds)")]
    public static partial void ConnectionIdle(ILogger logger, EndPoint remote, TimeSpan idle);

    [LoggerMessage(8, LogLevel.Debug, "Connection from {Remote} failed")]
    public static partial void ConnectionFailed(ILogger logger, Exception exception, EndPoint remote);

    [LoggerMessage(9, LogLevel.Error, "Connection from {Remote} failed (a bug); the listener goes on")]
    public static partial void ConnectionBug(ILogger logger, Exception exception, EndPoint remote);

    [LoggerMessage(10, LogLevel.Warning, "Transaction table full ({Max}, Sip:MaxTransactions): {Method} from {Remote} answered 503")]
    public static partial void TransactionTableFull(ILogger logger, int max, string method, EndPoint remote);

    [LoggerMessage(11, LogLevel.Debug, "Dropped unanswerable input from {Remote}: {Reason} at byte {Offset} (no request line or no readable Via)")]
    public static partial void Unanswerable(ILogger logger, EndPoint remote, SipRejectionReason reason, long offset);

    [LoggerMessage(12, LogLevel.Information, "Rejected {Method} from {Remote}: {Reason} at byte {Offset}")]
    public static partial void Rejected(ILogger logger, EndPoint remote, string method, SipRejectionReason reason, long offset);

    [LoggerMessage(13, LogLevel.Warning, "Transaction {Key}: the MESSAGE handler gave no answer within {Timeout}; answered 504")]
    public static partial void HandlerTimedOut(ILogger logger, SipTransactionKey key, TimeSpan timeout);

    [LoggerMessage(14, LogLevel.Error, "Transaction {Key}: the MESSAGE handler failed (a bug); answered 500")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, SipTransactionKey key);

    [LoggerMessage(15, LogLevel.Debug, "Dropped a response from {Remote}: the gateway sends no requests yet")]
    public static partial void StrayResponse(ILogger logger, EndPoint remote);

    [LoggerMessage(16, LogLevel.Information, "SIP listening on {Endpoint}")]
    public static partial void Listening(ILogger logger, Transport.SipListenEndpoint endpoint);

    [LoggerMessage(17, LogLevel.Information, "SIP draining: {InFlight} MESSAGE transactions in flight, waiting up to {Timeout}")]
    public static partial void Draining(ILogger logger, int inFlight, TimeSpan timeout);

    [LoggerMessage(18, LogLevel.Warning, "SIP drain time over: {InFlight} MESSAGE transactions answered 503 with Retry-After")]
    public static partial void DrainAbandoned(ILogger logger, int inFlight);

    [LoggerMessage(19, LogLevel.Information, "SIP stopped")]
    public static partial void Stopped(ILogger logger);
}

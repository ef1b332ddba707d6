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
}

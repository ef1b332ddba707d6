namespace Cpm.Interwork.Gateway.Interworking;

/// <summary>
/// One structured event per lifecycle step of a CPM→MMS message, each carrying the correlation keys as properties
/// (CallId, ImdnMessageId, TransactionId, MessageId). Bodies are never logged; numbers go through <see cref="NumberMask"/>.
/// </summary>
internal static partial class InterworkLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "MESSAGE received CallId={CallId} From={Sender} To={RequestUri} via {Transport} ({BodyBytes} body bytes)")]
    public static partial void Received(ILogger logger, string callId, string? sender, string requestUri, string transport, int bodyBytes);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "MESSAGE mapped CallId={CallId} ImdnMessageId={ImdnMessageId} MessageId={MessageId} Sender={Sender} Recipients={Recipients}")]
    public static partial void Mapped(ILogger logger, string callId, string? imdnMessageId, string messageId, string? sender, string recipients);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "MESSAGE not mapped CallId={CallId}: {Error} {Detail}")]
    public static partial void NotMapped(ILogger logger, string callId, string error, string? detail);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Recipient routed CallId={CallId} ImdnMessageId={ImdnMessageId} Recipient={Recipient} Status={RouteStatus} Domain={Domain} Source={RouteSource} Relays={Relays}")]
    public static partial void Routed(ILogger logger, string callId, string? imdnMessageId, string? recipient, string routeStatus, string? domain, string routeSource, string relays);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Forward persisted CallId={CallId} ImdnMessageId={ImdnMessageId} TransactionId={TransactionId} MessageId={MessageId} Mmse={Domain} Recipients={Recipients} StoreId={StoreId}")]
    public static partial void Persisted(ILogger logger, string? callId, string? imdnMessageId, string? transactionId, string? messageId, string? domain, string recipients, long storeId);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "Repeated MESSAGE CallId={CallId} ImdnMessageId={ImdnMessageId}: no new MM4_forward.REQ, answering with the outcome of TransactionIds={TransactionId}")]
    public static partial void Duplicate(ILogger logger, string callId, string? imdnMessageId, string transactionId);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "MM4_forward.REQ sent CallId={CallId} ImdnMessageId={ImdnMessageId} TransactionId={TransactionId} MessageId={MessageId} Relay={Relay} Attempt={Attempt} Reply={Reply}")]
    public static partial void Sent(ILogger logger, string? callId, string? imdnMessageId, string? transactionId, string? messageId, string relay, int attempt, string reply);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning, Message = "MM4_forward.REQ not sent CallId={CallId} ImdnMessageId={ImdnMessageId} TransactionId={TransactionId} MessageId={MessageId} Relay={Relay} Attempt={Attempt}: {Result}")]
    public static partial void SendFailed(ILogger logger, string? callId, string? imdnMessageId, string? transactionId, string? messageId, string relay, int attempt, string result);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Information, Message = "MM4_forward.RES received CallId={CallId} ImdnMessageId={ImdnMessageId} TransactionId={TransactionId} MessageId={MessageId} Status={RequestStatus} StatusText={StatusText} Late={Late}")]
    public static partial void ResponseReceived(ILogger logger, string? callId, string? imdnMessageId, string transactionId, string? messageId, string requestStatus, string? statusText, bool late);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "MESSAGE answered CallId={CallId} ImdnMessageId={ImdnMessageId} TransactionId={TransactionId} MessageId={MessageId} Status={StatusCode} {ReasonPhrase} after {ElapsedMs} ms")]
    public static partial void Answered(ILogger logger, string callId, string? imdnMessageId, string? transactionId, string? messageId, int statusCode, string reasonPhrase, long elapsedMs);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "Late outcome recorded CallId={CallId} ImdnMessageId={ImdnMessageId} TransactionId={TransactionId} MessageId={MessageId} Status={RequestStatus} (the SIP answer was already given)")]
    public static partial void LateOutcome(ILogger logger, string? callId, string? imdnMessageId, string transactionId, string? messageId, string requestStatus);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "MM4_forward.RES for an unknown TransactionId={TransactionId} MessageId={MessageId} Status={RequestStatus}: stored nowhere, answered 250")]
    public static partial void UnknownResponse(ILogger logger, string transactionId, string? messageId, string requestStatus);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Information, Message = "Forward expired TransactionId={TransactionId} MessageId={MessageId} CallId={CallId} without a definitive outcome")]
    public static partial void Expired(ILogger logger, string? transactionId, string? messageId, string? callId);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Information, Message = "Forward resumed by the worker TransactionId={TransactionId} MessageId={MessageId} CallId={CallId} State={State} Attempts={Attempts}")]
    public static partial void Resumed(ILogger logger, string? transactionId, string? messageId, string? callId, string state, int attempts);

    [LoggerMessage(EventId = 4015, Level = LogLevel.Information, Message = "Inbound MM4 {MessageType} TransactionId={TransactionId} MessageId={MessageId} from {MailFrom} stored as {Handling}")]
    public static partial void Inbound(ILogger logger, string messageType, string? transactionId, string? messageId, string? mailFrom, string handling);

    [LoggerMessage(EventId = 4016, Level = LogLevel.Warning, Message = "Inbound mail refused from {MailFrom}: {Problem}")]
    public static partial void InboundRefused(ILogger logger, string? mailFrom, string problem);

    [LoggerMessage(EventId = 4017, Level = LogLevel.Error, Message = "Forward worker pass failed; retrying at the next poll")]
    public static partial void WorkerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4018, Level = LogLevel.Information, Message = "CPM→MMS interworking on: MMSE domains {Domains}, Originator-System {OriginatorSystem}, ResponseWait {ResponseWait}, no-RES policy {Policy}, store {Provider}")]
    public static partial void Enabled(ILogger logger, string domains, string originatorSystem, TimeSpan responseWait, string policy, string provider);

    [LoggerMessage(EventId = 4019, Level = LogLevel.Warning, Message = "CPM→MMS interworking off: Mm4:Domains is empty, MESSAGE is answered 480 (see docs/configuration.md)")]
    public static partial void Disabled(ILogger logger);
}

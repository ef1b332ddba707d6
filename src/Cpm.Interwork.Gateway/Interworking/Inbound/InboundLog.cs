namespace Cpm.Interwork.Gateway.Interworking.Inbound;

/// <summary>Lifecycle log events of the MMS → CPM direction (event ids 2300–2349), with the correlation keys; never bodies.</summary>
internal static partial class InboundLog
{
    [LoggerMessage(EventId = 2300, Level = LogLevel.Information, Message = "MM4_forward.REQ accepted for delivery to CPM: TransactionId={TransactionId} MessageId={MessageId} recipients={Recipients} repeated={Repeated} res={ResOwed}")]
    public static partial void Accepted(ILogger logger, string transactionId, string messageId, int recipients, int repeated, bool resOwed);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "MM4_forward.REQ unreadable, answered by MM4_forward.RES: TransactionId={TransactionId} MessageId={MessageId} error={Error}")]
    public static partial void Corrupt(ILogger logger, string transactionId, string messageId, string error);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Information, Message = "SIP delivery attempt {Attempt}: MessageId={MessageId} imdn.Message-ID={ImdnMessageId} recipient={Recipient} result={Result} outcome={Outcome}")]
    public static partial void Attempted(ILogger logger, int attempt, string messageId, string imdnMessageId, string recipient, string result, string outcome);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Information, Message = "delivery to CPM finished: MessageId={MessageId} recipient={Recipient} state={State} RES status={Status} MM status={MmStatus}")]
    public static partial void Finished(ILogger logger, string messageId, string recipient, string state, string status, string mmStatus);

    [LoggerMessage(EventId = 2304, Level = LogLevel.Information, Message = "MM4_forward.RES status decided: TransactionId={TransactionId} status={Status}")]
    public static partial void ResponseDecided(ILogger logger, string transactionId, string status);

    [LoggerMessage(EventId = 2305, Level = LogLevel.Information, Message = "{Type} sent: TransactionId={TransactionId} MessageId={MessageId} to={To} status={Status} reply={Reply}")]
    public static partial void AnswerSent(ILogger logger, string type, string transactionId, string messageId, string to, string status, string reply);

    [LoggerMessage(EventId = 2306, Level = LogLevel.Warning, Message = "{Type} not sent: TransactionId={TransactionId} MessageId={MessageId} problem={Problem} final={Final}")]
    public static partial void AnswerFailed(ILogger logger, string type, string transactionId, string messageId, string problem, bool final);

    [LoggerMessage(EventId = 2307, Level = LogLevel.Information, Message = "MM4_delivery_report.RES: TransactionId={TransactionId} status={Status} matched={Matched}")]
    public static partial void ReportResponse(ILogger logger, string transactionId, string status, bool matched);

    [LoggerMessage(EventId = 2308, Level = LogLevel.Error, Message = "inbound worker pass failed")]
    public static partial void WorkerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2309, Level = LogLevel.Information, Message = "MMS→CPM on: outbound proxy {Proxy}, UDP below {UdpMaxBytes} bytes, T1 {T1}, response wait {ResponseWait}")]
    public static partial void Enabled(ILogger logger, string proxy, int udpMaxBytes, TimeSpan t1, TimeSpan responseWait);
}

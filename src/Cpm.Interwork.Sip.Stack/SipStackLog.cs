using System.Net;
using Cpm.Interwork.Sip.Stack.Transactions;
using Microsoft.Extensions.Logging;

namespace Cpm.Interwork.Sip.Stack;

/// <summary>Every log line of the SIP stack, as source-generated delegates (no boxing, no parsing of templates).</summary>
internal static partial class SipStackLog
{
    [LoggerMessage(1, LogLevel.Error, "Transaction {Key}: timer event {Event} failed")]
    public static partial void TimerEventFailed(ILogger logger, Exception exception, SipTransactionKey key, NonInviteServerEvent @event);
}

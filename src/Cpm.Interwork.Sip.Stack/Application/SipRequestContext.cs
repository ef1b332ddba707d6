using System.Net;
using Cpm.Interwork.Sip.Stack.Transactions;
using Cpm.Interwork.Sip.Stack.Transport;

namespace Cpm.Interwork.Sip.Stack;

/// <summary>Where and when a request arrived; handed to the application with the request.</summary>
public sealed record SipRequestContext(
    SipTransportKind Transport,
    IPEndPoint Local,
    IPEndPoint Remote,
    SipTransactionKey TransactionKey,
    DateTimeOffset ReceivedAt);

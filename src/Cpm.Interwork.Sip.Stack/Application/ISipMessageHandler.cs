namespace Cpm.Interwork.Sip.Stack;

/// <summary>
/// The application seam for SIP MESSAGE (RFC 3428). The stack calls it once per server transaction — never for a
/// retransmission — after the request passed every check (Max-Forwards, Require, Content-Type against
/// <see cref="SipStackOptions.AcceptedContentTypes"/>). It may take its time (the interworking core keeps the
/// transaction open while it waits for an MM4 answer): meanwhile the transaction absorbs retransmissions and, over
/// UDP, sends 100 Trying once the client's Timer E has reached T2. The token is cancelled when
/// <see cref="SipStackOptions.MessageHandlerTimeout"/> passes (the stack then answers 504) or at shutdown after the
/// drain time (503 with Retry-After). An exception is answered 500 and logged as a bug.
/// </summary>
public interface ISipMessageHandler
{
    ValueTask<SipFinalAnswer> HandleAsync(SipRequest request, SipRequestContext context, CancellationToken cancellationToken);
}

namespace Cpm.Interwork.Sip.Stack;

/// <summary>
/// The MESSAGE handler registered until the interworking core exists: it answers
/// <c>480 Temporarily Unavailable</c> with a reason phrase that says why. Never a fake success.
/// </summary>
public sealed class UnavailableMessageHandler : ISipMessageHandler
{
    public const string Reason = "Temporarily Unavailable (CPM-MMS interworking not yet available)";

    public ValueTask<SipFinalAnswer> HandleAsync(SipRequest request, SipRequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new SipFinalAnswer(480, Reason));
}

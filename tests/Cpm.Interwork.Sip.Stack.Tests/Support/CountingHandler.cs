namespace Cpm.Interwork.Sip.Stack.Tests.Support;

/// <summary>A MESSAGE handler that counts calls, waits <see cref="Delay"/> (or until released), then answers.</summary>
internal sealed class CountingHandler(TimeSpan delay, SipFinalAnswer answer) : ISipMessageHandler
{
    private int _calls;

    public TimeSpan Delay => delay;

    public int Calls => Volatile.Read(ref _calls);

    public List<SipRequestContext> Contexts { get; } = [];

    public async ValueTask<SipFinalAnswer> HandleAsync(SipRequest request, SipRequestContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        lock (Contexts)
        {
            Contexts.Add(context);
        }

        await Task.Delay(delay, cancellationToken);
        return answer;
    }
}

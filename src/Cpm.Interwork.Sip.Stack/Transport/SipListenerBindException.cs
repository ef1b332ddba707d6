namespace Cpm.Interwork.Sip.Stack.Transport;

/// <summary>A configured listener could not be bound (address in use, not local, no permission). I/O, not peer input.</summary>
public sealed class SipListenerBindException : Exception
{
    public SipListenerBindException()
    {
    }

    public SipListenerBindException(string message)
        : base(message)
    {
    }

    public SipListenerBindException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

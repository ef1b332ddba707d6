namespace Cpm.Interwork.Smtp;

/// <summary>The SMTP conversation is broken (malformed reply, unexpected end of stream, timeout,
/// STARTTLS injection): the connection cannot be used further and must be closed. A peer that merely
/// refuses a command is not this: that is an <see cref="SmtpReply"/> with a 4yz/5yz code.</summary>
public sealed class SmtpProtocolException : Exception
{
    public SmtpProtocolException() { }

    public SmtpProtocolException(string message) : base(message) { }

    public SmtpProtocolException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The peer closed the stream (rather than sending something malformed).</summary>
    public bool ConnectionClosed { get; init; }
}

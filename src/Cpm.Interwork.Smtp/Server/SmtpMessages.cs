using System.Net;

namespace Cpm.Interwork.Smtp.Server;

/// <summary>One message received over SMTP: the envelope and the exact DATA bytes (dot-stuffing
/// removed, nothing else changed, no Received: header added).</summary>
public sealed class SmtpReceivedMessage
{
    public SmtpReceivedMessage(IPEndPoint clientEndPoint, string helo, string mailFrom, IReadOnlyList<string> rcptTo, ReadOnlyMemory<byte> data, bool isSecure, bool eightBitMime)
    {
        ClientEndPoint = clientEndPoint;
        Helo = helo;
        MailFrom = mailFrom;
        RcptTo = rcptTo;
        Data = data;
        IsSecure = isSecure;
        EightBitMime = eightBitMime;
    }

    public IPEndPoint ClientEndPoint { get; }

    /// <summary>The domain or address literal the client gave in EHLO/HELO.</summary>
    public string Helo { get; }

    /// <summary>The reverse-path as <c>local@domain</c>; empty for the null sender &lt;&gt;.</summary>
    public string MailFrom { get; }

    /// <summary>The accepted forward-paths, in order, as <c>local@domain</c>.</summary>
    public IReadOnlyList<string> RcptTo { get; }

    /// <summary>The message; the memory belongs to this message (the sink may keep it).</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The session was protected by STARTTLS.</summary>
    public bool IsSecure { get; }

    /// <summary>MAIL FROM carried BODY=8BITMIME.</summary>
    public bool EightBitMime { get; }
}

/// <summary>Where received messages go (the gateway's store). The server answers the end of DATA
/// with the returned reply as is, and only after this returned: return a 2yz reply only once the
/// message is durably stored. An exception makes the server answer 451 4.3.0.</summary>
public interface IMessageSink
{
    ValueTask<SmtpReply> DeliverAsync(SmtpReceivedMessage message, CancellationToken cancellationToken);
}

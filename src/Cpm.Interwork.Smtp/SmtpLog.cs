using Microsoft.Extensions.Logging;

namespace Cpm.Interwork.Smtp;

internal static partial class SmtpLog
{
    /// <summary>Wire trace at Trace level: commands and replies (never message data), with phone
    /// numbers redacted by <see cref="SmtpWireTrace.Redact"/>.</summary>
    [LoggerMessage(Level = LogLevel.Trace, Message = "SMTP {Peer} {Direction} {Line}")]
    private static partial void WireCore(ILogger logger, object peer, string direction, string line);

    /// <summary><paramref name="line"/> is only turned into text when tracing is on.</summary>
    public static void Wire(ILogger logger, object peer, string direction, object line)
    {
        if (!logger.IsEnabled(LogLevel.Trace)) return;
        var redacted = SmtpWireTrace.Redact(line.ToString() ?? "");
        WireCore(logger, peer, direction, redacted);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "SMTP connect to {Relay} failed: {Failure}")]
    public static partial void ConnectFailed(ILogger logger, object relay, object? failure);

    [LoggerMessage(Level = LogLevel.Debug, Message = "SMTP send to {Relay}: {Result}")]
    public static partial void Sent(ILogger logger, object relay, object result);

    [LoggerMessage(Level = LogLevel.Information, Message = "SMTP server listening on {EndPoint}")]
    public static partial void Listening(ILogger logger, object endPoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "SMTP connection from {Remote} refused: not in Smtp:AllowedPeers")]
    public static partial void PeerRefused(ILogger logger, object remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "SMTP session with {Remote} ended: {Reason}")]
    public static partial void SessionEnded(ILogger logger, object remote, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP message sink failed for a message from {Remote}")]
    public static partial void SinkFailed(ILogger logger, Exception exception, object remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP accept on {EndPoint} failed")]
    public static partial void AcceptFailed(ILogger logger, Exception exception, object endPoint);
}

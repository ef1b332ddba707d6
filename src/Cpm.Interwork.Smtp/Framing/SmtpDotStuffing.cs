using System.Buffers;

namespace Cpm.Interwork.Smtp.Framing;

/// <summary>Client side of RFC 5321 §4.5.2 transparency.</summary>
public static class SmtpDotStuffing
{
    /// <summary>The offset of the first LF not preceded by CR (RFC 5321 §2.3.8 forbids it in
    /// content: receivers disagree on whether it ends a line), or -1.</summary>
    public static int IndexOfBareLineFeed(ReadOnlySpan<byte> message)
    {
        var offset = 0;
        while (true)
        {
            var lf = message[offset..].IndexOf((byte)'\n');
            if (lf < 0) return -1;
            var at = offset + lf;
            if (at == 0 || message[at - 1] != (byte)'\r') return at;
            offset = at + 1;
        }
    }

    /// <summary>Writes <paramref name="message"/> with a dot doubled at the start of each line, a
    /// CRLF added when the message does not end with one, and the terminating <c>"." CRLF</c>.</summary>
    public static void Write(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var lineStart = true;
        while (!message.IsEmpty)
        {
            if (lineStart && message[0] == (byte)'.') output.Write("."u8);
            var crlf = message.IndexOf("\r\n"u8);
            var take = crlf < 0 ? message.Length : crlf + 2;
            output.Write(message[..take]);
            message = message[take..];
            lineStart = crlf >= 0;
        }

        output.Write(lineStart ? ".\r\n"u8 : "\r\n.\r\n"u8);
    }
}

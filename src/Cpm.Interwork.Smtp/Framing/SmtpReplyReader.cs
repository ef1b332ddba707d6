using System.Text;

namespace Cpm.Interwork.Smtp.Framing;

/// <summary>Reads whole replies (RFC 5321 §4.2.1: <c>code "-" text</c> continuation lines then
/// <c>code SP text</c>) and their RFC 3463 enhanced codes. A malformed reply is a
/// <see cref="SmtpProtocolException"/>: after it the conversation cannot be trusted.</summary>
public sealed class SmtpReplyReader
{
    private readonly SmtpLineReader _lines;
    private readonly int _maxLines;

    public SmtpReplyReader(SmtpLineReader lines, int maxLines = 256)
    {
        _lines = lines ?? throw new ArgumentNullException(nameof(lines));
        _maxLines = maxLines;
    }

    public bool HasBufferedData => _lines.HasBufferedData;

    public async ValueTask<SmtpReply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var texts = new List<string>(1);
        var code = -1;
        SmtpEnhancedStatusCode? enhanced = null;
        while (true)
        {
            var line = await _lines.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            switch (line.Status)
            {
                case SmtpLineStatus.EndOfStream: throw new SmtpProtocolException("The server closed the connection.") { ConnectionClosed = true };
                case SmtpLineStatus.TooLong: throw new SmtpProtocolException("The server sent a reply line over the length limit.");
            }

            var (lineCode, last, text) = ParseReplyLine(line.Content.Span);
            if (code >= 0 && lineCode != code)
                throw new SmtpProtocolException($"Reply lines disagree on the code ({code} then {lineCode}).");
            code = lineCode;
            if (SmtpEnhancedStatusCode.TryParse(text, out var e, out var length) && e.Class == code / 100)
            {
                enhanced ??= e;
                text = length < text.Length ? text[(length + 1)..] : "";
            }

            texts.Add(text);
            if (last) return new SmtpReply(code, enhanced, texts);
            if (texts.Count >= _maxLines) throw new SmtpProtocolException("The server sent too many reply lines.");
        }
    }

    /// <summary>Reply-line = Reply-code [ SP / "-" textstring ] (RFC 5321 §4.2).</summary>
    internal static (int Code, bool Last, string Text) ParseReplyLine(ReadOnlySpan<byte> line)
    {
        if (line.Length < 3 || line[0] is < (byte)'2' or > (byte)'5' || !IsDigit(line[1]) || !IsDigit(line[2]))
            throw new SmtpProtocolException($"Malformed reply line '{Encoding.Latin1.GetString(line[..Math.Min(line.Length, 80)])}'.");
        var code = ((line[0] - '0') * 100) + ((line[1] - '0') * 10) + (line[2] - '0');
        if (line.Length == 3) return (code, true, "");
        var separator = line[3];
        if (separator is not ((byte)' ' or (byte)'-'))
            throw new SmtpProtocolException($"Malformed reply line: '{(char)separator}' after the code.");
        var text = Encoding.UTF8.GetString(line[4..]);
        return (code, separator == (byte)' ', text);
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';
}

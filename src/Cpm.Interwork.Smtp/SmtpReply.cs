using System.Buffers;
using System.Globalization;
using System.Text;

namespace Cpm.Interwork.Smtp;

/// <summary>An RFC 3463 enhanced status code <c>class.subject.detail</c> (e.g. 5.7.1).</summary>
public readonly record struct SmtpEnhancedStatusCode(int Class, int Subject, int Detail)
{
    /// <summary>Reads <c>class "." subject "." detail</c> at the start of <paramref name="text"/>
    /// (RFC 3463 §2: class is 2, 4 or 5; subject and detail 1–3 digits) followed by SP or the end.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out SmtpEnhancedStatusCode code, out int length)
    {
        code = default;
        length = 0;
        if (text.Length < 5 || text[0] is not ('2' or '4' or '5') || text[1] != '.') return false;
        var i = 2;
        if (!TryDigits(text, ref i, out var subject) || i >= text.Length || text[i] != '.') return false;
        i++;
        if (!TryDigits(text, ref i, out var detail)) return false;
        if (i < text.Length && text[i] != ' ') return false;
        code = new SmtpEnhancedStatusCode(text[0] - '0', subject, detail);
        length = i;
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> text, ref int i, out int value)
    {
        value = 0;
        var start = i;
        while (i < text.Length && i - start < 3 && char.IsAsciiDigit(text[i])) value = (value * 10) + (text[i++] - '0');
        return i > start && (i >= text.Length || !char.IsAsciiDigit(text[i]));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Class}.{Subject}.{Detail}");
}

/// <summary>An SMTP reply (RFC 5321 §4.2): a three-digit code, an optional RFC 3463 enhanced status
/// code and one or more text lines (without the code, separator or enhanced code). Immutable.</summary>
public sealed class SmtpReply
{
    public SmtpReply(int code, SmtpEnhancedStatusCode? enhancedCode, params IReadOnlyList<string> lines)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(code, 200);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(code, 599);
        ArgumentNullException.ThrowIfNull(lines);
        Code = code;
        EnhancedCode = enhancedCode;
        // Text is data we may echo: CR and LF would split the reply, so they become spaces.
        Lines = lines.Count == 0 ? [""] : [.. lines.Select(l => l.Replace('\r', ' ').Replace('\n', ' '))];
    }

    public SmtpReply(int code, string text) : this(code, null, text) { }

    public int Code { get; }

    public SmtpEnhancedStatusCode? EnhancedCode { get; }

    public IReadOnlyList<string> Lines { get; }

    /// <summary>The text lines joined by a space.</summary>
    public string Text => string.Join(' ', Lines);

    /// <summary>2yz: the command succeeded.</summary>
    public bool IsPositiveCompletion => Code is >= 200 and < 300;

    /// <summary>3yz: more input expected (354 after DATA).</summary>
    public bool IsPositiveIntermediate => Code is >= 300 and < 400;

    /// <summary>4yz: refused now, may succeed later.</summary>
    public bool IsTransientNegative => Code is >= 400 and < 500;

    /// <summary>5yz: refused for good.</summary>
    public bool IsPermanentNegative => Code >= 500;

    /// <summary>Writes the reply in wire form: every line but the last as <c>code "-"</c>, the last as
    /// <c>code SP</c>; the enhanced code, when present, prefixes the text of every line (RFC 2034 §4).</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        for (var i = 0; i < Lines.Count; i++)
        {
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{Code}{(i == Lines.Count - 1 ? ' ' : '-')}{(EnhancedCode is { } e ? e + " " : "")}{Lines[i]}\r\n");
            var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(line.Length));
            output.Advance(Encoding.UTF8.GetBytes(line, span));
        }
    }

    public byte[] ToBytes()
    {
        var writer = new ArrayBufferWriter<byte>(64);
        WriteTo(writer);
        return writer.WrittenSpan.ToArray();
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Code} {(EnhancedCode is { } e ? e + " " : "")}{Text}");
}

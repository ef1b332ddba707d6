using System.Text;

namespace Cpm.Interwork.Mime;

/// <summary>One header field: name as written, raw value bytes exactly as received (incl. folding).</summary>
public sealed class MimeHeader
{
    public MimeHeader(string name, ReadOnlyMemory<byte> rawValue, bool isMalformed = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        RawValue = rawValue;
        IsMalformed = isMalformed;
    }

    public string Name { get; }
    public ReadOnlyMemory<byte> RawValue { get; }
    public bool IsMalformed { get; }

    /// <summary>Unfolded value (CRLF/LF before WSP removed), leading/trailing whitespace trimmed.</summary>
    public string Value
    {
        get
        {
            var s = Encoding.Latin1.GetString(RawValue.Span);
            return s.Replace("\r\n", string.Empty, StringComparison.Ordinal)
                    .Replace("\n", string.Empty, StringComparison.Ordinal).Trim();
        }
    }

    /// <summary>Value with RFC 2047 encoded words decoded.</summary>
    public string DecodedValue => EncodedWords.Decode(Value);

    public static MimeHeader Create(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new MimeHeader(name, Encoding.UTF8.GetBytes(" " + value));
    }
}

using System.Text;

namespace Cpm.Interwork.Mime;

/// <summary>One header field: name as written, raw value bytes exactly as received (incl. folding).</summary>
public sealed class MimeHeader
{
    private readonly ReadOnlyMemory<byte> _rawName;

    public MimeHeader(string name, ReadOnlyMemory<byte> rawValue, bool isMalformed = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        RawValue = rawValue;
        IsMalformed = isMalformed;
    }

    /// <summary>Parser constructor: <paramref name="rawName"/> is the field name exactly as received (it may
    /// carry whitespace before the colon, which <see cref="Name"/> does not).</summary>
    internal MimeHeader(string name, ReadOnlyMemory<byte> rawName, ReadOnlyMemory<byte> rawValue, bool isMalformed)
        : this(name, rawValue, isMalformed) => _rawName = rawName;

    public string Name { get; }
    public ReadOnlyMemory<byte> RawValue { get; }
    public bool IsMalformed { get; }

    /// <summary>The name bytes to write: as received for parsed headers, otherwise <see cref="Name"/>.</summary>
    internal ReadOnlySpan<byte> RawNameOrNull => _rawName.Span;

    /// <summary>Unfolded value (CRLF/LF before WSP removed), leading/trailing whitespace trimmed.
    /// Bytes are read as UTF-8 when valid (RFC 6532), otherwise as Latin-1.</summary>
    public string Value
    {
        get
        {
            var span = RawValue.Span;
            var s = System.Text.Unicode.Utf8.IsValid(span) ? Encoding.UTF8.GetString(span) : Encoding.Latin1.GetString(span);
            if (s.Contains('\n', StringComparison.Ordinal))
            {
                s = s.Replace("\r\n", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);
            }
            return s.Trim();
        }
    }

    /// <summary>Value with RFC 2047 encoded words decoded.</summary>
    public string DecodedValue => EncodedWords.Decode(Value);

    /// <summary>Creates a header whose value is written as UTF-8 and folded at whitespace so that lines stay
    /// within 78 characters where possible and never exceed 998 (<see cref="HeaderFolding"/>).</summary>
    /// <exception cref="ArgumentException">A word of the value cannot fit in a 998-character line, or the value contains CR/LF.</exception>
    public static MimeHeader Create(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        return new MimeHeader(name, Encoding.UTF8.GetBytes(HeaderFolding.Fold(name, value)));
    }

    /// <summary>Creates a header for an unstructured text value (Subject, Comments): RFC 2047-encoded
    /// (UTF-8) only when it has non-ASCII characters, then folded.</summary>
    public static MimeHeader CreateText(string name, string value) => Create(name, EncodedWords.Encode(value));

    /// <summary>Creates an address header (From, To, Cc, Sender, Reply-To): display names are RFC 2047-encoded
    /// only when they need it, addresses are left as they are.</summary>
    public static MimeHeader CreateAddresses(string name, IEnumerable<MailboxAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        return Create(name, string.Join(", ", addresses.Select(a => a.ToString())));
    }
}

/// <summary>Strict folding for written headers (RFC 5322 §2.1.1, §2.2.3): breaks only at existing whitespace,
/// lines ≤ 78 characters where a break exists, never more than 998.</summary>
public static class HeaderFolding
{
    public const int PreferredLineLength = 78;
    public const int MaxLineLength = 998;

    /// <summary>Returns the raw value to follow "<paramref name="name"/>:" — a leading space, folded with CRLF + WSP.</summary>
    /// <exception cref="ArgumentException">The value holds CR or LF, or one word is too long for a 998-character line.</exception>
    public static string Fold(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0) { throw new ArgumentException("header values must not contain CR or LF", nameof(value)); }
        var lineLength = name.Length + 1; // "Name:"
        if (lineLength + 1 + value.Length <= PreferredLineLength) { return " " + value; }
        var sb = new StringBuilder(value.Length + 16);
        var i = 0;
        var first = true;
        while (i < value.Length)
        {
            // a chunk = the whitespace run before a word + the word
            var wsStart = i;
            while (i < value.Length && (value[i] == ' ' || value[i] == '\t')) { i++; }
            var wordStart = i;
            while (i < value.Length && value[i] != ' ' && value[i] != '\t') { i++; }
            var ws = value.AsSpan(wsStart, wordStart - wsStart);
            var word = value.AsSpan(wordStart, i - wordStart);
            if (first)
            {
                // the first word always follows "Name: " on the first line
                sb.Append(' ').Append(ws).Append(word);
                lineLength += 1 + ws.Length + word.Length;
                first = false;
            }
            else if (lineLength + ws.Length + word.Length <= PreferredLineLength || word.Length == 0)
            {
                sb.Append(ws).Append(word);
                lineLength += ws.Length + word.Length;
            }
            else
            {
                // fold: CRLF replaces nothing, the whitespace run starts the continuation line
                sb.Append("\r\n").Append(ws).Append(word);
                lineLength = ws.Length + word.Length;
            }
            if (lineLength > MaxLineLength) { throw new ArgumentException($"header {name}: a word of {word.Length} characters cannot be folded within {MaxLineLength} characters", nameof(value)); }
        }
        return sb.ToString();
    }
}

using System.Buffers;
using System.Text;

namespace Cpm.Interwork.Mime;

/// <summary>Ordered header list, case-insensitive lookup. Mutable copy via <see cref="ToBuilder"/>.</summary>
public sealed class MimeHeaderList : IReadOnlyList<MimeHeader>
{
    private readonly List<MimeHeader> _headers;

    public MimeHeaderList(IEnumerable<MimeHeader> headers) => _headers = [.. headers];

    public static MimeHeaderList Empty { get; } = new([]);

    /// <summary>Set by the parser when the header block ran to the end of the entity without the empty line, so
    /// that the entity writes back without adding one.</summary>
    internal bool EndsWithoutBlankLine { get; init; }

    public int Count => _headers.Count;
    public MimeHeader this[int index] => _headers[index];
    public MimeHeader? Get(string name) => _headers.Find(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
    public IEnumerable<MimeHeader> GetAll(string name) => _headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
    public bool Contains(string name) => Get(name) is not null;
    public MimeHeaderListBuilder ToBuilder() => new(_headers);
    public IEnumerator<MimeHeader> GetEnumerator() => _headers.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Writes each header as Name ":" raw value CRLF (raw bytes untouched).</summary>
    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var h in _headers)
        {
            var rawName = h.RawNameOrNull;
            if (!rawName.IsEmpty) { writer.Write(rawName); }
            else { writer.Write(Encoding.UTF8.GetBytes(h.Name)); }
            if (!h.IsMalformed)
            {
                writer.Write(":"u8);
                writer.Write(h.RawValue.Span);
            }
            writer.Write("\r\n"u8);
        }
    }
}

/// <summary>Mutable header list.</summary>
public sealed class MimeHeaderListBuilder
{
    private readonly List<MimeHeader> _headers;

    public MimeHeaderListBuilder() => _headers = [];
    internal MimeHeaderListBuilder(IEnumerable<MimeHeader> headers) => _headers = [.. headers];

    /// <summary>Adds a header whose value is written as given (UTF-8 if non-ASCII, RFC 6532) and folded.</summary>
    public MimeHeaderListBuilder Add(string name, string value)
    {
        _headers.Add(MimeHeader.Create(name, value));
        return this;
    }

    /// <summary>Adds an unstructured text header, RFC 2047-encoded only when it has non-ASCII characters.</summary>
    public MimeHeaderListBuilder AddText(string name, string value)
    {
        _headers.Add(MimeHeader.CreateText(name, value));
        return this;
    }

    /// <summary>Adds a header as it is (e.g. one taken from a parsed list, raw bytes kept).</summary>
    public MimeHeaderListBuilder Add(MimeHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        _headers.Add(header);
        return this;
    }

    public MimeHeaderListBuilder Set(string name, string value)
    {
        var i = _headers.FindIndex(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
        if (i < 0)
        {
            return Add(name, value);
        }
        _headers[i] = MimeHeader.Create(name, value);
        _headers.RemoveAll(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase) && !ReferenceEquals(h, _headers[i]));
        return this;
    }

    public int Remove(string name) => _headers.RemoveAll(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));

    public MimeHeaderList Build() => new(_headers);
}

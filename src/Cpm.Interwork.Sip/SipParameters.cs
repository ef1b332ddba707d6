using System.Collections;

namespace Cpm.Interwork.Sip;

/// <summary>One parameter: <c>name</c> or <c>name=value</c>. Values are kept as written (quotes and escapes included).</summary>
/// <param name="Name">The parameter name as written.</param>
/// <param name="Value">The value as written, or null for a flag parameter such as <c>lr</c> or <c>rport</c>.</param>
public readonly record struct SipParameter(string Name, string? Value);

/// <summary>An ordered, immutable parameter list with case-insensitive lookup by name (RFC 3261 §19.1.4).</summary>
public sealed class SipParameters : IReadOnlyList<SipParameter>
{
    private readonly SipParameter[] _items;

    /// <summary>An empty list.</summary>
    public static SipParameters Empty { get; } = new([]);

    /// <summary>Creates a list over the given parameters.</summary>
    public SipParameters(IEnumerable<SipParameter> items) => _items = [.. items];

    /// <inheritdoc/>
    public int Count => _items.Length;

    /// <inheritdoc/>
    public SipParameter this[int index] => _items[index];

    /// <summary>The value of the first parameter named <paramref name="name"/>; null if absent or a flag.</summary>
    public string? this[string name] => TryGetValue(name, out var v) ? v : null;

    /// <summary>True if a parameter with this name exists (flag or valued).</summary>
    public bool Contains(string name)
    {
        foreach (var p in _items) { if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) { return true; } }
        return false;
    }

    /// <summary>Finds a parameter; <paramref name="value"/> is null for a flag.</summary>
    public bool TryGetValue(string name, out string? value)
    {
        foreach (var p in _items)
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) { value = p.Value; return true; }
        }
        value = null;
        return false;
    }

    /// <inheritdoc/>
    public IEnumerator<SipParameter> GetEnumerator() => ((IEnumerable<SipParameter>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Reads *( SEMI generic-param ) from raw bytes that were already validated.</summary>
    internal static SipParameters FromHeaderParams(ReadOnlySpan<byte> s, Slice all)
    {
        if (!all.IsPresent || all.Length == 0) { return Empty; }
        var list = new List<SipParameter>();
        var span = all.Of(s);
        var pos = 0;
        while (SipGrammar.TryReadSeparator(span, ref pos, (byte)';') && SipGrammar.TryReadGenericParam(span, ref pos, out var n, out var v))
        {
            list.Add(new SipParameter(n.ToText(span)!, v.ToText(span)));
        }
        return new SipParameters(list);
    }

    /// <summary>Reads URI parameters <c>;a=b;c</c> or URI headers <c>a=b&amp;c=d</c> (separator given) from validated bytes.</summary>
    internal static SipParameters FromUriPart(ReadOnlySpan<byte> s, byte separator)
    {
        if (s.IsEmpty) { return Empty; }
        var list = new List<SipParameter>();
        foreach (var range in s.Split(separator))
        {
            var item = s[range];
            if (item.IsEmpty) { continue; }
            var eq = item.IndexOf((byte)'=');
            list.Add(eq < 0
                ? new SipParameter(SipGrammar.Text(item), null)
                : new SipParameter(SipGrammar.Text(item[..eq]), SipGrammar.Text(item[(eq + 1)..])));
        }
        return new SipParameters(list);
    }
}

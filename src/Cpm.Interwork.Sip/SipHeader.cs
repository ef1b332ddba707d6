namespace Cpm.Interwork.Sip;

/// <summary>Offsets of one header line inside the message bytes (the raw, ordered header index).</summary>
internal readonly record struct SipHeaderEntry(int NameStart, int NameLength, int ValueStart, int ValueLength, SipHeaderId Id);

/// <summary>
/// One header line as received: raw name and value bytes (folding kept) over the message buffer, the canonical
/// name (compact forms expanded) and the value as text (folding unfolded, UTF-8 decoded) on demand.
/// </summary>
public readonly struct SipHeader : IEquatable<SipHeader>
{
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly SipHeaderEntry _entry;

    internal SipHeader(ReadOnlyMemory<byte> bytes, SipHeaderEntry entry)
    {
        _bytes = bytes;
        _entry = entry;
    }

    /// <summary>The name bytes as received (e.g. <c>v</c> or <c>VIA</c>).</summary>
    public ReadOnlyMemory<byte> RawName => _bytes.Slice(_entry.NameStart, _entry.NameLength);

    /// <summary>The value bytes as received, leading/trailing white space removed, folding (CRLF WSP) kept.</summary>
    public ReadOnlyMemory<byte> RawValue => _bytes.Slice(_entry.ValueStart, _entry.ValueLength);

    /// <summary>The canonical name: known headers and compact forms give the <see cref="SipHeaderNames"/> constant; others the name as received.</summary>
    public string Name => _entry.Id == SipHeaderId.Unknown ? SipGrammar.Text(RawName.Span) : SipHeaderIds.CanonicalName(_entry.Id);

    /// <summary>The value as text: UTF-8, each folding run replaced by one space.</summary>
    public string Value => SipGrammar.Text(RawValue.Span);

    /// <summary>True if this header has the given name (canonical, compact or any case).</summary>
    public bool Is(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var id = SipHeaderIds.FromName(name);
        return id != SipHeaderId.Unknown ? id == _entry.Id : System.Text.Ascii.EqualsIgnoreCase(RawName.Span, name);
    }

    internal SipHeaderId Id => _entry.Id;

    /// <inheritdoc/>
    public bool Equals(SipHeader other) => _entry == other._entry && _bytes.Equals(other._bytes);
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SipHeader h && Equals(h);
    /// <inheritdoc/>
    public override int GetHashCode() => _entry.GetHashCode();
    /// <summary>Equality of position in the same buffer.</summary>
    public static bool operator ==(SipHeader left, SipHeader right) => left.Equals(right);
    /// <summary>Inequality of position in the same buffer.</summary>
    public static bool operator !=(SipHeader left, SipHeader right) => !left.Equals(right);
    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Value}";
}

using System.Buffers.Binary;
using System.Text;

namespace Cpm.Interwork.Dns.Wire;

/// <summary>
/// Cursor over a whole message. Every read is bounds-checked and reports a <see cref="DnsParseError"/>
/// instead of throwing. Names are decompressed against the whole message (RFC 1035 §4.1.4).
/// </summary>
internal ref struct DnsWireReader
{
    /// <summary>Hard cap on pointer jumps in one name (backward-only pointers already bound it).</summary>
    internal const int MaxPointerJumps = 127;

    private readonly ReadOnlySpan<byte> _data;

    public DnsWireReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        Position = 0;
        Error = default;
        Limit = data.Length;
    }

    /// <summary>
    /// Reads of inline data stop here: the end of the RDATA being read, else the message end. Running
    /// into a limit short of the message end is an RDLENGTH mismatch, not a truncation.
    /// </summary>
    public int Limit { get; set; }

    public int Position { get; set; }

    public DnsParseError Error { get; private set; }

    public readonly int Length => _data.Length;

    private bool FailPastLimit(int offset, int limit) =>
        Fail(limit < _data.Length ? DnsFormatError.RdLengthMismatch : DnsFormatError.Truncated, offset);

    public bool Fail(DnsFormatError reason, int offset)
    {
        Error = new DnsParseError(reason, offset);
        return false;
    }

    public bool TryReadHeader(out DnsHeader header)
    {
        header = default;
        if (_data.Length < DnsHeader.Size)
        {
            return Fail(DnsFormatError.Truncated, _data.Length);
        }

        header = new DnsHeader(
            BinaryPrimitives.ReadUInt16BigEndian(_data),
            BinaryPrimitives.ReadUInt16BigEndian(_data[2..]),
            BinaryPrimitives.ReadUInt16BigEndian(_data[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(_data[6..]),
            BinaryPrimitives.ReadUInt16BigEndian(_data[8..]),
            BinaryPrimitives.ReadUInt16BigEndian(_data[10..]));
        Position = DnsHeader.Size;
        return true;
    }

    public bool TryReadQuestion(out DnsQuestion question)
    {
        question = null!;
        if (!TryReadName(out var name) || !TryReadUInt16(out var type) || !TryReadUInt16(out var cls))
        {
            return false;
        }

        question = new DnsQuestion(name, (DnsRecordType)type, (DnsClass)cls);
        return true;
    }

    public bool TryReadUInt16(out ushort value)
    {
        if (Position + 2 > Limit)
        {
            value = 0;
            return FailPastLimit(Position, Limit);
        }

        value = BinaryPrimitives.ReadUInt16BigEndian(_data[Position..]);
        Position += 2;
        return true;
    }

    public bool TryReadUInt32(out uint value)
    {
        if (Position + 4 > Limit)
        {
            value = 0;
            return FailPastLimit(Position, Limit);
        }

        value = BinaryPrimitives.ReadUInt32BigEndian(_data[Position..]);
        Position += 4;
        return true;
    }

    public bool TryReadBytes(int count, out ReadOnlySpan<byte> bytes)
    {
        if (count < 0 || Position + count > Limit)
        {
            bytes = default;
            return FailPastLimit(Position, Limit);
        }

        bytes = _data.Slice(Position, count);
        Position += count;
        return true;
    }

    /// <summary>A &lt;character-string&gt;: one length octet then that many octets (RFC 1035 §3.3).</summary>
    public bool TryReadCharacterString(out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (Position >= Limit)
        {
            return FailPastLimit(Position, Limit);
        }

        int length = _data[Position++];
        return TryReadBytes(length, out bytes);
    }

    public bool TryReadCharacterString(out string text)
    {
        text = "";
        if (!TryReadCharacterString(out ReadOnlySpan<byte> bytes))
        {
            return false;
        }

        text = Encoding.UTF8.GetString(bytes);
        return true;
    }

    /// <summary>
    /// Reads a possibly compressed name. A pointer (top bits 11) must point strictly before the start
    /// of the label sequence it appears in; that alone makes loops impossible. Labels with top bits
    /// 01 or 10 are rejected. The expanded name may not exceed 255 octets.
    /// </summary>
    public bool TryReadName(out string name)
    {
        name = "";
        var sb = new StringBuilder();
        var pos = Position;
        var segmentStart = pos;
        var endAfterFirstPointer = -1;
        var wireLength = 1;
        var jumps = 0;
        while (true)
        {
            // Inline labels of the first segment lie inside the current record: bound them by Limit.
            var limit = endAfterFirstPointer < 0 ? Limit : _data.Length;
            if (pos >= limit)
            {
                return FailPastLimit(pos, limit);
            }

            int len = _data[pos];
            if (len == 0)
            {
                pos++;
                break;
            }

            switch (len & 0xC0)
            {
                case 0xC0:
                    if (pos + 1 >= limit)
                    {
                        return FailPastLimit(pos, limit);
                    }

                    var target = ((len & 0x3F) << 8) | _data[pos + 1];
                    if (target >= _data.Length)
                    {
                        return Fail(DnsFormatError.PointerOutOfRange, pos);
                    }

                    if (target >= segmentStart || ++jumps > MaxPointerJumps)
                    {
                        return Fail(DnsFormatError.CompressionLoop, pos);
                    }

                    if (endAfterFirstPointer < 0)
                    {
                        endAfterFirstPointer = pos + 2;
                    }

                    pos = target;
                    segmentStart = target;
                    continue;
                case 0x00:
                    if (pos + 1 + len > limit)
                    {
                        return FailPastLimit(pos, limit);
                    }

                    wireLength += len + 1;
                    if (wireLength > DnsName.MaxWireLength)
                    {
                        return Fail(DnsFormatError.NameTooLong, pos);
                    }

                    DnsName.AppendLabel(sb, _data.Slice(pos + 1, len));
                    pos += len + 1;
                    continue;
                default:
                    return Fail(DnsFormatError.BadLabelType, pos);
            }
        }

        Position = endAfterFirstPointer >= 0 ? endAfterFirstPointer : pos;
        name = sb.ToString();
        return true;
    }
}

using System.Buffers;
using System.Globalization;
using System.Text;

namespace Cpm.Interwork.Sip;

/// <summary>Ordered headers and body of a message being built; writes the wire form (RFC 3261 §7).</summary>
internal sealed class SipHeaderBlock
{
    private readonly List<(string Name, string? Text, ReadOnlyMemory<byte> Raw)> _headers = [];

    public ReadOnlyMemory<byte> Body { get; set; }

    public int Count => _headers.Count;

    public void Add(string name, string value)
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0) { throw new ArgumentException($"Header {name}: value must not contain CR or LF", nameof(value)); }
        if (SipHeaderIds.FromName(name) == SipHeaderId.ContentLength) { throw new ArgumentException("Content-Length is written by the builder from the body", nameof(name)); }
        _headers.Add((name, value, default));
    }

    /// <summary>Adds a value copied from a parsed message (folding kept: it is valid LWS).</summary>
    public void AddRaw(string name, ReadOnlyMemory<byte> raw) => _headers.Add((name, null, raw));

    public bool Contains(string name)
    {
        var id = SipHeaderIds.FromName(name);
        foreach (var h in _headers)
        {
            if (id != SipHeaderId.Unknown ? SipHeaderIds.FromName(h.Name) == id : string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)) { return true; }
        }
        return false;
    }

    public void Write(IBufferWriter<byte> writer)
    {
        foreach (var (name, text, raw) in _headers)
        {
            WriteAscii(writer, name);
            WriteAscii(writer, ": ");
            if (text is not null) { Encoding.UTF8.GetBytes(text, writer); }
            else { writer.Write(raw.Span); }
            writer.Write("\r\n"u8);
        }
        WriteAscii(writer, SipHeaderNames.ContentLength);
        WriteAscii(writer, ": ");
        WriteAscii(writer, Body.Length.ToString(CultureInfo.InvariantCulture));
        writer.Write("\r\n\r\n"u8);
        writer.Write(Body.Span);
    }

    public static void WriteAscii(IBufferWriter<byte> writer, string text) => Encoding.UTF8.GetBytes(text, writer);

    public static void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (var c in name)
        {
            if (c > 0x7F || !SipCharacters.Token.Contains((byte)c)) { throw new ArgumentException($"Header name '{name}' is not a token", nameof(name)); }
        }
    }

    public static byte[] ToArray(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        write(buffer);
        return buffer.WrittenSpan.ToArray();
    }
}

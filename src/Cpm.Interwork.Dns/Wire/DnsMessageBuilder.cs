using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Cpm.Interwork.Dns.Wire;

/// <summary>
/// Writes DNS messages (queries, and responses for tests and fakes). Names are written uncompressed,
/// which every reader accepts. Invalid names or strings are caller bugs and throw <see cref="ArgumentException"/>.
/// </summary>
public sealed class DnsMessageBuilder
{
    private readonly List<DnsQuestion> _questions = [];
    private readonly List<DnsRecord> _answers = [];
    private readonly List<DnsRecord> _authorities = [];
    private readonly List<DnsRecord> _additionals = [];

    public DnsMessageBuilder(ushort id, ushort flags)
    {
        Id = id;
        Flags = flags;
    }

    public ushort Id { get; }
    public ushort Flags { get; }

    /// <summary>A standard query with RD set (RFC 1035 §4.1.1).</summary>
    public static byte[] BuildQuery(ushort id, DnsQuestion question, bool recursionDesired = true) =>
        new DnsMessageBuilder(id, DnsHeader.BuildFlags(false, DnsOpcode.Query, false, false, recursionDesired, false, DnsResponseCode.NoError))
            .AddQuestion(question)
            .ToArray();

    public DnsMessageBuilder AddQuestion(DnsQuestion question)
    {
        _questions.Add(question);
        return this;
    }

    public DnsMessageBuilder AddAnswer(DnsRecord record)
    {
        _answers.Add(record);
        return this;
    }

    public DnsMessageBuilder AddAuthority(DnsRecord record)
    {
        _authorities.Add(record);
        return this;
    }

    public DnsMessageBuilder AddAdditional(DnsRecord record)
    {
        _additionals.Add(record);
        return this;
    }

    public byte[] ToArray()
    {
        var buffer = new List<byte>(512);
        WriteUInt16(buffer, Id);
        WriteUInt16(buffer, Flags);
        WriteUInt16(buffer, (ushort)_questions.Count);
        WriteUInt16(buffer, (ushort)_answers.Count);
        WriteUInt16(buffer, (ushort)_authorities.Count);
        WriteUInt16(buffer, (ushort)_additionals.Count);
        foreach (var q in _questions)
        {
            WriteName(buffer, q.Name);
            WriteUInt16(buffer, (ushort)q.Type);
            WriteUInt16(buffer, (ushort)q.Class);
        }

        foreach (var r in _answers.Concat(_authorities).Concat(_additionals))
        {
            WriteRecord(buffer, r);
        }

        return [.. buffer];
    }

    private static void WriteRecord(List<byte> buffer, DnsRecord record)
    {
        WriteName(buffer, record.Name);
        WriteUInt16(buffer, (ushort)record.Type);
        WriteUInt16(buffer, (ushort)record.Class);
        WriteUInt32(buffer, record.Ttl);
        var lengthAt = buffer.Count;
        WriteUInt16(buffer, 0);
        var start = buffer.Count;
        switch (record)
        {
            case ARecord a:
                buffer.AddRange(AddressBytes(a.Address, AddressFamily.InterNetwork));
                break;
            case AaaaRecord a6:
                buffer.AddRange(AddressBytes(a6.Address, AddressFamily.InterNetworkV6));
                break;
            case CnameRecord cname:
                WriteName(buffer, cname.Target);
                break;
            case NsRecord ns:
                WriteName(buffer, ns.Host);
                break;
            case MxRecord mx:
                WriteUInt16(buffer, mx.Preference);
                WriteName(buffer, mx.Exchange);
                break;
            case SrvRecord srv:
                WriteUInt16(buffer, srv.Priority);
                WriteUInt16(buffer, srv.Weight);
                WriteUInt16(buffer, srv.Port);
                WriteName(buffer, srv.Target);
                break;
            case NaptrRecord naptr:
                WriteUInt16(buffer, naptr.Order);
                WriteUInt16(buffer, naptr.Preference);
                WriteCharacterString(buffer, Encoding.UTF8.GetBytes(naptr.Flags));
                WriteCharacterString(buffer, Encoding.UTF8.GetBytes(naptr.Services));
                WriteCharacterString(buffer, Encoding.UTF8.GetBytes(naptr.Regexp));
                WriteName(buffer, naptr.Replacement);
                break;
            case SoaRecord soa:
                WriteName(buffer, soa.PrimaryServer);
                WriteName(buffer, soa.ResponsibleMailbox);
                WriteUInt32(buffer, soa.Serial);
                WriteUInt32(buffer, soa.Refresh);
                WriteUInt32(buffer, soa.Retry);
                WriteUInt32(buffer, soa.Expire);
                WriteUInt32(buffer, soa.Minimum);
                break;
            case TxtRecord txt:
                foreach (var s in txt.Strings)
                {
                    WriteCharacterString(buffer, s.AsSpan());
                }

                break;
            case UnknownRecord unknown:
                buffer.AddRange(unknown.Data);
                break;
            default:
                throw new ArgumentException($"no writer for {record.GetType().Name}", nameof(record));
        }

        var rdLength = buffer.Count - start;
        if (rdLength > ushort.MaxValue)
        {
            throw new ArgumentException("RDATA longer than 65535 octets", nameof(record));
        }

        buffer[lengthAt] = (byte)(rdLength >> 8);
        buffer[lengthAt + 1] = (byte)rdLength;
    }

    private static byte[] AddressBytes(System.Net.IPAddress address, AddressFamily family)
    {
        if (address.AddressFamily != family)
        {
            throw new ArgumentException($"address {address} is not {family}", nameof(address));
        }

        return address.GetAddressBytes();
    }

    /// <summary>Writes a name as uncompressed labels (RFC 1035 §3.1).</summary>
    public static void WriteName(List<byte> buffer, string name)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (!DnsName.TryGetLabels(name, out var labels, out var error))
        {
            throw new ArgumentException($"invalid domain name '{name}': {error}", nameof(name));
        }

        foreach (var label in labels)
        {
            buffer.Add((byte)label.Length);
            buffer.AddRange(label);
        }

        buffer.Add(0);
    }

    private static void WriteCharacterString(List<byte> buffer, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 255)
        {
            throw new ArgumentException("character-string longer than 255 octets", nameof(bytes));
        }

        buffer.Add((byte)bytes.Length);
        buffer.AddRange(bytes);
    }

    private static void WriteUInt16(List<byte> buffer, ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, value);
        buffer.AddRange(b);
    }

    private static void WriteUInt32(List<byte> buffer, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        buffer.AddRange(b);
    }
}

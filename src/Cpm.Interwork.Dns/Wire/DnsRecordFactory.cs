using System.Collections.Immutable;
using System.Net;

namespace Cpm.Interwork.Dns.Wire;

/// <summary>
/// Reads one resource record and builds the typed record for its TYPE, or an <see cref="UnknownRecord"/>
/// with the raw RDATA. Every RDATA reader must end exactly at RDLENGTH, else the message is rejected
/// (<see cref="DnsFormatError.RdLengthMismatch"/>).
/// </summary>
internal static class DnsRecordFactory
{
    public static bool TryReadRecord(ref DnsWireReader reader, out DnsRecord record)
    {
        record = null!;
        if (!reader.TryReadName(out var name)
            || !reader.TryReadUInt16(out var type)
            || !reader.TryReadUInt16(out var cls)
            || !reader.TryReadUInt32(out var ttl)
            || !reader.TryReadUInt16(out var rdLength))
        {
            return false;
        }

        var rdStart = reader.Position;
        var rdEnd = rdStart + rdLength;
        if (rdEnd > reader.Length)
        {
            return reader.Fail(DnsFormatError.Truncated, rdStart);
        }

        // RFC 2181 §8: a TTL with the top bit set is treated as zero.
        if (ttl > int.MaxValue)
        {
            ttl = 0;
        }

        var c = (DnsClass)cls;
        var savedLimit = reader.Limit;
        reader.Limit = rdEnd;
        var ok = (DnsRecordType)type switch
        {
            DnsRecordType.A => TryReadAddress(ref reader, rdLength, 4, out var a) && Set(out record, new ARecord(name, c, ttl, a)),
            DnsRecordType.Aaaa => TryReadAddress(ref reader, rdLength, 16, out var a6) && Set(out record, new AaaaRecord(name, c, ttl, a6)),
            DnsRecordType.Cname => reader.TryReadName(out var target) && Set(out record, new CnameRecord(name, c, ttl, target)),
            DnsRecordType.Ns => reader.TryReadName(out var host) && Set(out record, new NsRecord(name, c, ttl, host)),
            DnsRecordType.Mx => reader.TryReadUInt16(out var pref) && reader.TryReadName(out var exchange)
                && Set(out record, new MxRecord(name, c, ttl, pref, exchange)),
            DnsRecordType.Srv => reader.TryReadUInt16(out var prio) && reader.TryReadUInt16(out var weight)
                && reader.TryReadUInt16(out var port) && reader.TryReadName(out var srvTarget)
                && Set(out record, new SrvRecord(name, c, ttl, prio, weight, port, srvTarget)),
            DnsRecordType.Naptr => TryReadNaptr(ref reader, name, c, ttl, out record),
            DnsRecordType.Soa => TryReadSoa(ref reader, name, c, ttl, out record),
            DnsRecordType.Txt => TryReadTxt(ref reader, name, c, ttl, rdEnd, out record),
            _ => reader.TryReadBytes(rdLength, out var raw)
                && Set(out record, new UnknownRecord(name, c, ttl, (DnsRecordType)type, ImmutableArray.Create(raw.ToArray()))),
        };

        reader.Limit = savedLimit;
        if (!ok)
        {
            return false;
        }

        if (reader.Position != rdEnd)
        {
            record = null!;
            return reader.Fail(DnsFormatError.RdLengthMismatch, rdStart);
        }

        return true;
    }

    private static bool Set(out DnsRecord record, DnsRecord value)
    {
        record = value;
        return true;
    }

    private static bool TryReadAddress(ref DnsWireReader reader, int rdLength, int size, out IPAddress address)
    {
        address = IPAddress.None;
        if (rdLength != size)
        {
            return reader.Fail(DnsFormatError.RdLengthMismatch, reader.Position);
        }

        if (!reader.TryReadBytes(size, out var bytes))
        {
            return false;
        }

        address = new IPAddress(bytes);
        return true;
    }

    private static bool TryReadNaptr(ref DnsWireReader reader, string name, DnsClass c, uint ttl, out DnsRecord record)
    {
        record = null!;
        if (!reader.TryReadUInt16(out var order) || !reader.TryReadUInt16(out var preference)
            || !reader.TryReadCharacterString(out string flags) || !reader.TryReadCharacterString(out string services)
            || !reader.TryReadCharacterString(out string regexp) || !reader.TryReadName(out var replacement))
        {
            return false;
        }

        record = new NaptrRecord(name, c, ttl, order, preference, flags, services, regexp, replacement);
        return true;
    }

    private static bool TryReadSoa(ref DnsWireReader reader, string name, DnsClass c, uint ttl, out DnsRecord record)
    {
        record = null!;
        if (!reader.TryReadName(out var mname) || !reader.TryReadName(out var rname)
            || !reader.TryReadUInt32(out var serial) || !reader.TryReadUInt32(out var refresh)
            || !reader.TryReadUInt32(out var retry) || !reader.TryReadUInt32(out var expire)
            || !reader.TryReadUInt32(out var minimum))
        {
            return false;
        }

        record = new SoaRecord(name, c, ttl, mname, rname, serial, refresh, retry, expire, minimum);
        return true;
    }

    private static bool TryReadTxt(ref DnsWireReader reader, string name, DnsClass c, uint ttl, int rdEnd, out DnsRecord record)
    {
        record = null!;
        var strings = ImmutableArray.CreateBuilder<ImmutableArray<byte>>();
        while (reader.Position < rdEnd)
        {
            if (!reader.TryReadCharacterString(out ReadOnlySpan<byte> bytes))
            {
                return false;
            }

            strings.Add(ImmutableArray.Create(bytes.ToArray()));
        }

        record = new TxtRecord(name, c, ttl, strings.ToImmutable());
        return true;
    }
}

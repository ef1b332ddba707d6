using System.Collections.Immutable;
using System.Net;
using System.Text;

namespace Cpm.Interwork.Dns.Wire;

/// <summary>
/// A resource record (RFC 1035 §4.1.3). Immutable; the RDATA is typed by the subclass.
/// <code>
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// /                      NAME                     /
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// |                      TYPE                     |
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// |                     CLASS                     |
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// |                      TTL                      |
/// |                                               |
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// |                   RDLENGTH                    |
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--|
/// /                     RDATA                     /
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// </code>
/// </summary>
public abstract record DnsRecord(string Name, DnsClass Class, uint Ttl)
{
    public abstract DnsRecordType Type { get; }
}

/// <summary>A: one IPv4 address, RDLENGTH 4 (RFC 1035 §3.4.1).</summary>
public sealed record ARecord(string Name, DnsClass Class, uint Ttl, IPAddress Address) : DnsRecord(Name, Class, Ttl)
{
    public override DnsRecordType Type => DnsRecordType.A;
}

/// <summary>AAAA: one IPv6 address, RDLENGTH 16 (RFC 3596 §2.2).</summary>
public sealed record AaaaRecord(string Name, DnsClass Class, uint Ttl, IPAddress Address) : DnsRecord(Name, Class, Ttl)
{
    public override DnsRecordType Type => DnsRecordType.Aaaa;
}

/// <summary>CNAME: /CNAME/ (RFC 1035 §3.3.1).</summary>
public sealed record CnameRecord(string Name, DnsClass Class, uint Ttl, string Target) : DnsRecord(Name, Class, Ttl)
{
    public override DnsRecordType Type => DnsRecordType.Cname;
}

/// <summary>NS: /NSDNAME/ (RFC 1035 §3.3.11).</summary>
public sealed record NsRecord(string Name, DnsClass Class, uint Ttl, string Host) : DnsRecord(Name, Class, Ttl)
{
    public override DnsRecordType Type => DnsRecordType.Ns;
}

/// <summary>
/// MX (RFC 1035 §3.3.9).
/// <code>
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// |                  PREFERENCE                   |
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// /                   EXCHANGE                    /
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// </code>
/// </summary>
public sealed record MxRecord(string Name, DnsClass Class, uint Ttl, ushort Preference, string Exchange) : DnsRecord(Name, Class, Ttl)
{
    public override DnsRecordType Type => DnsRecordType.Mx;

    /// <summary>RFC 7505 "null MX": the domain accepts no mail.</summary>
    public bool IsNullMx => Exchange.Length == 0;
}

/// <summary>
/// NAPTR (RFC 3403 §4.1).
/// <code>
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// |                     ORDER                     |
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// |                   PREFERENCE                  |
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// /                     FLAGS                     /
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// /                   SERVICES                    /
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// /                    REGEXP                     /
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// /                  REPLACEMENT                  /
/// /                                               /
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// </code>
/// FLAGS, SERVICES and REGEXP are &lt;character-string&gt;s (REGEXP is UTF-8); REPLACEMENT is a domain name.
/// </summary>
public sealed record NaptrRecord(
    string Name, DnsClass Class, uint Ttl, ushort Order, ushort Preference,
    string Flags, string Services, string Regexp, string Replacement) : DnsRecord(Name, Class, Ttl)
{
    public override DnsRecordType Type => DnsRecordType.Naptr;
}

/// <summary>
/// SRV (RFC 2782): PRIORITY, WEIGHT, PORT (16 bits each) then TARGET.
/// </summary>
public sealed record SrvRecord(string Name, DnsClass Class, uint Ttl, ushort Priority, ushort Weight, ushort Port, string Target) : DnsRecord(Name, Class, Ttl)
{
    public override DnsRecordType Type => DnsRecordType.Srv;
}

/// <summary>
/// SOA (RFC 1035 §3.3.13).
/// <code>
/// /                     MNAME                     /
/// /                     RNAME                     /
/// |                    SERIAL                     |  32 bits
/// |                    REFRESH                    |  32 bits
/// |                     RETRY                     |  32 bits
/// |                    EXPIRE                     |  32 bits
/// |                    MINIMUM                    |  32 bits
/// </code>
/// MINIMUM is the negative-caching TTL (RFC 2308 §4).
/// </summary>
public sealed record SoaRecord(
    string Name, DnsClass Class, uint Ttl, string PrimaryServer, string ResponsibleMailbox,
    uint Serial, uint Refresh, uint Retry, uint Expire, uint Minimum) : DnsRecord(Name, Class, Ttl)
{
    public override DnsRecordType Type => DnsRecordType.Soa;
}

/// <summary>TXT: one or more &lt;character-string&gt;s (RFC 1035 §3.3.14), kept as bytes.</summary>
public sealed record TxtRecord(string Name, DnsClass Class, uint Ttl, ImmutableArray<ImmutableArray<byte>> Strings) : DnsRecord(Name, Class, Ttl)
{
    public override DnsRecordType Type => DnsRecordType.Txt;

    /// <summary>The strings concatenated and decoded as UTF-8 (invalid sequences replaced).</summary>
    public string Text
    {
        get
        {
            var sb = new StringBuilder();
            foreach (var s in Strings)
            {
                sb.Append(Encoding.UTF8.GetString(s.AsSpan()));
            }

            return sb.ToString();
        }
    }
}

/// <summary>Any other TYPE: the raw RDATA (RFC 3597 §5).</summary>
public sealed record UnknownRecord(string Name, DnsClass Class, uint Ttl, DnsRecordType RecordType, ImmutableArray<byte> Data) : DnsRecord(Name, Class, Ttl)
{
    public override DnsRecordType Type => RecordType;
}

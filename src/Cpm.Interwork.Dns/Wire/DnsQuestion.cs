namespace Cpm.Interwork.Dns.Wire;

/// <summary>
/// A question entry (RFC 1035 §4.1.2).
/// <code>
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// /                     QNAME                     /
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// |                     QTYPE                     |
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// |                     QCLASS                    |
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// </code>
/// </summary>
public sealed record DnsQuestion(string Name, DnsRecordType Type, DnsClass Class = DnsClass.IN)
{
    /// <summary>True when this question names the same name (ASCII case-insensitive, RFC 4343), type and class.</summary>
    public bool Matches(DnsQuestion other) =>
        other is not null && Type == other.Type && Class == other.Class && DnsName.EqualsIgnoreCase(Name, other.Name);

    public override string ToString() => $"{Name} {Class} {Type}";
}

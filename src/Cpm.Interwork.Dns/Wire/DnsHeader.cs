namespace Cpm.Interwork.Dns.Wire;

/// <summary>
/// The fixed 12-octet message header (RFC 1035 §4.1.1).
/// <code>
///                                 1  1  1  1  1  1
///   0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// |                      ID                       |
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// |                    QDCOUNT                    |
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// |                    ANCOUNT                    |
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// |                    NSCOUNT                    |
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// |                    ARCOUNT                    |
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// </code>
/// </summary>
public readonly record struct DnsHeader(
    ushort Id,
    ushort Flags,
    ushort QuestionCount,
    ushort AnswerCount,
    ushort AuthorityCount,
    ushort AdditionalCount)
{
    public const int Size = 12;

    public bool IsResponse => (Flags & 0x8000) != 0;
    public DnsOpcode Opcode => (DnsOpcode)((Flags >> 11) & 0xF);
    public bool IsAuthoritative => (Flags & 0x0400) != 0;
    public bool IsTruncated => (Flags & 0x0200) != 0;
    public bool RecursionDesired => (Flags & 0x0100) != 0;
    public bool RecursionAvailable => (Flags & 0x0080) != 0;
    public DnsResponseCode ResponseCode => (DnsResponseCode)(Flags & 0xF);

    public static ushort BuildFlags(bool response, DnsOpcode opcode, bool authoritative, bool truncated,
        bool recursionDesired, bool recursionAvailable, DnsResponseCode rcode) =>
        (ushort)((response ? 0x8000 : 0) | (((int)opcode & 0xF) << 11) | (authoritative ? 0x0400 : 0)
            | (truncated ? 0x0200 : 0) | (recursionDesired ? 0x0100 : 0) | (recursionAvailable ? 0x0080 : 0)
            | ((int)rcode & 0xF));
}

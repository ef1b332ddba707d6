namespace Cpm.Interwork.Dns.Wire;

/// <summary>Resource record TYPE values (RFC 1035 §3.2.2, RFC 3596, RFC 2782, RFC 3403, RFC 6891).</summary>
public enum DnsRecordType : ushort
{
    A = 1,
    Ns = 2,
    Cname = 5,
    Soa = 6,
    Mx = 15,
    Txt = 16,
    Aaaa = 28,
    Srv = 33,
    Naptr = 35,
    Opt = 41,
    Any = 255,
}

/// <summary>CLASS values (RFC 1035 §3.2.4).</summary>
public enum DnsClass : ushort
{
    IN = 1,
    CH = 3,
    HS = 4,
    Any = 255,
}

/// <summary>RCODE values (RFC 1035 §4.1.1, RFC 2136 §2.2).</summary>
public enum DnsResponseCode : byte
{
    NoError = 0,
    FormErr = 1,
    ServFail = 2,
    NXDomain = 3,
    NotImp = 4,
    Refused = 5,
    YXDomain = 6,
    YXRRSet = 7,
    NXRRSet = 8,
    NotAuth = 9,
    NotZone = 10,
}

/// <summary>OPCODE values (RFC 1035 §4.1.1).</summary>
public enum DnsOpcode : byte
{
    Query = 0,
    IQuery = 1,
    Status = 2,
    Notify = 4,
    Update = 5,
}

namespace Cpm.Interwork.Dns.Wire;

/// <summary>Why a DNS message was rejected by <see cref="DnsMessage.TryParse"/>.</summary>
public enum DnsFormatError
{
    None = 0,
    /// <summary>The message ended inside a field (header, question, record or RDATA).</summary>
    Truncated,
    /// <summary>A compression pointer does not point strictly backwards (self pointer, forward pointer or a loop).</summary>
    CompressionLoop,
    /// <summary>A compression pointer points beyond the end of the message.</summary>
    PointerOutOfRange,
    /// <summary>A name is longer than 255 octets on the wire (RFC 1035 §3.1).</summary>
    NameTooLong,
    /// <summary>A label length byte uses the reserved 01/10 prefixes (RFC 1035 §4.1.4, RFC 6891 §5).</summary>
    BadLabelType,
    /// <summary>A record's RDATA was not consumed exactly by its RDLENGTH.</summary>
    RdLengthMismatch,
    /// <summary>The section counts need more octets than the message holds.</summary>
    CountExceedsMessage,
    /// <summary>Bytes remain after the last record the counts announce.</summary>
    TrailingBytes,
}

/// <summary>A rejection with the byte offset where it was detected.</summary>
public readonly record struct DnsParseError(DnsFormatError Reason, int Offset)
{
    public override string ToString() => $"{Reason} at offset {Offset}";
}

using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Cpm.Interwork.Dns.Wire;

/// <summary>
/// A parsed DNS message (RFC 1035 §4.1): immutable.
/// <code>
/// +---------------------+
/// |        Header       |
/// +---------------------+
/// |       Question      | the question for the name server
/// +---------------------+
/// |        Answer       | RRs answering the question
/// +---------------------+
/// |      Authority      | RRs pointing toward an authority
/// +---------------------+
/// |      Additional     | RRs holding additional information
/// +---------------------+
/// </code>
/// </summary>
public sealed class DnsMessage
{
    public DnsMessage(DnsHeader header, ImmutableArray<DnsQuestion> questions, ImmutableArray<DnsRecord> answers,
        ImmutableArray<DnsRecord> authorities, ImmutableArray<DnsRecord> additionals)
    {
        Header = header;
        Questions = questions;
        Answers = answers;
        Authorities = authorities;
        Additionals = additionals;
    }

    public DnsHeader Header { get; }
    public ImmutableArray<DnsQuestion> Questions { get; }
    public ImmutableArray<DnsRecord> Answers { get; }
    public ImmutableArray<DnsRecord> Authorities { get; }
    public ImmutableArray<DnsRecord> Additionals { get; }

    /// <summary>
    /// Parses a whole message. Never throws on bad input and always terminates: every name read is
    /// bounded (backward-only compression pointers, 255 octets), section counts are checked against the
    /// message size before anything is allocated, and each record must consume exactly its RDLENGTH.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> data, [NotNullWhen(true)] out DnsMessage? message, out DnsParseError error)
    {
        message = null;
        var reader = new DnsWireReader(data);
        if (!reader.TryReadHeader(out var header))
        {
            error = reader.Error;
            return false;
        }

        // Each question needs at least 5 octets (root name + QTYPE + QCLASS), each RR 11.
        long minimum = (header.QuestionCount * 5L) + ((header.AnswerCount + (long)header.AuthorityCount + header.AdditionalCount) * 11L);
        if (minimum > data.Length - DnsHeader.Size)
        {
            error = new DnsParseError(DnsFormatError.CountExceedsMessage, DnsHeader.Size);
            return false;
        }

        var questions = ImmutableArray.CreateBuilder<DnsQuestion>(header.QuestionCount);
        for (var i = 0; i < header.QuestionCount; i++)
        {
            if (!reader.TryReadQuestion(out var q))
            {
                error = reader.Error;
                return false;
            }

            questions.Add(q);
        }

        if (!TryReadSection(ref reader, header.AnswerCount, out var answers)
            || !TryReadSection(ref reader, header.AuthorityCount, out var authorities)
            || !TryReadSection(ref reader, header.AdditionalCount, out var additionals))
        {
            error = reader.Error;
            return false;
        }

        if (reader.Position != data.Length)
        {
            error = new DnsParseError(DnsFormatError.TrailingBytes, reader.Position);
            return false;
        }

        error = default;
        message = new DnsMessage(header, questions.MoveToImmutable(), answers, authorities, additionals);
        return true;
    }

    /// <summary>Reads only the header (used to match a response's ID before parsing the rest).</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> data, out DnsHeader header)
    {
        var reader = new DnsWireReader(data);
        return reader.TryReadHeader(out header);
    }

    private static bool TryReadSection(ref DnsWireReader reader, int count, out ImmutableArray<DnsRecord> records)
    {
        var builder = ImmutableArray.CreateBuilder<DnsRecord>(count);
        for (var i = 0; i < count; i++)
        {
            if (!DnsRecordFactory.TryReadRecord(ref reader, out var record))
            {
                records = default;
                return false;
            }

            builder.Add(record);
        }

        records = builder.MoveToImmutable();
        return true;
    }
}

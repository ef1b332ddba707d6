using Cpm.Interwork.Dns.Tests.Support;
using Cpm.Interwork.Dns.Wire;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cpm.Interwork.Dns.Tests;

public class ParserPropertyTests
{
    [Property(MaxTest = 2000)]
    public bool ArbitraryBytes_EndAsMessageOrFormatError(byte[] data)
    {
        var ok = DnsMessage.TryParse(data, out var message, out var error);
        return ok ? message is not null && error.Reason == DnsFormatError.None : message is null && error.Reason != DnsFormatError.None;
    }

    [Property(MaxTest = 2000)]
    public bool ArbitraryTailsAfterAValidHeaderAndQuestion_EndAsData(byte[] tail, ushort an, ushort ns, ushort ar)
    {
        var head = Vectors.Load("naptr-answer.hex").AsSpan(0, 12 + 35 + 4).ToArray();
        head[6] = (byte)(an >> 8);
        head[7] = (byte)an;
        head[8] = (byte)(ns >> 8);
        head[9] = (byte)ns;
        head[10] = (byte)(ar >> 8);
        head[11] = (byte)ar;
        var ok = DnsMessage.TryParse([.. head, .. tail ?? []], out var message, out _);
        return ok == (message is not null);
    }

    [Property(MaxTest = 500)]
    public Property MxRecords_RoundTripThroughTheBuilder()
    {
        var label = Gen.Elements("a", "mms", "example", "mmsc-1", "x9", "net", "e164", "arpa").ListOf().Where(l => l.Count is > 0 and < 8);
        var gen = from owner in label from exchange in label from pref in Gen.Choose(0, 65535) select (owner, exchange, pref);
        return Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var (owner, exchange, pref) = t;
            var record = new MxRecord(string.Join('.', owner), DnsClass.IN, 60, (ushort)pref, string.Join('.', exchange));
            var bytes = new DnsMessageBuilder(1, DnsHeader.BuildFlags(true, DnsOpcode.Query, false, false, false, false, DnsResponseCode.NoError))
                .AddQuestion(new DnsQuestion(record.Name, DnsRecordType.Mx)).AddAnswer(record).ToArray();
            return DnsMessage.TryParse(bytes, out var m, out _) && m.Answers.Single().Equals(record);
        });
    }
}

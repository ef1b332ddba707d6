using System.Text;
using Cpm.Interwork.Mime;
using Cpm.Interwork.Mime.Cpim;
using FsCheck.Xunit;

namespace Cpm.Interwork.Mime.Tests;

public class CpimAndPropertyTests
{
    [Fact]
    public void Cpim_Rfc3862Example_WithImdnHeaders()
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Vectors", "cpim-rfc3862.txt"));
        var m = CpimMessage.Parse(bytes, MimeParserOptions.Default)!;
        Assert.Equal(new CpimAddress("MR SANDERS", "im:piglet@100akerwood.com"), m.From);
        Assert.Equal("im:eeyore@100akerwood.com", Assert.Single(m.To).Address);
        Assert.Equal(new DateTimeOffset(2000, 12, 13, 13, 40, 0, TimeSpan.FromHours(-8)), m.DateTime);
        Assert.Equal("34jk324j", m.ImdnMessageId);
        Assert.Equal(DispositionNotification.PositiveDelivery | DispositionNotification.Display, m.DispositionNotification);
        Assert.True(m.ContentType.Is("text", "plain"));
        Assert.Equal("Here is the text of my message.", Encoding.ASCII.GetString(m.Body.Span));
    }

    [Property(MaxTest = 300)]
    public bool RandomMutations_NeverThrow(byte[] noise, int position)
    {
        var baseMsg = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Vectors", "mm4-related.eml"));
        var pos = (int)((uint)position % (uint)baseMsg.Length);
        var mutated = baseMsg[..pos].Concat(noise ?? []).Concat(baseMsg[pos..]).ToArray();
        var r = MimeParser.Parse(mutated, MimeParserOptions.Default);
        if (r.Entity is MimePart p) { _ = p.GetDecodedContent(); }
        _ = r.Entity?.ToBytes();
        return r.IsSuccess || r.Reason != MimeRejectionReason.None;
    }

    [Property(MaxTest = 300)]
    public bool EncodedWords_RoundTrip_AnyString(string? s)
    {
        s ??= string.Empty;
        if (s.Any(char.IsSurrogate) || s.Any(c => c is '\r' or '\n')) { s = new string(s.Where(c => !char.IsSurrogate(c) && c is not '\r' and not '\n').ToArray()); }
        var e = EncodedWords.Encode(s);
        return e.All(c => c < 127 || s == e) && EncodedWords.Decode(e) == s;
    }

    [Property(MaxTest = 200)]
    public bool Base64AndQp_RoundTrip(byte[] data)
    {
        data ??= [];
        return TransferEncodings.DecodeBase64(TransferEncodings.EncodeBase64(data)).AsSpan().SequenceEqual(data)
            && TransferEncodings.DecodeQuotedPrintable(TransferEncodings.EncodeQuotedPrintable(data)).AsSpan().SequenceEqual(data);
    }
}

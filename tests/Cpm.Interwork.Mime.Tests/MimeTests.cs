using System.Buffers;
using System.Text;
using Cpm.Interwork.Mime;

namespace Cpm.Interwork.Mime.Tests;

public class MimeTests
{
    private static byte[] Vector(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Vectors", name));

    [Fact]
    public void Mm4Related_ParsesStructure()
    {
        var r = MimeParser.Parse(Vector("mm4-related.eml"), MimeParserOptions.Default);
        Assert.True(r.IsSuccess);
        var m = Assert.IsType<MimeMultipart>(r.Entity);
        Assert.Equal("b1", m.Boundary);
        Assert.Equal("<smil>", m.ContentType.Start);
        Assert.Equal("application/smil", m.ContentType.Type);
        Assert.Equal(2, m.Parts.Count);
        Assert.Equal("<smil>", m.Parts[0].ContentId);
        var alt = Assert.IsType<MimeMultipart>(m.Parts[1]);
        Assert.Equal("Café soft", ((MimePart)alt.Parts[0]).GetText());
        Assert.Equal("Café", ((MimePart)alt.Parts[1]).GetText());
        Assert.Equal("Café  folded", m.Headers.Get("subject")!.DecodedValue);
        Assert.Equal("MM4_forward.REQ", m.Headers.Get("X-MMS-MESSAGE-TYPE")!.Value);
        Assert.False(m.MissingFinalBoundary);
    }

    [Fact]
    public void Mm4Related_RoundTripsByteForByte()
    {
        var bytes = Vector("mm4-related.eml");
        var r = MimeParser.Parse(bytes, MimeParserOptions.Default);
        Assert.Equal(Encoding.Latin1.GetString(bytes), Encoding.Latin1.GetString(r.Entity!.ToBytes()));
    }

    [Theory]
    [InlineData("=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=", "a b")]
    [InlineData("=?US-ASCII?Q?Keith_Moore?=", "Keith Moore")]
    [InlineData("=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=", "If you can read this yo")]
    [InlineData("=?windows-1252?Q?=80?=", "€")]
    public void EncodedWords_DecodeRfc2047Examples(string input, string expected) =>
        Assert.Equal(expected, EncodedWords.Decode(input));

    [Theory]
    [InlineData("Café au lait")]
    [InlineData("日本語のテキストです、長いもの長いもの長いもの長いもの長いもの")]
    [InlineData("plain")]
    public void EncodedWords_RoundTrip(string s)
    {
        var e = EncodedWords.Encode(s);
        Assert.All(e, c => Assert.True(c < 127));
        Assert.Equal(s, EncodedWords.Decode(e));
    }

    [Fact]
    public void Rfc2231_ContinuationsAndCharset()
    {
        var ct = ContentType.Parse("application/x-stuff; title*0*=us-ascii'en'This%20is%20even%20more%20; title*1*=%2A%2A%2Afun%2A%2A%2A%20; title*2=\"isn't it!\"");
        Assert.Equal("This is even more ***fun*** isn't it!", ct.GetParameter("title"));
    }

    [Fact]
    public void Limits_Depth_Parts_HeaderSize_AreRejected()
    {
        var bytes = Vector("mm4-related.eml");
        Assert.Equal(MimeRejectionReason.TooDeep, MimeParser.Parse(bytes, new MimeParserOptions { MaxDepth = 2 }).Reason);
        Assert.Equal(MimeRejectionReason.TooManyParts, MimeParser.Parse(bytes, new MimeParserOptions { MaxParts = 3 }).Reason);
        Assert.Equal(MimeRejectionReason.HeaderTooLarge, MimeParser.Parse(bytes, new MimeParserOptions { MaxHeaderBytes = 50 }).Reason);
    }

    [Fact]
    public void MissingFinalBoundary_IsTolerated_AndBareLfAccepted()
    {
        var msg = "Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain\n\nhello\n--x\n\nworld"u8.ToArray();
        var r = MimeParser.Parse(msg, MimeParserOptions.Default);
        var m = Assert.IsType<MimeMultipart>(r.Entity);
        Assert.True(m.MissingFinalBoundary);
        Assert.Equal(2, m.Parts.Count);
        Assert.Equal("hello", Encoding.ASCII.GetString(((MimePart)m.Parts[0]).RawBody.Span));
    }

    [Fact]
    public void Builder_WriteThenParse_SameContent()
    {
        var jpeg = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9 };
        var body = MimeMultipartBuilder.Related("<smil>", "application/smil")
            .Add(new MimePartBuilder("application/smil").ContentId("<smil>").Content("<smil/>"u8, "7bit").Build())
            .Add(new MimePartBuilder("image/jpeg").ContentId("<img>").Content(jpeg).Build())
            .Add(new MimePartBuilder("text/plain; charset=utf-8").Content(Encoding.UTF8.GetBytes("Grüße\r\n"), "quoted-printable").Build())
            .Build();
        var msg = new MimeMessageBuilder().Header("Subject", "Grüße aus Köln").Header("X-Mms-Message-Type", "MM4_forward.REQ").Body(body).Build();
        var bytes = msg.ToBytes();
        var parsed = Assert.IsType<MimeMultipart>(MimeParser.Parse(bytes, MimeParserOptions.Default).Entity);
        Assert.Equal("Grüße aus Köln", parsed.Headers.Get("Subject")!.DecodedValue);
        Assert.Equal(3, parsed.Parts.Count);
        Assert.Equal(jpeg, ((MimePart)parsed.Parts[1]).GetDecodedContent());
        Assert.Equal("Grüße\r\n", ((MimePart)parsed.Parts[2]).GetText());
        Assert.Equal(bytes, parsed.ToBytes());
    }

    [Fact]
    public void MalformedHeaderLine_IsKeptAndFlagged()
    {
        var msg = "Subject: hi\r\nthis is not a header\r\n\r\nbody"u8.ToArray();
        var e = MimeParser.Parse(msg, MimeParserOptions.Default).Entity!;
        Assert.Equal(2, e.Headers.Count);
        Assert.True(e.Headers[1].IsMalformed);
        Assert.Equal(msg, e.ToBytes());
    }
}

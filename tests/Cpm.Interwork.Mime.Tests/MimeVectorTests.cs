using System.Buffers;
using System.Text;

namespace Cpm.Interwork.Mime.Tests;

public class MimeVectorTests
{
    private static MimeEntity Parse(byte[] bytes)
    {
        var r = MimeParser.Parse(bytes, MimeParserOptions.Default);
        Assert.True(r.IsSuccess, $"rejected: {r.Reason} at {r.Offset}");
        return r.Entity!;
    }

    // bare-LF vectors come back with CRLF at boundaries and header ends, so only CRLF vectors are byte-exact
    public static TheoryData<string> CrlfEmlVectors() => [.. Vectors.Names("*.eml").Where(n => Vectors.Read(n).AsSpan().IndexOf("\r\n"u8) >= 0)];

    [Theory]
    [MemberData(nameof(CrlfEmlVectors))]
    public void UntouchedMessage_RewritesByteForByte(string name)
    {
        var bytes = Vectors.Read(name);
        Assert.Equal(Encoding.Latin1.GetString(bytes), Encoding.Latin1.GetString(Parse(bytes).ToBytes()));
    }

    [Fact]
    public void Rfc2046_5_1_1_PreambleImplicitTypeAndEpilogue()
    {
        var m = Assert.IsType<MimeMultipart>(Parse(Vectors.Read("rfc2046-5_1_1.eml")));
        Assert.Equal("simple boundary", m.Boundary);
        Assert.Equal(2, m.Parts.Count);
        var implicitPart = Assert.IsType<MimePart>(m.Parts[0]);
        Assert.Empty(implicitPart.Headers);
        Assert.True(implicitPart.ContentType.Is("text", "plain"));
        Assert.Equal("us-ascii", implicitPart.ContentType.Charset);
        Assert.Equal("This is implicitly typed plain US-ASCII text.\r\nIt does NOT end with a linebreak.", implicitPart.GetText());
        Assert.Equal("This is explicitly typed plain US-ASCII text.\r\nIt DOES end with a linebreak.\r\n", ((MimePart)m.Parts[1]).GetText());
        Assert.StartsWith("This is the preamble.", Encoding.ASCII.GetString(m.Preamble.Span), StringComparison.Ordinal);
        Assert.Contains("This is the epilogue.", Encoding.ASCII.GetString(m.Epilogue.Span), StringComparison.Ordinal);
        Assert.Equal("Sample message", m.Headers.Get("subject")!.DecodedValue);
    }

    [Fact]
    public void Rfc2047_8_EncodedWordsInDisplayNamesAndSubject()
    {
        var e = Parse(Vectors.Read("rfc2047-8.eml"));
        Assert.Equal(new MailboxAddress("Keith Moore", "moore@cs.utk.edu"), MailboxAddress.Parse(e.Headers.Get("From")!.Value));
        Assert.Equal(new MailboxAddress("Keld Jørn Simonsen", "keld@dkuug.dk"), MailboxAddress.Parse(e.Headers.Get("To")!.Value));
        Assert.Equal(new MailboxAddress("André Pirard", "PIRARD@vm1.ulg.ac.be"), MailboxAddress.Parse(e.Headers.Get("Cc")!.Value));
        Assert.Equal("If you can read this you understand the example.", e.Headers.Get("Subject")!.DecodedValue);
    }

    [Theory] // RFC 2047 §8, the table of whitespace rules
    [InlineData("(=?ISO-8859-1?Q?a?=)", "(a)")]
    [InlineData("(=?ISO-8859-1?Q?a?= b)", "(a b)")]
    [InlineData("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)")]
    [InlineData("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)")]
    [InlineData("(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)", "(ab)")]
    [InlineData("(=?ISO-8859-1?Q?a_b?=)", "(a b)")]
    [InlineData("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a b)")]
    public void Rfc2047_8_WhitespaceBetweenEncodedWords(string encoded, string decoded) =>
        Assert.Equal(decoded, EncodedWords.Decode(encoded));

    [Fact]
    public void Rfc2231_ContinuationsCharsetsAndLanguages()
    {
        var m = Assert.IsType<MimeMultipart>(Parse(Vectors.Read("rfc2231-params.eml")));
        Assert.Equal(3, m.Parts.Count);
        Assert.Equal("ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar", m.Parts[0].ContentType.GetParameter("URL"));
        Assert.Equal("URL", m.Parts[0].ContentType.GetParameter("access-type"));
        Assert.Equal("This is ***fun***", m.Parts[1].ContentType.GetParameter("title"));
        Assert.Equal("This is even more ***fun*** isn't it!", m.Parts[2].ContentType.GetParameter("title"));
        Assert.Equal("résumé.txt", m.Parts[2].ContentDisposition!.FileName);
    }

    [Fact]
    public void Rfc2231_4_1_ExampleAsPrinted_WithoutSemicolons()
    {
        var e = MimeParser.Parse("Content-Type: application/x-stuff\r\n title*0*=us-ascii'en'This%20is%20even%20more%20\r\n title*1*=%2A%2A%2Afun%2A%2A%2A%20\r\n title*2=\"isn't it!\"\r\n\r\n"u8.ToArray(), MimeParserOptions.Default).Entity!;
        var ct = e.ContentType;
        Assert.True(ct.Is("application", "x-stuff"));
        Assert.Equal("This is even more ***fun*** isn't it!", ct.GetParameter("title"));
        var spaced = ContentType.Parse("multipart/related; type=\"application/smil\" start=<smil> boundary=b1");
        Assert.Equal(("application/smil", "<smil>", "b1"), (spaced.Type, spaced.Start, spaced.Boundary));
    }

    [Fact]
    public void Mm4ForwardRequest_SmilJpegUtf8Text_ValuesAsSent()
    {
        var m = Assert.IsType<MimeMultipart>(Parse(Vectors.Read("mm4-forward-smil-jpeg.eml")));
        Assert.True(m.ContentType.Is("multipart", "related"));
        Assert.Equal("<smil>", m.ContentType.Start);
        Assert.Equal("application/smil", m.ContentType.Type);
        Assert.Equal("----=_Part_0_1643149064", m.Boundary);
        Assert.Equal("Fête à la plage été", m.Headers.Get("Subject")!.DecodedValue);
        Assert.Equal("\"3863722022012600@mms.example.net\"", m.Headers.Get("x-mms-transaction-id")!.Value);
        var to = MailboxAddress.ParseList(m.Headers.Get("To")!.Value);
        Assert.Equal([new MailboxAddress(null, "+15550100002/TYPE=PLMN"), new MailboxAddress("J=?x", "+15550100003/TYPE=PLMN")], to);
        Assert.Equal(3, m.Parts.Count);
        Assert.Same(m.Parts[0], m.Root);
        Assert.Equal("smil.xml", m.Parts[0].ContentLocation);
        Assert.StartsWith("<smil><head>", ((MimePart)m.Parts[0]).GetText(), StringComparison.Ordinal);
        var jpeg = Assert.IsType<MimePart>(m.FindByContentId("cid:image1"));
        Assert.Equal("<image1>", jpeg.ContentId);
        Assert.Equal("image1", jpeg.ContentIdValue);
        Assert.Equal("base64", jpeg.ContentTransferEncoding);
        Assert.Equal(Vectors.Read("mm4-forward-smil-jpeg.jpg"), jpeg.GetDecodedContent());
        Assert.Equal("fête.jpg", jpeg.ContentDisposition!.FileName);
        Assert.Equal("photo.jpg", jpeg.ContentType.GetParameter("name"));
        var text = Assert.IsType<MimePart>(m.Parts[2]);
        Assert.Equal("Grüße aus Köln! Ünïcödé 日本 ✓\r\n", text.GetText());
        Assert.Equal("text_0.txt", text.ContentLocation);
    }

    [Fact]
    public void BareLfCopyOfTheMm4Vector_ReadsTheSameValues()
    {
        var crlf = Vectors.Read("mm4-forward-smil-jpeg.eml");
        var lf = Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(crlf).Replace("\r\n", "\n", StringComparison.Ordinal));
        var a = Assert.IsType<MimeMultipart>(Parse(crlf));
        var b = Assert.IsType<MimeMultipart>(Parse(lf));
        Assert.Equal(a.Headers.Select(h => (h.Name, h.DecodedValue)), b.Headers.Select(h => (h.Name, h.DecodedValue)));
        Assert.Equal(a.Parts.Count, b.Parts.Count);
        Assert.Equal(((MimePart)a.Parts[1]).GetDecodedContent(), ((MimePart)b.Parts[1]).GetDecodedContent());
        Assert.Equal(((MimePart)a.Parts[2]).GetText().Replace("\r\n", "\n", StringComparison.Ordinal), ((MimePart)b.Parts[2]).GetText());
        Assert.Equal(a.Parts.Select(p => p.ContentId), b.Parts.Select(p => p.ContentId));
    }

    [Fact]
    public void MessageRfc822_IsParsedAsNestedMessage_AndRewritesByteForByte()
    {
        var bytes = Encoding.ASCII.GetBytes(
            "Content-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n" +
            "--o\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\nContent-Type: multipart/alternative; boundary=i\r\n\r\n" +
            "--i\r\nContent-Type: text/plain\r\n\r\ninner text\r\n--i--\r\n\r\n--o--\r\n");
        var m = Assert.IsType<MimeMultipart>(Parse(bytes));
        var mp = Assert.IsType<MimeMessagePart>(m.Parts[1]);
        Assert.Equal("inner", mp.Message.Headers.Get("Subject")!.Value);
        var inner = Assert.IsType<MimeMultipart>(mp.Message);
        Assert.Equal("inner text", ((MimePart)inner.Parts[0]).GetText());
        Assert.Equal(bytes, m.ToBytes());
        var leaf = MimeParser.Parse(bytes, new MimeParserOptions { ParseMessageRfc822 = false }).Entity as MimeMultipart;
        Assert.IsType<MimePart>(leaf!.Parts[1]);
    }

    [Fact]
    public void BoundaryPrefixInsideContent_IsNotADelimiter()
    {
        var bytes = "Content-Type: multipart/mixed; boundary=ab\r\n\r\n--ab\r\n\r\n--abc is text\r\n--ab \r\n\r\nsecond\r\n--ab--"u8.ToArray();
        var m = Assert.IsType<MimeMultipart>(Parse(bytes));
        Assert.Equal(2, m.Parts.Count);
        Assert.Equal("--abc is text", ((MimePart)m.Parts[0]).GetText());
        Assert.Equal("second", ((MimePart)m.Parts[1]).GetText());
    }

    [Fact]
    public void WhitespaceBeforeColon_IsReadAsTheName_AndKeptOnRewrite()
    {
        var bytes = "Subject : spaced\r\nX-Mms-Message-Type:MM4_forward.REQ\r\n\r\n"u8.ToArray();
        var e = Parse(bytes);
        Assert.Equal("spaced", e.Headers.Get("Subject")!.Value);
        Assert.Equal("MM4_forward.REQ", e.Headers.Get("X-Mms-Message-Type")!.Value);
        Assert.Equal(bytes, e.ToBytes());
    }

    [Fact]
    public void Latin1HeaderBytes_AreReadAsLatin1_Utf8AsUtf8()
    {
        byte[] bytes = [.. "Subject: caf"u8, 0xE9, .. "\r\nComments: caf"u8, 0xC3, 0xA9, .. "\r\n\r\n"u8];
        var e = Parse(bytes);
        Assert.Equal("café", e.Headers.Get("Subject")!.Value);
        Assert.Equal("café", e.Headers.Get("Comments")!.Value);
        Assert.Equal(bytes, e.ToBytes());
    }

    [Theory]
    [InlineData("rfc2046-5_1_1.eml")]
    [InlineData("mm4-forward-smil-jpeg.eml")]
    [InlineData("rfc2231-params.eml")]
    public void EveryPrefix_EndsInSuccessOrRejection(string name)
    {
        var bytes = Vectors.Read(name);
        for (var n = 0; n <= bytes.Length; n++)
        {
            var r = MimeParser.Parse(bytes.AsMemory(0, n), MimeParserOptions.Default);
            Assert.True(r.IsSuccess || r.Reason != MimeRejectionReason.None);
            r.Entity?.WriteTo(new ArrayBufferWriter<byte>());
        }
    }
}

using System.Text;

namespace Cpm.Interwork.Mime.Tests;

public class LimitsAndWritingTests
{
    [Fact]
    public void MessageOverMaxMessageBytes_IsRejectedBeforeParsing()
    {
        var r = MimeParser.Parse(new byte[101], new MimeParserOptions { MaxMessageBytes = 100 });
        Assert.Equal(MimeRejectionReason.MessageTooLarge, r.Reason);
        Assert.Null(r.Entity);
    }

    [Fact]
    public void HeaderLineOverMaxLineLength_IsRejected_WithOffset()
    {
        var bytes = Encoding.ASCII.GetBytes("Subject: ok\r\nX-Long: " + new string('a', 200) + "\r\n\r\n");
        var r = MimeParser.Parse(bytes, new MimeParserOptions { MaxLineLength = 100 });
        Assert.Equal(MimeRejectionReason.LineTooLong, r.Reason);
        Assert.Equal(13, r.Offset);
    }

    [Fact]
    public void UnterminatedHugeHeaderBlock_IsRejected_NotBufferedWhole()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 5000; i++) { sb.Append("X-H").Append(i).Append(": v\r\n"); }
        var r = MimeParser.Parse(Encoding.ASCII.GetBytes(sb.ToString()), new MimeParserOptions { MaxHeaderBytes = 4096 });
        Assert.Equal(MimeRejectionReason.HeaderTooLarge, r.Reason);
    }

    [Fact]
    public void NestingDeeperThanMaxDepth_IsRejected()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 20; i++) { sb.Append("Content-Type: multipart/mixed; boundary=b").Append(i).Append("\r\n\r\n--b").Append(i).Append("\r\n"); }
        sb.Append("\r\nleaf");
        var bytes = Encoding.ASCII.GetBytes(sb.ToString());
        Assert.Equal(MimeRejectionReason.TooDeep, MimeParser.Parse(bytes, new MimeParserOptions { MaxDepth = 8 }).Reason);
        Assert.True(MimeParser.Parse(bytes, new MimeParserOptions { MaxDepth = 30 }).IsSuccess);
    }

    [Fact]
    public void MorePartsThanMaxParts_IsRejected()
    {
        var sb = new StringBuilder("Content-Type: multipart/mixed; boundary=b\r\n\r\n");
        for (var i = 0; i < 50; i++) { sb.Append("--b\r\n\r\npart\r\n"); }
        sb.Append("--b--");
        var bytes = Encoding.ASCII.GetBytes(sb.ToString());
        Assert.Equal(MimeRejectionReason.TooManyParts, MimeParser.Parse(bytes, new MimeParserOptions { MaxParts = 10 }).Reason);
        Assert.Equal(50, ((MimeMultipart)MimeParser.Parse(bytes, new MimeParserOptions { MaxParts = 51 }).Entity!).Parts.Count);
    }

    [Fact]
    public void Options_Validate_NamesBadValues()
    {
        Assert.Empty(MimeParserOptions.Default.Validate());
        var errors = new MimeParserOptions { MaxDepth = 0, MaxLineLength = 10 }.Validate().ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("MaxDepth", StringComparison.Ordinal));
    }

    [Fact]
    public void LongHeader_IsFoldedAtWhitespace_Within78()
    {
        var words = string.Join(' ', Enumerable.Range(0, 40).Select(i => "word" + i));
        var h = MimeHeader.Create("X-Long", words);
        var lines = Encoding.UTF8.GetString(h.RawValue.Span).Split("\r\n");
        Assert.True(lines.Length > 1);
        Assert.True(("X-Long:" + lines[0]).Length <= 78);
        Assert.All(lines.Skip(1), l => { Assert.True(l.Length <= 78); Assert.StartsWith(" ", l, StringComparison.Ordinal); });
        Assert.Equal(words, h.Value);
    }

    [Fact]
    public void UnbreakableWord_StaysOnItsLine_UpTo998_ThenIsRefused()
    {
        var ok = MimeHeader.Create("X-Id", "a " + new string('x', 900));
        Assert.All(Encoding.ASCII.GetString(ok.RawValue.Span).Split("\r\n"), l => Assert.True(l.Length <= 998));
        Assert.Throws<ArgumentException>(() => MimeHeader.Create("X-Id", "a " + new string('x', 1200)));
        Assert.Throws<ArgumentException>(() => MimeHeader.Create("X-Id", "a\r\nInjected: yes"));
    }

    [Fact]
    public void Builder_Subject_EncodedOnlyWhenNeeded_AndFolded()
    {
        var msg = new MimeMessageBuilder()
            .Header("Subject", "plain ascii subject")
            .Header("X-Long-Subject", string.Concat(Enumerable.Repeat("Ünïcödé ", 30)))
            .Header("From", "Jörg Müller <+15550100001/TYPE=PLMN>")
            .Header("To", "+15550100002/TYPE=PLMN")
            .Build();
        var text = Encoding.ASCII.GetString(msg.ToBytes());
        Assert.Contains("Subject: plain ascii subject\r\n", text, StringComparison.Ordinal);
        Assert.Contains("To: +15550100002/TYPE=PLMN\r\n", text, StringComparison.Ordinal);
        Assert.Contains("<+15550100001/TYPE=PLMN>", text, StringComparison.Ordinal);
        Assert.All(text.Split("\r\n"), l => Assert.True(l.Length <= 78, l));
        Assert.DoesNotContain(text, c => c > 126);
        var parsed = MimeParser.Parse(msg.ToBytes(), MimeParserOptions.Default).Entity!;
        Assert.Equal(new MailboxAddress("Jörg Müller", "+15550100001/TYPE=PLMN"), MailboxAddress.Parse(parsed.Headers.Get("From")!.Value));
        Assert.Equal(string.Concat(Enumerable.Repeat("Ünïcödé ", 30)), parsed.Headers.Get("X-Long-Subject")!.DecodedValue);
    }

    [Fact]
    public void EncodedWords_Iso88591_RoundTrip_AndSelectQorB()
    {
        var latin1 = Encoding.Latin1;
        var q = EncodedWords.Encode("Fête à la plage", latin1);
        Assert.StartsWith("=?ISO-8859-1?Q?", q, StringComparison.Ordinal);
        Assert.Equal("Fête à la plage", EncodedWords.Decode(q));
        var b = EncodedWords.Encode("éàüöäëïç", latin1);
        Assert.StartsWith("=?ISO-8859-1?B?", b, StringComparison.Ordinal);
        Assert.Equal("éàüöäëïç", EncodedWords.Decode(b));
        Assert.Equal("no encoding", EncodedWords.Encode("no encoding", latin1));
    }

    [Fact]
    public void Parameters_NonAsciiAndLong_AreWrittenAsRfc2231_AndReadBack()
    {
        var longName = string.Concat(Enumerable.Repeat("very-long-file-name-", 8)) + ".jpg";
        var ct = new ContentType("image", "jpeg", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["name"] = "fête d'été.jpg", ["x-long"] = longName });
        var written = ct.ToString();
        Assert.Contains("name*=utf-8''f%C3%AAte", written, StringComparison.Ordinal);
        Assert.Contains("x-long*0=\"", written, StringComparison.Ordinal);
        Assert.DoesNotContain(written, c => c > 126);
        var h = MimeHeader.Create("Content-Type", written);
        Assert.All(Encoding.ASCII.GetString(h.RawValue.Span).Split("\r\n"), l => Assert.True(l.Length <= 78));
        var back = ContentType.Parse(h.Value);
        Assert.Equal("fête d'été.jpg", back.GetParameter("name"));
        Assert.Equal(longName, back.GetParameter("x-long"));
    }

    [Fact]
    public void PartBuilder_NonAsciiParametersAndHeaders_AreWritten7Bit_AndReadBack()
    {
        var part = new MimePartBuilder("image/jpeg; name=fête.jpg").ContentDisposition("attachment; filename=fête.jpg")
            .Header("Content-Description", "Photo de la fête").Content([1, 2, 3]).Build();
        var bytes = part.ToBytes();
        Assert.DoesNotContain(bytes, b => b > 126);
        var back = MimeParser.Parse(bytes, MimeParserOptions.Default).Entity!;
        Assert.Equal("fête.jpg", back.ContentType.GetParameter("name"));
        Assert.Equal("fête.jpg", back.ContentDisposition!.FileName);
        Assert.Equal("Photo de la fête", back.Headers.Get("Content-Description")!.DecodedValue);
    }

    [Fact]
    public void Builder_BinaryAnd8bit_BodiesStayBytes()
    {
        byte[] data = [0, 1, 2, 0xFF, 0x0D, 0x0A, 0x80, 0x0A, 0x0D];
        var body = MimeMultipartBuilder.Mixed().Boundary("zz")
            .Add(new MimePartBuilder("application/octet-stream").Content(data, "binary").Build())
            .Add(new MimePartBuilder("text/plain; charset=iso-8859-1").Content([0xE9, 0x74, 0xE9], "8bit").Build())
            .Build();
        var parsed = Assert.IsType<MimeMultipart>(MimeParser.Parse(body.ToBytes(), MimeParserOptions.Default).Entity);
        Assert.Equal(data, ((MimePart)parsed.Parts[0]).GetDecodedContent());
        Assert.Equal("été", ((MimePart)parsed.Parts[1]).GetText());
        Assert.Throws<ArgumentException>(() => new MimePartBuilder("text/plain").Content([], "uuencode"));
    }

    [Fact]
    public void MailboxAddress_ListWithGroupsCommentsAndQuotes()
    {
        var list = MailboxAddress.ParseList("team: \"Doe, John\" <j@x.org>, a@b.c (comment);, =?UTF-8?Q?J=C3=B6rg?= <sip:jorg@x.org>");
        Assert.Equal([new MailboxAddress("Doe, John", "j@x.org"), new MailboxAddress(null, "a@b.c"), new MailboxAddress("Jörg", "sip:jorg@x.org")], list);
        Assert.Equal("\"Doe, John\" <j@x.org>", new MailboxAddress("Doe, John", "j@x.org").ToString());
        Assert.Equal("=?UTF-8?Q?J=C3=B6rg?= <j@x.org>", new MailboxAddress("Jörg", "j@x.org").ToString());
    }
}

public class RegressionTests
{
    [Theory] // Encoding.GetEncoding("utf-7") throws NotSupportedException on .NET 5+: it escaped the parser once
    [InlineData("=?utf-7?Q?+AGE-?=")]
    [InlineData("=?UTF-7?B?K0FHRS0=?=")]
    public void Utf7EncodedWord_StaysUndecoded_NoException(string word)
    {
        Assert.Equal(word, EncodedWords.Decode(word));
        Assert.Null(EncodedWords.GetEncoding("utf-7"));
    }

    [Fact]
    public void Utf7Rfc2231Parameter_DoesNotThrow()
    {
        var ct = ContentType.Parse("a/b; x*0*=utf-7''%41; x*1*=%42");
        Assert.Equal("AB", ct.GetParameter("x"));
    }

    [Fact]
    public void ChangingOneHeader_LeavesEveryOtherHeaderByteForByte()
    {
        var bytes = Vectors.Read("mm4-forward-smil-jpeg.eml");
        var e = MimeParser.Parse(bytes, MimeParserOptions.Default).Entity!;
        var changed = e.WithHeaders(e.Headers.ToBuilder().Set("X-Mms-Priority", "High").Build());
        var expected = Encoding.Latin1.GetString(bytes).Replace("X-Mms-Priority: Normal\r\n", "X-Mms-Priority: High\r\n", StringComparison.Ordinal);
        Assert.Equal(expected, Encoding.Latin1.GetString(changed.ToBytes()));
    }
}

public class HostileHeaderTests
{
    [Fact]
    public void ThousandsOfParameters_OnlyTheFirst64AreRead()
    {
        var ct = ContentType.Parse("a/b" + string.Concat(Enumerable.Range(0, 5000).Select(i => $"; p{i}=v")));
        Assert.Equal(64, ct.Parameters.Count);
        Assert.Equal("v", ct.GetParameter("p63"));
        Assert.Null(ct.GetParameter("p64"));
    }

    [Fact]
    public void AddressListWithThousandsOfColons_IsParsedInLinearTime()
    {
        var value = string.Concat(Enumerable.Repeat("sip:a", 40_000)) + " <x@y>";
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var list = MailboxAddress.ParseList(value);
        Assert.Equal("x@y", Assert.Single(list).Address);
        Assert.True(sw.ElapsedMilliseconds < 1000, $"{sw.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void LongWhitespaceRunsInParameters_AreParsedInLinearTime()
    {
        var value = "a/b; x=" + new string(' ', 200_000) + "y; z=1";
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var ct = ContentType.Parse(value);
        Assert.Equal("1", ct.GetParameter("z"));
        Assert.True(sw.ElapsedMilliseconds < 1000, $"{sw.ElapsedMilliseconds} ms");
    }
}

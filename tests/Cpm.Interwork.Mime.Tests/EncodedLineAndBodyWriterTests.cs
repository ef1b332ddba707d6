using System.Buffers;
using System.Text;

namespace Cpm.Interwork.Mime.Tests;

/// <summary>RFC 2047 §2 line length for written encoded words, and the public body-only writer.</summary>
public class EncodedLineAndBodyWriterTests
{
    private static string[] Lines(MimeHeader h) =>
        (h.Name + ":" + Encoding.UTF8.GetString(h.RawValue.Span)).Split("\r\n");

    [Theory]
    [InlineData("Subject")]
    [InlineData("X-Mms-Status-Text")]
    [InlineData("X-A-Rather-Long-Vendor-Header-Name")]
    [InlineData("X")]
    public void Rfc2047_S2_every_line_of_an_encoded_header_is_at_most_76_characters(string name)
    {
        foreach (var text in new[]
        {
            string.Concat(Enumerable.Repeat("Grüße aus Köln ", 12)), // Q
            string.Concat(Enumerable.Repeat("你好世界", 20)),            // B
            "é" + new string('a', 200),                                // one long Q word run
            "👋🎉" + string.Concat(Enumerable.Repeat("ü", 90)),
        })
        {
            var h = MimeHeader.CreateText(name, text);
            foreach (var line in Lines(h)) { Assert.True(line.Length <= 76, $"{line.Length}: {line}"); }
            Assert.Equal(text, h.DecodedValue);
        }
    }

    [Fact]
    public void EncodeForHeader_first_word_fits_after_the_header_name_and_later_words_stay_within_MaxWordLength()
    {
        var name = "X-Mms-Status-Text";
        var words = EncodedWords.EncodeForHeader(name, string.Concat(Enumerable.Repeat("Zustellung fehlgeschlagen – ", 8))).Split(' ');
        Assert.True(words.Length > 2);
        Assert.True(name.Length + 2 + words[0].Length <= EncodedWords.MaxEncodedLineLength, words[0]);
        Assert.All(words, w => Assert.InRange(w.Length, 1, EncodedWords.MaxWordLength));
        Assert.InRange(words[1].Length, EncodedWords.MaxWordLength - 9, EncodedWords.MaxWordLength); // later words use the full length (within one 3-byte escape)
    }

    [Fact]
    public void EncodeForHeader_leaves_ASCII_unencoded_and_honours_the_charset()
    {
        Assert.Equal("plain text", EncodedWords.EncodeForHeader("Subject", "plain text"));
        var latin = EncodedWords.EncodeForHeader("Subject", "Fête à la plage", Encoding.Latin1);
        Assert.StartsWith("=?ISO-8859-1?Q?", latin, StringComparison.Ordinal);
        Assert.Equal("Fête à la plage", EncodedWords.Decode(latin));
    }

    [Fact]
    public void MimeMessageBuilder_folds_an_encoded_subject_within_76_characters()
    {
        var msg = new MimeMessageBuilder().Header("Subject", string.Concat(Enumerable.Repeat("Ünïcödé ", 30))).Build();
        var subject = msg.Headers.Get("Subject")!;
        Assert.All(Lines(subject), l => Assert.True(l.Length <= 76, l));
        Assert.Equal(string.Concat(Enumerable.Repeat("Ünïcödé ", 30)).Trim(), subject.DecodedValue.Trim());
    }

    [Fact]
    public void WriteBodyTo_writes_exactly_what_follows_the_header_block_of_WriteTo()
    {
        var related = MimeMultipartBuilder.Related("<smil>", "application/smil").Boundary("b1")
            .Add(new MimePartBuilder("application/smil").ContentId("<smil>").Content("<smil/>"u8, "7bit").Build())
            .Add(new MimePartBuilder("image/jpeg").ContentId("<img>").Content([0xFF, 0xD8, 0xFF, 0xD9]).Build())
            .Build();
        var whole = related.ToBytes();
        var body = new ArrayBufferWriter<byte>();
        related.WriteBodyTo(body);
        var split = whole.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
        Assert.Equal(whole.AsSpan(split).ToArray(), body.WrittenSpan.ToArray());
        Assert.StartsWith("--b1\r\nContent-Type: application/smil", Encoding.ASCII.GetString(body.WrittenSpan));

        var leaf = new MimePartBuilder("text/plain; charset=utf-8").Content("é"u8, "quoted-printable").Build();
        var leafBody = new ArrayBufferWriter<byte>();
        leaf.WriteBodyTo(leafBody);
        Assert.Equal(leaf.RawBody.ToArray(), leafBody.WrittenSpan.ToArray());
        Assert.Equal("=C3=A9", Encoding.ASCII.GetString(leafBody.WrittenSpan));
    }
}

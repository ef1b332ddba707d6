using System.Text;
using Cpm.Interwork.Mime;
using Microsoft.Extensions.Time.Testing;

namespace Cpm.Interwork.Mm4.Tests;

/// <summary>The MM4 writer uses the shared RFC 2047 encoder: every line holding encoded words ≤ 76 characters (RFC 2047 §2).</summary>
public class EncodedWordLineTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static IEnumerable<string> RawLines(byte[] mail, string header)
    {
        var text = Encoding.ASCII.GetString(mail);
        var head = text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Split("\r\n");
        var start = Array.FindIndex(head, l => l.StartsWith(header + ":", StringComparison.Ordinal));
        Assert.True(start >= 0, header + " not written");
        yield return head[start];
        for (var i = start + 1; i < head.Length && head[i].StartsWith(' '); i++) { yield return head[i]; }
    }

    [Theory]
    [InlineData("Zustellung nicht möglich: der Empfänger hat sein Postfach voll und nimmt keine Nachrichten an")]
    [InlineData("无法投递：收件人的邮箱已满，无法接收新消息，请稍后再试")]
    public void Rfc2047_S2_a_long_non_ASCII_X_Mms_Status_Text_is_folded_within_76_characters_and_reads_back(string text)
    {
        var request = new Mm4ForwardRequestBuilder(new SequentialIds("gw.example"), new FakeTimeProvider(s_now))
            .From(Mm4Address.Plmn("+15550100001")).To(Mm4Address.Plmn("+15550100002"))
            .OriginatorSystem(Mm4Address.Email("system-user@peer.example")).Content(Mm4Content.FromText("hi")).Build();
        var res = new Mm4ReplyFactory(new SequentialIds("gw.example"), new FakeTimeProvider(s_now), Mm4Address.Email("system-user@gw.example"))
            .ForwardResponse(request, Mm4RequestStatus.Parse("Error-content-not-accepted"), text);
        var bytes = res.ToBytes();
        var lines = RawLines(bytes, Mm4HeaderNames.StatusText).ToList();
        Assert.True(lines.Count > 1, "a long text is folded");
        Assert.All(lines, l => Assert.True(l.Length <= EncodedWords.MaxEncodedLineLength, $"{l.Length}: {l}"));
        Assert.StartsWith("X-Mms-Status-Text: =?UTF-8?", lines[0], StringComparison.Ordinal);
        Assert.Equal(text, Assert.IsType<Mm4ForwardResponse>(Mm4Reader.Read(bytes).Message).StatusText);
    }

    [Fact]
    public void A_display_name_is_encoded_by_the_shared_phrase_encoder()
    {
        var a = Mm4Address.Plmn("+15550100001").WithDisplayName("Jürgen Müller");
        Assert.Equal(EncodedWords.EncodePhrase("Jürgen Müller") + " <+15550100001/TYPE=PLMN>", a.ToString());
        Assert.Equal("Jürgen Müller", Mm4Address.Parse(a.ToString()).DisplayName);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_raw_8bit_Subject_is_read_as_UTF8_when_valid_else_as_Latin1_also_when_folded(bool utf8)
    {
        var word = utf8 ? Encoding.UTF8.GetBytes("Grüße") : Encoding.Latin1.GetBytes("Grüße");
        byte[] mail = [.. "From: +15550100001/TYPE=PLMN\r\nTo: +15550100002/TYPE=PLMN\r\nDate: Wed, 25 Nov 2026 12:00:00 +0000\r\nSubject: "u8,
            .. word, .. "\r\n aus K"u8, .. (utf8 ? Encoding.UTF8.GetBytes("ö") : Encoding.Latin1.GetBytes("ö")), .. "ln\r\n"u8,
            .. "X-Mms-3GPP-MMS-Version: 6.10.0\r\nX-Mms-Message-Type: MM4_forward.REQ\r\nX-Mms-Transaction-ID: \"t1@x\"\r\nX-Mms-Message-ID: \"m1@x\"\r\nContent-Type: text/plain\r\n\r\nhi\r\n"u8];
        var request = Assert.IsType<Mm4ForwardRequest>(Mm4Reader.Read(mail).Message);
        Assert.Equal("Grüße aus Köln", request.Subject);
    }
}

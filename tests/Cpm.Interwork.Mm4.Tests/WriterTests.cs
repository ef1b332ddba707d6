using System.Text;
using Cpm.Interwork.Mime;
using Microsoft.Extensions.Time.Testing;

namespace Cpm.Interwork.Mm4.Tests;

public class WriterTests
{
    private static readonly DateTimeOffset s_now = new(2022, 1, 25, 22, 17, 44, TimeSpan.Zero);

    private static Mm4ForwardRequestBuilder Builder() =>
        new Mm4ForwardRequestBuilder(new SequentialIds("gw.example"), new FakeTimeProvider(s_now))
            .From(Mm4Address.Plmn("+15550100001"))
            .Sender(Mm4Address.Plmn("+15550100001", "mms.gw.example"))
            .To(Mm4Address.Plmn("+15550100002"))
            .OriginatorSystem(Mm4Address.Email("system-user@gw.example"));

    [Fact]
    public void ForwardRequest_HeaderOrderAndQuotingLikeRealOperatorTraffic()
    {
        var m = Builder().Subject("hello").Content(Sample.RelatedContent())
            .MessageClass(MessageClass.Personal).Expiry(Mm4Expiry.Absolute(s_now.AddDays(7))).DeliveryReport(true)
            .Priority(Priority.Normal).ReadReply(false).OriginatorRsDeliveryReport(false).Build();
        Assert.Equal(
        [
            "From: +15550100001/TYPE=PLMN",
            "Sender: +15550100001/TYPE=PLMN@mms.gw.example",
            "To: +15550100002/TYPE=PLMN",
            "Message-ID: <msg-1@gw.example>",
            "Date: Tue, 25 Jan 2022 22:17:44 +0000",
            "Subject: hello",
            "MIME-Version: 1.0",
            "Content-Type: multipart/related; boundary=b-sample; start=\"<smil>\"; type=\"application/smil\"",
            "X-Mms-3GPP-MMS-Version: 6.10.0",
            "X-Mms-Message-Type: MM4_forward.REQ",
            "X-Mms-Transaction-ID: \"tx-1@gw.example\"",
            "X-Mms-Message-ID: \"msg-1@gw.example\"",
            "X-Mms-Message-Class: Personal",
            "X-Mms-Expiry: Tue, 01 Feb 2022 22:17:44 +0000",
            "X-Mms-Delivery-Report: Yes",
            "X-Mms-Priority: Normal",
            "X-Mms-Read-Reply: No",
            "X-Mms-Ack-Request: Yes",
            "X-Mms-Originator-System: system-user@gw.example",
            "X-Mms-Originator-R/S-Delivery-Report: No",
        ], Vectors.HeaderLines(m.ToBytes()));
    }

    [Fact]
    public void ForwardRequest_WriteThenRead_KeepsEveryValueAndTheContentBytes()
    {
        var content = Sample.RelatedContent();
        var m = Builder().Cc(Mm4Address.Email("dave@example.org", "Dave Ö")).Subject("Grüße 👋").Content(content)
            .Expiry(Mm4Expiry.Relative(TimeSpan.FromDays(2))).SenderVisibility(SenderVisibility.Hide).ForwardCounter(3)
            .Header("X-Trace", "abc").Build() with { VaspId = "v1", DrmContent = true, PreviouslySentBy = ["0, +15550100009/TYPE=PLMN"] };
        var back = Assert.IsType<Mm4ForwardRequest>(Mm4Reader.Read(m.ToBytes()).Message);
        Assert.Equal(m.TransactionId, back.TransactionId);
        Assert.Equal(m.MessageId, back.MessageId);
        Assert.Equal(m.From, back.From);
        Assert.Equal(m.Sender, back.Sender);
        Assert.Equal(m.To, back.To);
        Assert.Equal(m.Cc, back.Cc);
        Assert.Equal("Dave Ö", back.Cc[0].DisplayName);
        Assert.Equal("Grüße 👋", back.Subject);
        Assert.Equal(m.Date, back.Date);
        Assert.Equal(m.Expiry, back.Expiry);
        Assert.Equal(SenderVisibility.Hide, back.SenderVisibility);
        Assert.Equal(3, back.ForwardCounter);
        Assert.Equal("v1", back.VaspId);
        Assert.True(back.DrmContent);
        Assert.Equal(m.PreviouslySentBy, back.PreviouslySentBy);
        Assert.Equal("abc", Assert.Single(back.ExtraHeaders).Value);
        Assert.Equal(content.GetWireBody(), back.Content!.GetWireBody());
        var parts = Assert.IsType<MimeMultipart>(back.Content.Entity).Parts;
        Assert.Equal("Grüße 👋", ((MimePart)parts[2]).GetText());
        Assert.Equal(m.ToBytes(), back.ToBytes());
    }

    [Fact]
    public void ReadOperatorVector_ThenWrite_ThenRead_SameModel()
    {
        var first = Vectors.ReadAs<Mm4ForwardRequest>("forward-req-operator.eml");
        var bytes = first.ToBytes();
        var second = Assert.IsType<Mm4ForwardRequest>(Mm4Reader.Read(bytes).Message);
        Assert.Equal(bytes, second.ToBytes());
        Assert.Equal(first.Expiry, second.Expiry);
        Assert.Equal(first.Content!.GetWireBody(), second.Content!.GetWireBody());
        // the peer's raw Content-Type is written back untouched
        Assert.Contains("Content-Type: multipart/related; start=\"<smil>\"; type=\"application/smil\"; boundary=\"b1\"", Vectors.HeaderLines(bytes));
    }

    [Theory]
    [InlineData("delivery-report-req.eml")]
    [InlineData("delivery-report-res.eml")]
    [InlineData("read-reply-report-req.eml")]
    [InlineData("read-reply-report-res.eml")]
    [InlineData("forward-req-lenient.eml")]
    [InlineData("forward-req-bare-lf.eml")]
    public void EveryTypeVector_ReadWriteRead_IsStable(string file)
    {
        var first = Vectors.Read(file).Message!;
        var bytes = first.ToBytes();
        var second = Mm4Reader.Read(bytes).Message!;
        Assert.Equal(first.GetType(), second.GetType());
        Assert.Equal(first.TransactionId, second.TransactionId);
        Assert.Equal(first.To, second.To);
        Assert.Equal(first.From, second.From);
        Assert.Equal(first.Date, second.Date);
        Assert.Equal(bytes, second.ToBytes());
    }

    [Fact]
    public void NonAsciiSubject_IsRfc2047Encoded_AndLongLinesFolded()
    {
        var many = Enumerable.Range(2, 8).Select(i => Mm4Address.Plmn("+1555010000" + i)).ToArray();
        var m = Builder().To(many).Subject("Grüße aus Köln, ein ziemlich langer Betreff für eine MMS über MM4").Content(Mm4Content.FromText("hi")).Build();
        var bytes = m.ToBytes();
        var header = Encoding.ASCII.GetString(bytes, 0, Encoding.ASCII.GetString(bytes).IndexOf("\r\n\r\n", StringComparison.Ordinal));
        Assert.All(bytes, b => Assert.True(b < 0x80));
        // the first encoded word fits after "Subject: " (no fold right after the colon: some parsers keep a leading blank)
        Assert.Contains("\r\nSubject: =?UTF-8?", header, StringComparison.Ordinal);
        Assert.All(header.Split("\r\n"), l => Assert.True(l.Length <= 76, l));
        Assert.All(Vectors.HeaderLines(bytes).Single(l => l.StartsWith("Subject:", StringComparison.Ordinal))[9..].Split(' '), w => Assert.True(w.Length <= 75, w));
        var back = Assert.IsType<Mm4ForwardRequest>(Mm4Reader.Read(bytes).Message);
        Assert.Equal(m.Subject, back.Subject);
        Assert.Equal(9, back.To.Count);
    }

    [Fact]
    public void Builder_RefusesRequestWithoutFromRecipientsOrContent()
    {
        var b = new Mm4ForwardRequestBuilder(new SequentialIds("gw.example"), new FakeTimeProvider(s_now));
        var e = Assert.Throws<Mm4ValidationException>(() => b.Build());
        Assert.Equal([Mm4HeaderNames.To, Mm4HeaderNames.From, Mm4HeaderNames.ContentType], e.Headers);
    }

    [Fact]
    public void Writer_RefusesModelsMissingMandatoryElements()
    {
        var res = new Mm4ForwardResponse { MmsVersion = "6.10.0", TransactionId = "", MessageId = "m@x", RequestStatus = default };
        var e = Assert.Throws<Mm4ValidationException>(() => res.ToBytes());
        Assert.Equal([Mm4HeaderNames.TransactionId, Mm4HeaderNames.RequestStatusCode], e.Headers);

        var dr = new Mm4DeliveryReportRequest { MmsVersion = "6.10.0", TransactionId = "t@x", MessageId = "m@x", MmStatus = Mm4MmStatus.From(MmStatusCode.Retrieved), ForwardToOriginatorUa = true };
        Assert.Equal([Mm4HeaderNames.To, Mm4HeaderNames.From, Mm4HeaderNames.Date], Assert.Throws<Mm4ValidationException>(() => dr.ToBytes()).Headers);

        var rr = new Mm4ReadReplyReportRequest { MmsVersion = " ", TransactionId = "t@x", MessageId = "m@x", ReadStatus = ReadStatus.Read, To = [Mm4Address.Plmn("+1")], From = Mm4Address.Plmn("+2"), Date = s_now };
        Assert.Equal([Mm4HeaderNames.MmsVersion], Assert.Throws<Mm4ValidationException>(() => rr.ToBytes()).Headers);
    }

    [Fact]
    public void Writer_RefusesIdsThatCannotBeQuoted_AndHeaderInjection()
    {
        var ok = Builder().Content(Mm4Content.FromText("x")).Build();
        Assert.Throws<Mm4ValidationException>(() => (ok with { TransactionId = "a\"b@x" }).ToBytes());
        Assert.Throws<Mm4ValidationException>(() => (ok with { MessageId = "a b@x" }).ToBytes());
        Assert.Throws<Mm4ValidationException>(() => (ok with { VaspId = "v\r\nBcc: evil@example.org" }).ToBytes());
        Assert.Throws<Mm4ValidationException>(() => (ok with { ForwardCounter = -1 }).ToBytes());
        // a CR LF in the subject is encoded, never a new header line
        var bytes = (ok with { Subject = "a\r\nBcc: evil@example.org" }).ToBytes();
        Assert.DoesNotContain(Vectors.HeaderLines(bytes), l => l.StartsWith("Bcc", StringComparison.Ordinal));
        Assert.Equal("a\r\nBcc: evil@example.org", ((Mm4ForwardRequest)Mm4Reader.Read(bytes).Message!).Subject);
    }

    [Fact]
    public void ResponseWithoutContent_HasNoContentHeadersAndEmptyBody()
    {
        var res = new Mm4ForwardResponse { MmsVersion = "6.10.0", TransactionId = "t@x", MessageId = "m@x", RequestStatus = Mm4RequestStatus.Ok };
        var text = Encoding.ASCII.GetString(res.ToBytes());
        Assert.Equal("X-Mms-3GPP-MMS-Version: 6.10.0\r\nX-Mms-Message-Type: MM4_forward.RES\r\nX-Mms-Transaction-ID: \"t@x\"\r\nX-Mms-Message-ID: \"m@x\"\r\nX-Mms-Request-Status-Code: Ok\r\n\r\n", text);
    }

    [Fact]
    public void Builder_IdsFromGenerator_DateFromClock_AckRequestYes()
    {
        var ids = new SequentialIds("gw.example");
        var time = new FakeTimeProvider(s_now);
        var b = new Mm4ForwardRequestBuilder(ids, time).From(Mm4Address.Plmn("+1")).To(Mm4Address.Plmn("+2")).Content(Mm4Content.FromText("x"));
        var first = b.Build();
        time.Advance(TimeSpan.FromSeconds(5));
        var second = new Mm4ForwardRequestBuilder(ids, time).From(Mm4Address.Plmn("+1")).To(Mm4Address.Plmn("+2")).Content(Mm4Content.FromText("x")).Build();
        Assert.Equal("tx-1@gw.example", first.TransactionId);
        Assert.Equal("msg-1@gw.example", first.MessageId);
        Assert.Equal(first.MessageId, first.RfcMessageId);
        Assert.Equal(s_now, first.Date);
        Assert.True(first.AckRequest);
        Assert.Equal("tx-2@gw.example", second.TransactionId);
        Assert.Equal(s_now.AddSeconds(5), second.Date);
    }

    [Fact]
    public void RandomIdGenerator_UniqueAndDomainScoped()
    {
        var g = new RandomMm4IdGenerator("mms.gw.example");
        var ids = Enumerable.Range(0, 2000).Select(_ => g.NewTransactionId()).Concat(Enumerable.Range(0, 2000).Select(_ => g.NewMessageId())).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[a-z2-7]{20}@mms\\.gw\\.example$", id));
        Assert.Throws<ArgumentException>(() => new RandomMm4IdGenerator("bad domain"));
    }
}

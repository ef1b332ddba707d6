using System.Text;
using Cpm.Interwork.Mime;

namespace Cpm.Interwork.Mm4.Tests;

/// <summary>Each mandatory header of each type, removed from a valid vector, gives MissingMandatoryHeader naming it.</summary>
public class MissingAndInvalidHeaderTests
{
    private static readonly string[] s_ids = [Mm4HeaderNames.MmsVersion, Mm4HeaderNames.MessageType, Mm4HeaderNames.TransactionId, Mm4HeaderNames.MessageId];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        void Add(string file, params string[] extra)
        {
            foreach (var h in s_ids.Concat(extra)) { data.Add(file, h); }
        }
        Add("forward-req-operator.eml", Mm4HeaderNames.To, Mm4HeaderNames.From, Mm4HeaderNames.ContentType, Mm4HeaderNames.Date);
        Add("forward-res-Ok.eml", Mm4HeaderNames.RequestStatusCode);
        Add("delivery-report-req.eml", Mm4HeaderNames.To, Mm4HeaderNames.From, Mm4HeaderNames.Date, Mm4HeaderNames.ForwardToOriginatorUa, Mm4HeaderNames.MmStatusCode);
        Add("delivery-report-res.eml", Mm4HeaderNames.RequestStatusCode);
        Add("read-reply-report-req.eml", Mm4HeaderNames.To, Mm4HeaderNames.From, Mm4HeaderNames.Date, Mm4HeaderNames.ReadStatus);
        Add("read-reply-report-res.eml", Mm4HeaderNames.RequestStatusCode);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryMandatoryHeader_WhenRemoved_IsReportedAsMissing(string file, string header)
    {
        var original = Vectors.Load(file);
        Assert.True(Mm4Reader.Read(original).IsSuccess);
        var r = Mm4Reader.Read(Vectors.WithoutHeader(original, header));
        Assert.False(r.IsSuccess);
        Assert.Equal(Mm4ReadErrorKind.MissingMandatoryHeader, r.Error.Kind);
        Assert.Equal(header, r.Error.Header);
        Assert.Equal(RequestStatusCode.ErrorMessageFormatCorrupt, r.Error.RequestStatus.Code);
        if (header != Mm4HeaderNames.MessageType) { Assert.NotNull(r.Error.MessageType); }
    }

    [Fact]
    public void ForwardRequest_CcAloneSatisfiesTheRecipientRequirement()
    {
        var bytes = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(Vectors.Load("forward-req-operator.eml")).Replace("\r\nTo: ", "\r\nCc: ", StringComparison.Ordinal));
        var m = Assert.IsType<Mm4ForwardRequest>(Mm4Reader.Read(bytes).Message);
        Assert.Empty(m.To);
        Assert.Equal([Mm4Address.Plmn("+15550100002")], m.Cc);
    }

    [Fact]
    public void EmptyQuotedTransactionId_IsMissing()
    {
        var r = Read("forward-res-Ok.eml", "X-Mms-Transaction-ID: \"3863722022012600@mms.example.net\"", "X-Mms-Transaction-ID: \"\"");
        Assert.Equal(Mm4ReadErrorKind.MissingMandatoryHeader, r.Error!.Kind);
        Assert.Equal(Mm4HeaderNames.TransactionId, r.Error.Header);
    }

    [Theory]
    [InlineData("forward-req-operator.eml", "From: +15550100001/TYPE=PLMN", "From: +1555abc/TYPE=PLMN", "From")]
    [InlineData("forward-req-operator.eml", "From: +15550100001/TYPE=PLMN", "From: +1234567890123456/TYPE=PLMN", "From")]
    [InlineData("forward-req-operator.eml", "To: +15550100002/TYPE=PLMN", "To: 15550100002/TYPE=PLMN", "To")]
    [InlineData("forward-req-operator.eml", "Date: Tue, 25 Jan 2022 22:17:44 +0000", "Date: yesterday", "Date")]
    [InlineData("forward-req-operator.eml", "X-Mms-Transaction-ID: \"3863722022012600@mms.example.net\"", "X-Mms-Transaction-ID: \"a b@c\"", "X-Mms-Transaction-ID")]
    [InlineData("delivery-report-req.eml", "X-Mms-Forward-To-Originator-UA: Yes", "X-Mms-Forward-To-Originator-UA: Maybe", "X-Mms-Forward-To-Originator-UA")]
    [InlineData("read-reply-report-req.eml", "X-Mms-Read-Status: Deleted without being read", "X-Mms-Read-Status: Skimmed", "X-Mms-Read-Status")]
    [InlineData("read-reply-report-req.eml", "To: +15550100001/TYPE=PLMN", "To: 999.1.1.1/TYPE=IPv4", "To")]
    public void UnreadableMandatoryValue_IsInvalidHeaderValue_FormatCorrupt(string file, string from, string to, string header)
    {
        var r = Read(file, from, to);
        Assert.False(r.IsSuccess);
        Assert.Equal(Mm4ReadErrorKind.InvalidHeaderValue, r.Error.Kind);
        Assert.Equal(header, r.Error.Header);
        Assert.Equal(RequestStatusCode.ErrorMessageFormatCorrupt, r.Error.RequestStatus.Code);
    }

    [Fact]
    public void UnreadableTransportSender_IsKeptAsExtraHeader_NotFatal()
    {
        var r = Read("forward-req-operator.eml", "Sender: +15550100001/TYPE=PLMN@mms.mnc006.mcc260.gprs", "Sender: 15550100001/TYPE=PLMN@mms.mnc006.mcc260.gprs");
        var m = Assert.IsType<Mm4ForwardRequest>(r.Message);
        Assert.Null(m.Sender);
        Assert.Equal("15550100001/TYPE=PLMN@mms.mnc006.mcc260.gprs", Assert.Single(m.ExtraHeaders, h => h.Name == "Sender").Value);
        Assert.Equal(Mm4Address.Email("system-user@mms.example.net"), m.OriginatorSystem);
    }

    [Fact]
    public void UnreadableResponseTo_IsKeptAsExtraHeader_NotFatal()
    {
        var r = Read("forward-res-Ok.eml", "To: system-user@mms.example.net", "To: system user at mms");
        var m = Assert.IsType<Mm4ForwardResponse>(r.Message);
        Assert.Empty(m.To);
        Assert.Equal("system user at mms", Assert.Single(m.ExtraHeaders, h => h.Name == "To").Value);
        Assert.True(m.RequestStatus.IsOk);
    }

    [Fact]
    public void UnknownMmStatusCode_IsKeptAsText()
    {
        var r = Read("delivery-report-req.eml", "X-Mms-MM-Status-Code: Retrieved", "X-Mms-MM-Status-Code: Vanished");
        var m = Assert.IsType<Mm4DeliveryReportRequest>(r.Message);
        Assert.Equal(MmStatusCode.Unknown, m.MmStatus.Code);
        Assert.Equal("Vanished", m.MmStatus.Text);
    }

    [Fact]
    public void HeaderBlockOverLimit_IsMessageTooLarge_ContentNotAccepted()
    {
        var r = Mm4Reader.Read(Vectors.Load("forward-req-operator.eml"), new Mm4ReaderOptions { Mime = new MimeParserOptions { MaxHeaderBytes = 200 } });
        Assert.Equal(Mm4ReadErrorKind.MessageTooLarge, r.Error!.Kind);
        Assert.Equal(RequestStatusCode.ErrorContentNotAccepted, r.Error.RequestStatus.Code);
    }

    [Fact]
    public void TooManyParts_IsMalformedMime_FormatCorrupt()
    {
        var r = Mm4Reader.Read(Vectors.Load("forward-req-operator.eml"), new Mm4ReaderOptions { Mime = new MimeParserOptions { MaxParts = 2 } });
        Assert.Equal(Mm4ReadErrorKind.MalformedMime, r.Error!.Kind);
        Assert.Equal(MimeRejectionReason.TooManyParts, r.Error.MimeReason);
        Assert.Equal(RequestStatusCode.ErrorMessageFormatCorrupt, r.Error.RequestStatus.Code);
    }

    [Fact]
    public void ErrorTable_MapsEveryKind()
    {
        Assert.Equal(RequestStatusCode.ErrorMessageFormatCorrupt, Mm4ReadErrors.ToRequestStatus(Mm4ReadErrorKind.MalformedMime));
        Assert.Equal(RequestStatusCode.ErrorContentNotAccepted, Mm4ReadErrors.ToRequestStatus(Mm4ReadErrorKind.MessageTooLarge));
        Assert.Equal(RequestStatusCode.ErrorMessageFormatCorrupt, Mm4ReadErrors.ToRequestStatus(Mm4ReadErrorKind.MissingMandatoryHeader));
        Assert.Equal(RequestStatusCode.ErrorMessageFormatCorrupt, Mm4ReadErrors.ToRequestStatus(Mm4ReadErrorKind.InvalidHeaderValue));
        Assert.Equal(RequestStatusCode.ErrorUnsupportedMessage, Mm4ReadErrors.ToRequestStatus(Mm4ReadErrorKind.UnsupportedMessageType));
    }

    [Fact]
    public void EmptyInput_IsMissingMessageType()
    {
        var r = Mm4Reader.Read(ReadOnlyMemory<byte>.Empty);
        Assert.Equal(Mm4ReadErrorKind.MissingMandatoryHeader, r.Error!.Kind);
        Assert.Equal(Mm4HeaderNames.MessageType, r.Error.Header);
    }

    private static Mm4ReadResult Read(string file, string from, string to)
    {
        var text = Encoding.UTF8.GetString(Vectors.Load(file));
        Assert.Contains(from, text, StringComparison.Ordinal);
        return Mm4Reader.Read(Encoding.UTF8.GetBytes(text.Replace(from, to, StringComparison.Ordinal)));
    }
}

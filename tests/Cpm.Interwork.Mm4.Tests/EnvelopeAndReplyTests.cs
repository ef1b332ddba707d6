using Microsoft.Extensions.Time.Testing;

namespace Cpm.Interwork.Mm4.Tests;

public class EnvelopeAndReplyTests
{
    private static readonly DateTimeOffset s_now = new(2022, 1, 25, 22, 18, 0, TimeSpan.Zero);
    private static readonly Mm4Address s_system = Mm4Address.Email("system-user@mms.gw.example");

    private static Mm4ReplyFactory Factory(out SequentialIds ids)
    {
        ids = new SequentialIds("mms.gw.example");
        return new Mm4ReplyFactory(ids, new FakeTimeProvider(s_now), s_system);
    }

    [Fact]
    public void ForwardEnvelope_RcptToOnlyRecipientsOfThatMmse_QualifiedWithItsDomain()
    {
        var req = Vectors.ReadAs<Mm4ForwardRequest>("forward-req-operator.eml") with
        {
            To = [Mm4Address.Plmn("+15550100002"), Mm4Address.Plmn("+4915112345678"), Mm4Address.Plmn("+15550100003").WithDisplayName("Bob")],
            Cc = [Mm4Address.Plmn("+15550100002")],
        };
        var env = Mm4Envelope.ForForward(req, "mms.gw.example", "mms.example.net", a => a.Value.StartsWith("+1", StringComparison.Ordinal));
        Assert.Equal("+15550100001/TYPE=PLMN@mms.gw.example", env.MailFrom);
        Assert.Equal(["+15550100002/TYPE=PLMN@mms.example.net", "+15550100003/TYPE=PLMN@mms.example.net"], env.RcptTo);
    }

    [Fact]
    public void Envelope_RefusesUnroutableAddressesAndEmptyRecipientLists()
    {
        Assert.Throws<ArgumentException>(() => Mm4Envelope.Create(Mm4Address.Plmn("+1"), [Mm4Address.Plmn("+2")]));
        Assert.Throws<ArgumentException>(() => Mm4Envelope.Create(s_system, []));
        var env = Mm4Envelope.Create(s_system, [Mm4Address.Email("system-user@mms.example.net", "X")]);
        Assert.Equal("system-user@mms.gw.example", env.MailFrom);
        Assert.Equal(["system-user@mms.example.net"], env.RcptTo);
    }

    [Fact]
    public void ForwardResponse_EchoesIds_AddressedToOriginatorSystem()
    {
        var req = Vectors.ReadAs<Mm4ForwardRequest>("forward-req-operator.eml");
        var res = Factory(out _).ForwardResponse(req, Mm4RequestStatus.Ok, "accepted");
        Assert.Equal(req.TransactionId, res.TransactionId);
        Assert.Equal(req.MessageId, res.MessageId);
        Assert.Equal([Mm4Address.Email("system-user@mms.example.net")], res.To);
        Assert.Equal(s_system, res.Sender);
        Assert.Equal(s_now, res.Date);
        Assert.Equal("msg-1@mms.gw.example", res.RfcMessageId);
        var back = Assert.IsType<Mm4ForwardResponse>(Mm4Reader.Read(res.ToBytes()).Message);
        Assert.Equal("accepted", back.StatusText);
        Assert.True(back.RequestStatus.IsOk);
    }

    [Fact]
    public void ForwardResponse_FallsBackToSenderWithoutOriginatorSystem()
    {
        var req = Vectors.ReadAs<Mm4ForwardRequest>("forward-req-operator.eml") with { OriginatorSystem = null };
        var res = Factory(out _).ForwardResponse(req, Mm4RequestStatus.From(RequestStatusCode.ErrorSendingAddressUnresolved));
        Assert.Equal([Mm4Address.Plmn("+15550100001", "mms.mnc006.mcc260.gprs")], res.To);
        Assert.Equal("Error-sending-address-unresolved", res.RequestStatus.Text);
    }

    [Fact]
    public void ForwardResponse_ForRejectedRequest_CarriesMappedStatus()
    {
        var bytes = Vectors.WithoutHeader(Vectors.Load("forward-req-operator.eml"), "Date");
        var error = Mm4Reader.Read(bytes).Error!;
        var res = Factory(out _).ForwardResponse(error);
        Assert.NotNull(res);
        Assert.Equal(RequestStatusCode.ErrorMessageFormatCorrupt, res.RequestStatus.Code);
        Assert.Equal("3863722022012600@mms.example.net", res.TransactionId);
        Assert.Equal([Mm4Address.Email("system-user@mms.example.net")], res.To);
        Assert.Equal(RequestStatusCode.ErrorUnsupportedMessage, Factory(out _).ForwardResponse(Vectors.Read("unsupported-type.eml").Error!)!.RequestStatus.Code);
        // no transaction id: nothing to correlate, no RES
        Assert.Null(Factory(out _).ForwardResponse(Vectors.Read("missing-forward-req-transaction-id.eml").Error!));
        // a broken delivery report is not answered with a forward.RES
        Assert.Null(Factory(out _).ForwardResponse(Vectors.Read("missing-delivery-report-req-mm-status-code.eml").Error!));
    }

    [Fact]
    public void DeliveryReport_FromOriginalForward()
    {
        var req = Vectors.ReadAs<Mm4ForwardRequest>("forward-req-operator.eml");
        var dr = Factory(out _).DeliveryReport(req, req.To[0].Qualify("mms.gw.example"), Mm4MmStatus.From(MmStatusCode.Retrieved));
        Assert.Equal(req.MessageId, dr.MessageId);
        Assert.Equal("tx-1@mms.gw.example", dr.TransactionId);
        Assert.Equal([Mm4Address.Plmn("+15550100001")], dr.To);
        Assert.Equal(Mm4Address.Plmn("+15550100002"), dr.From);
        Assert.Equal(s_system, dr.OriginatorSystem);
        Assert.True(dr.ForwardToOriginatorUa);
        Assert.True(dr.AckRequest);
        var back = Assert.IsType<Mm4DeliveryReportRequest>(Mm4Reader.Read(dr.ToBytes()).Message);
        Assert.Equal(MmStatusCode.Retrieved, back.MmStatus.Code);
        Assert.Equal(s_now, back.Date);
        Assert.Equal(Mm4Address.Plmn("+15550100001", "mms.mnc006.mcc260.gprs"), Mm4ReplyFactory.ReportDestination(req));
        Assert.Equal(Mm4Address.Plmn("+15550100001", "mms.example.net"), Mm4ReplyFactory.ReportDestination(req with { Sender = null }));
    }

    [Fact]
    public void ReadReplyReport_FromOriginalForward_AndResponses()
    {
        var req = Vectors.ReadAs<Mm4ForwardRequest>("forward-req-operator.eml");
        var f = Factory(out _);
        var rr = f.ReadReplyReport(req, req.To[0], ReadStatus.Read);
        var back = Assert.IsType<Mm4ReadReplyReportRequest>(Mm4Reader.Read(rr.ToBytes()).Message);
        Assert.Equal(ReadStatus.Read, back.ReadStatus);
        Assert.Equal(req.MessageId, back.MessageId);

        var rrRes = f.ReadReplyReportResponse(back, Mm4RequestStatus.Ok);
        Assert.Equal(back.TransactionId, rrRes.TransactionId);
        Assert.Equal([s_system], rrRes.To);
        var drReq = Vectors.ReadAs<Mm4DeliveryReportRequest>("delivery-report-req.eml");
        var drRes = f.DeliveryReportResponse(drReq, Mm4RequestStatus.From(RequestStatusCode.ErrorMessageNotFound));
        Assert.Equal("dr-tx-1@mms.example.org", drRes.TransactionId);
        Assert.Equal([Mm4Address.Email("system-user@mms.example.org")], drRes.To);
        Assert.Equal(RequestStatusCode.ErrorMessageNotFound, Assert.IsType<Mm4DeliveryReportResponse>(Mm4Reader.Read(drRes.ToBytes()).Message).RequestStatus.Code);
    }
}

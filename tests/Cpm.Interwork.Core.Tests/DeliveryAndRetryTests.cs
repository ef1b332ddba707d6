using System.Text;
using Cpm.Interwork.Mime;
using Cpm.Interwork.Mime.Cpim;
using Cpm.Interwork.Mime.Imdn;
using Cpm.Interwork.Mm4;
using FsCheck;
using FsCheck.Fluent;

namespace Cpm.Interwork.Core.Tests;

/// <summary>SIP final status of a delivery to a CPM user → MM4_forward.RES status, retry, delivery-report status.</summary>
public class SipOutcomeTableTests
{
    [Theory]
    [InlineData(200, DeliveryOutcomeKind.Delivered, "Ok", "Retrieved")]
    [InlineData(202, DeliveryOutcomeKind.Accepted, "Ok", "Forwarded")]
    [InlineData(404, DeliveryOutcomeKind.Failed, "Error-sending-address-unresolved", "Rejected")]
    [InlineData(604, DeliveryOutcomeKind.Failed, "Error-sending-address-unresolved", "Rejected")]
    [InlineData(403, DeliveryOutcomeKind.Failed, "Error-service-denied", "Rejected")]
    [InlineData(603, DeliveryOutcomeKind.Failed, "Error-service-denied", "Rejected")]
    [InlineData(415, DeliveryOutcomeKind.Failed, "Error-content-not-accepted", "Rejected")]
    [InlineData(488, DeliveryOutcomeKind.Failed, "Error-content-not-accepted", "Rejected")]
    [InlineData(413, DeliveryOutcomeKind.Failed, "Error-content-not-accepted", "Rejected")]
    [InlineData(408, DeliveryOutcomeKind.Retry, "Error-network-problem", "Expired")]
    [InlineData(480, DeliveryOutcomeKind.Retry, "Error-network-problem", "Expired")]
    [InlineData(486, DeliveryOutcomeKind.Retry, "Error-network-problem", "Expired")]
    [InlineData(500, DeliveryOutcomeKind.Retry, "Error-network-problem", "Expired")]
    [InlineData(503, DeliveryOutcomeKind.Retry, "Error-network-problem", "Expired")]
    [InlineData(504, DeliveryOutcomeKind.Retry, "Error-network-problem", "Expired")]
    [InlineData(null, DeliveryOutcomeKind.Retry, "Error-network-problem", "Expired")]
    [InlineData(400, DeliveryOutcomeKind.Failed, "Error-unspecified", "Rejected")]
    [InlineData(302, DeliveryOutcomeKind.Failed, "Error-unspecified", "Rejected")]
    public void SipStatus_To_ResStatus_And_ReportStatus(int? sip, DeliveryOutcomeKind kind, string res, string report)
    {
        var o = DeliveryOutcomes.Classify(sip, "Reason");
        Assert.Equal(kind, o.Kind);
        Assert.Equal(res, o.RequestStatus.Text);
        Assert.Equal(report, o.MmStatus!.Value.Text);
    }

    [Fact]
    public void Timeout_StatusText_NamesTimerF()
    {
        Assert.Contains("Timer F", DeliveryOutcomes.Classify(null).StatusText, StringComparison.Ordinal);
    }

    [Fact]
    public void RetryAfter_KeptOnRetryableOutcome()
    {
        Assert.Equal(TimeSpan.FromSeconds(120), DeliveryOutcomes.Classify(503, "Busy", TimeSpan.FromSeconds(120)).RetryAfter);
    }

    [Fact]
    public void Exhausted_NetworkProblem_Expired()
    {
        var e = DeliveryOutcomes.Exhausted(DeliveryOutcomes.Classify(480, "Temporarily Unavailable"));
        Assert.Equal(RequestStatusCode.ErrorNetworkProblem, e.RequestStatus.Code);
        Assert.Equal(MmStatusCode.Expired, e.MmStatus!.Value.Code);
        Assert.True(e.IsDefinitive);
        Assert.Contains("480", e.StatusText, StringComparison.Ordinal);
    }

    [Fact]
    public void Deadline_FromExpiry_RelativeOrAbsolute_ElseDefault()
    {
        var req = T.Read(T.VectorBytes("mm4-forward-image.eml")); // X-Mms-Expiry: Tue, 01 Feb 2022 22:17:44 GMT
        var o = new Mm4InboundOptions();
        Assert.Equal(new DateTimeOffset(2022, 2, 1, 22, 17, 44, TimeSpan.Zero), DeliveryOutcomes.Deadline(req, T.Now, o));
        Assert.Equal(req.Date!.Value.AddHours(2), DeliveryOutcomes.Deadline(req with { Expiry = Mm4Expiry.Relative(TimeSpan.FromHours(2)) }, T.Now, o));
        Assert.Equal(T.Now.AddDays(3), DeliveryOutcomes.Deadline(req with { Expiry = null }, T.Now, o));
        // an expiry already passed stops retries at once: Expired
        Assert.Equal(RetryStop.Expired, new RetryPolicy(new RetryPolicyOptions(), () => 0.5).Next(1, T.Now, DeliveryOutcomes.Deadline(req, T.Now, o)).Stop);
    }

    [Fact]
    public void ResponseStatus_FirstDefinitiveOutcome_ElseOkPending()
    {
        Assert.Equal("Error-service-denied", DeliveryOutcomes.ResponseStatus(DeliveryOutcomes.Classify(403)).Text);
        Assert.Equal("Ok", DeliveryOutcomes.ResponseStatus(DeliveryOutcomes.Classify(480)).Text);
        Assert.Equal("Ok", DeliveryOutcomes.ResponseStatus(null).Text);
        Assert.Equal("Ok", DeliveryOutcomes.ResponseStatus(DeliveryOutcomes.Classify(200)).Text);
    }
}

public class RetryPolicyTests
{
    private static readonly DateTimeOffset s_now = T.Now;
    private static readonly RetryPolicyOptions s_opts = new() { InitialDelay = TimeSpan.FromSeconds(30), Multiplier = 2, MaxDelay = TimeSpan.FromMinutes(5), Jitter = 0.2, MaxAttempts = 6 };

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(4, 240)]
    [InlineData(5, 300)]
    public void ExponentialBackoff_WithCap_FixedRandomMidpoint(int attempts, int seconds)
    {
        var d = new RetryPolicy(s_opts, () => 0.5).Next(attempts, s_now, null);
        Assert.True(d.Retry);
        Assert.Equal(TimeSpan.FromSeconds(seconds), d.Delay);
        Assert.Equal(s_now.AddSeconds(seconds), d.At);
    }

    [Fact]
    public void Jitter_ScalesWithinBounds()
    {
        Assert.Equal(TimeSpan.FromSeconds(24), new RetryPolicy(s_opts, () => 0.0).Next(1, s_now, null).Delay);
        Assert.Equal(TimeSpan.FromSeconds(33), new RetryPolicy(s_opts, () => 0.75).Next(1, s_now, null).Delay);
    }

    [Fact]
    public void RetryAfter_Honoured_WhenLonger()
    {
        Assert.Equal(TimeSpan.FromMinutes(10), new RetryPolicy(s_opts, () => 0.5).Next(1, s_now, null, TimeSpan.FromMinutes(10)).Delay);
        Assert.Equal(TimeSpan.FromSeconds(30), new RetryPolicy(s_opts, () => 0.5).Next(1, s_now, null, TimeSpan.FromSeconds(5)).Delay);
    }

    [Fact]
    public void MaxAttempts_Stops()
    {
        var d = new RetryPolicy(s_opts, () => 0.5).Next(6, s_now, null);
        Assert.False(d.Retry);
        Assert.Equal(RetryStop.MaxAttempts, d.Stop);
    }

    [Fact]
    public void NeverPastExpiry()
    {
        var d = new RetryPolicy(s_opts, () => 0.5).Next(3, s_now, s_now.AddSeconds(100));
        Assert.False(d.Retry);
        Assert.Equal(RetryStop.Expired, d.Stop);
        Assert.True(new RetryPolicy(s_opts, () => 0.5).Next(3, s_now, s_now.AddSeconds(120)).Retry);
        Assert.Equal(RetryStop.Expired, new RetryPolicy(s_opts, () => 0.5).Next(1, s_now, s_now).Stop);
        // a Retry-After beyond the expiry also stops
        Assert.Equal(RetryStop.Expired, new RetryPolicy(s_opts, () => 0.5).Next(1, s_now, s_now.AddMinutes(5), TimeSpan.FromMinutes(6)).Stop);
    }

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public bool Delay_AlwaysWithinJitteredCap_AndNeverPastDeadline(PositiveInt attempts, double random, PositiveInt deadlineSeconds)
    {
        var r = double.IsFinite(random) ? Math.Abs(random % 1.0) : 0.5;
        var deadline = s_now.AddSeconds(deadlineSeconds.Get);
        var d = RetryPolicy.Decide(s_opts, attempts.Get, s_now, deadline, null, r);
        if (!d.Retry) { return d.Stop != RetryStop.None; }
        return d.Delay >= TimeSpan.FromSeconds(24) && d.Delay <= TimeSpan.FromSeconds(360) && d.At <= deadline && attempts.Get < s_opts.MaxAttempts;
    }

    [Fact]
    public void Options_Validate_NamesTheKey()
    {
        var bad = new RetryPolicyOptions { InitialDelay = TimeSpan.Zero, Multiplier = 0.5, Jitter = 1.5, MaxAttempts = 0 };
        var errors = bad.Validate("Ims:Retry");
        Assert.Contains(errors, e => e.StartsWith("Ims:Retry:InitialDelay", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Ims:Retry:Multiplier", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Ims:Retry:Jitter", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Ims:Retry:MaxAttempts", StringComparison.Ordinal));
        Assert.Empty(RetryPolicyOptions.SipDelivery().Validate("Ims:Retry"));
        Assert.Empty(RetryPolicyOptions.SmtpInsideWait().Validate("Interwork:SmtpRetry"));
    }
}

/// <summary>IMDN ↔ MM4 reports (PROTOCOLS.md §6 table).</summary>
public class ImdnReportTests
{
    private static readonly CpmOriginal s_all = new("sip:+15550100001@ims.example.com", "PH7qAIV8cgH5",
        DispositionNotification.PositiveDelivery | DispositionNotification.NegativeDelivery | DispositionNotification.Display, "sip:+15550100002@ims.example.com;user=phone");

    private static ImdnReports Reports(DeletedWithoutReadingPolicy p = DeletedWithoutReadingPolicy.Drop) =>
        new(new ImsOptions { Domain = "ims.example.com" }, new CpmOptions { DeletedWithoutReading = p });

    private static Mm4ForwardRequest Original() => T.Read(T.VectorBytes("mm4-forward-anonymous-utf8.eml"));

    private static Mm4DeliveryReportRequest Dr(MmStatusCode code) => new Mm4ReplyFactory(new SequentialIds("x"), T.Clock(), Mm4Address.Email("system-user@mms.other.example"))
        .DeliveryReport(Original() with { From = Mm4Address.Plmn("+15550100001") }, Mm4Address.Plmn("+15550100002"), Mm4MmStatus.From(code));

    private static Mm4ReadReplyReportRequest Rr(ReadStatus s) => new Mm4ReplyFactory(new SequentialIds("x"), T.Clock(), Mm4Address.Email("system-user@mms.other.example"))
        .ReadReplyReport(Original() with { From = Mm4Address.Plmn("+15550100001") }, Mm4Address.Plmn("+15550100002"), s);

    private static ImdnDocument Imdn(CpmOutboundMessage m)
    {
        var cpim = CpimMessage.Parse(m.Body, new MimeParserOptions())!;
        Assert.Equal("message/imdn+xml", cpim.ContentType.MimeType);
        Assert.Equal("notification", cpim.ContentDisposition!.Disposition);
        return ImdnDocument.Parse(cpim.Body, null, out _)!;
    }

    [Theory]
    [InlineData(ImdnNotificationKind.Delivery, ImdnStatus.Delivered, Mm4ReportKind.DeliveryReport, "Retrieved")]
    [InlineData(ImdnNotificationKind.Delivery, ImdnStatus.Failed, Mm4ReportKind.DeliveryReport, "Rejected")]
    [InlineData(ImdnNotificationKind.Delivery, ImdnStatus.Forbidden, Mm4ReportKind.DeliveryReport, "Rejected")]
    [InlineData(ImdnNotificationKind.Delivery, ImdnStatus.Error, Mm4ReportKind.DeliveryReport, "Indeterminate")]
    public void ImdnDelivery_To_MmStatus(ImdnNotificationKind kind, ImdnStatus status, Mm4ReportKind report, string mm)
    {
        var r = ImdnReports.ToMm4(new ImdnDocument("id", T.Now, kind, status));
        Assert.Equal(report, r.Kind);
        Assert.Equal(mm, r.MmStatus!.Value.Text);
    }

    [Fact]
    public void ImdnDisplayed_To_ReadReplyRead()
    {
        var r = ImdnReports.ToMm4(new ImdnDocument("id", T.Now, ImdnNotificationKind.Display, ImdnStatus.Displayed));
        Assert.Equal(Mm4ReportKind.ReadReply, r.Kind);
        Assert.Equal(ReadStatus.Read, r.ReadStatus);
    }

    [Theory]
    [InlineData(ImdnNotificationKind.Display, ImdnStatus.Forbidden)]
    [InlineData(ImdnNotificationKind.Display, ImdnStatus.Error)]
    [InlineData(ImdnNotificationKind.Processing, ImdnStatus.Processed)]
    public void ImdnWithoutMm4Equivalent_None(ImdnNotificationKind kind, ImdnStatus status)
    {
        Assert.Equal(Mm4ReportKind.None, ImdnReports.ToMm4(new ImdnDocument("id", T.Now, kind, status)).Kind);
    }

    [Theory]
    [InlineData(MmStatusCode.Retrieved, ImdnStatus.Delivered)]
    [InlineData(MmStatusCode.Expired, ImdnStatus.Failed)]
    [InlineData(MmStatusCode.Rejected, ImdnStatus.Failed)]
    [InlineData(MmStatusCode.Unrecognised, ImdnStatus.Failed)]
    public void DeliveryReport_To_ImdnDeliveryNotification(MmStatusCode code, ImdnStatus expected)
    {
        var m = Reports().DeliveryNotification(Dr(code), s_all, "n-1")!;
        Assert.Equal("sip:+15550100001@ims.example.com", m.RequestUri);
        Assert.Equal("<sip:+15550100002@ims.example.com;user=phone>", m.From);
        var imdn = Imdn(m);
        Assert.Equal(ImdnNotificationKind.Delivery, imdn.Kind);
        Assert.Equal(expected, imdn.Status);
        Assert.Equal("PH7qAIV8cgH5", imdn.MessageId);
        Assert.Equal("urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg", m.Headers.Single(h => h.Key == "P-Asserted-Service").Value);
        var cpim = CpimMessage.Parse(m.Body, new MimeParserOptions())!;
        Assert.Equal("n-1", cpim.ImdnMessageId);
        Assert.Equal(DispositionNotification.None, cpim.DispositionNotification);
    }

    [Theory]
    [InlineData(MmStatusCode.Forwarded)]
    [InlineData(MmStatusCode.Deferred)]
    [InlineData(MmStatusCode.Indeterminate)]
    public void InterimDeliveryReport_NoImdn(MmStatusCode code)
    {
        Assert.Null(Reports().DeliveryNotification(Dr(code), s_all, "n"));
    }

    [Fact]
    public void DeliveryReport_NotRequested_NoImdn()
    {
        var onlyNegative = s_all with { RequestedNotifications = DispositionNotification.NegativeDelivery };
        Assert.Null(Reports().DeliveryNotification(Dr(MmStatusCode.Retrieved), onlyNegative, "n"));
        Assert.NotNull(Reports().DeliveryNotification(Dr(MmStatusCode.Expired), onlyNegative, "n"));
    }

    [Fact]
    public void ReadReplyRead_To_ImdnDisplayed()
    {
        var imdn = Imdn(Reports().DisplayNotification(Rr(ReadStatus.Read), s_all, "n")!);
        Assert.Equal(ImdnNotificationKind.Display, imdn.Kind);
        Assert.Equal(ImdnStatus.Displayed, imdn.Status);
    }

    [Fact]
    public void DeletedWithoutBeingRead_DropOrError_PerOption()
    {
        Assert.Null(Reports(DeletedWithoutReadingPolicy.Drop).DisplayNotification(Rr(ReadStatus.DeletedWithoutBeingRead), s_all, "n"));
        var imdn = Imdn(Reports(DeletedWithoutReadingPolicy.Error).DisplayNotification(Rr(ReadStatus.DeletedWithoutBeingRead), s_all, "n")!);
        Assert.Equal(ImdnStatus.Error, imdn.Status);
    }

    [Fact]
    public void ReadReply_NotRequested_NoImdn()
    {
        Assert.Null(Reports().DisplayNotification(Rr(ReadStatus.Read), s_all with { RequestedNotifications = DispositionNotification.PositiveDelivery }, "n"));
    }
}

public class AddressMappingProperties
{
    [FsCheck.Xunit.Property(MaxTest = 300)]
    public bool E164_RoundTrip_SipTelMm4(PositiveInt a, PositiveInt b, bool tel, bool separators)
    {
        var digits = (a.Get.ToString(System.Globalization.CultureInfo.InvariantCulture) + b.Get.ToString(System.Globalization.CultureInfo.InvariantCulture));
        digits = digits[..Math.Min(15, digits.Length)];
        if (digits[0] == '0') { digits = "1" + digits[1..]; }
        var e164 = "+" + digits;
        var written = separators && digits.Length > 3 ? "+" + digits[..1] + "-" + digits[1..3] + "." + digits[3..] : e164;
        var uri = tel ? "tel:" + written : "sip:" + written + "@ims.example.com;user=phone";
        if (!E164Addressing.TryGetE164(uri, out var got, out _) || got != e164) { return false; }
        var mm4 = E164Addressing.ToMm4(got);
        var back = Mm4Address.Parse(mm4.ToString());
        var ims = E164Addressing.ToImsUri(E164Addressing.FromMm4(back)!, tel ? ImsUriForm.Tel : ImsUriForm.Sip, "ims.example.com");
        return mm4.ToString() == e164 + "/TYPE=PLMN" && E164Addressing.TryGetE164(ims, out var again, out _) && again == e164;
    }

    [Theory]
    [InlineData("sip:+15550100002@ims.example.com", "+15550100002")]
    [InlineData("sip:+1-555-010-0002@ims.example.com;user=phone", "+15550100002")]
    [InlineData("sips:+15550100002@ims.example.com;user=phone", "+15550100002")]
    [InlineData("tel:+1(555)010.0002", "+15550100002")]
    [InlineData("tel:+15550100002;phone-context=+1", "+15550100002")]
    public void TelephoneUris_To_E164(string uri, string e164)
    {
        Assert.True(E164Addressing.TryGetE164(uri, out var got, out var err), err.ToString());
        Assert.Equal(e164, got);
    }

    [Theory]
    [InlineData("sip:alice@example.com", E164UriError.NotE164)]
    [InlineData("sip:5550100@example.com;user=phone", E164UriError.LocalNumber)]
    [InlineData("tel:5550100;phone-context=example.com", E164UriError.LocalNumber)]
    [InlineData("tel:+1234567890123456", E164UriError.NotE164)]
    [InlineData("mailto:bob@example.com", E164UriError.NotTelephoneUri)]
    [InlineData("", E164UriError.NotTelephoneUri)]
    public void NonE164_Uris_DefinedError(string uri, E164UriError error)
    {
        Assert.False(E164Addressing.TryGetE164(uri, out _, out var got));
        Assert.Equal(error, got);
    }
}

public class OptionsValidationTests
{
    [Fact]
    public void Defaults_Valid_WhenRequiredKeysSet()
    {
        Assert.Empty(T.Options().Validate());
        Assert.Empty(new CpmOptions().Validate());
        Assert.Empty(new ImsOptions { Domain = "ims.example.com" }.Validate());
        Assert.Empty(new Mm4InboundOptions().Validate());
    }

    [Fact]
    public void Interwork_Errors_NameTheKey()
    {
        var o = new InterworkOptions { GatewayDomains = ["bad domain"], MmsVersion = "6.10", ResponseWait = TimeSpan.FromSeconds(32), InitialMaxForwards = 0, SystemUser = "a b", MaxRecipients = 0 };
        var e = o.Validate();
        foreach (var key in new[] { "Interwork:GatewayDomains:0", "Interwork:MmsVersion", "Interwork:ResponseWait", "Interwork:InitialMaxForwards", "Interwork:SystemUser", "Interwork:MaxRecipients" })
        {
            Assert.Contains(e, x => x.StartsWith(key, StringComparison.Ordinal));
        }
        Assert.Contains(new InterworkOptions().Validate(), x => x.StartsWith("Interwork:GatewayDomains", StringComparison.Ordinal));
    }

    [Fact]
    public void Cpm_Ims_Mm4_Errors_NameTheKey()
    {
        Assert.StartsWith("Cpm:PagerModeMaxBytes", Assert.Single(new CpmOptions { PagerModeMaxBytes = 10 }.Validate()), StringComparison.Ordinal);
        Assert.StartsWith("Ims:Domain", Assert.Single(new ImsOptions().Validate()), StringComparison.Ordinal);
        Assert.StartsWith("Ims:Retry:MaxAttempts", Assert.Single(new ImsOptions { Domain = "ims.example.com", Retry = { MaxAttempts = 0 } }.Validate()), StringComparison.Ordinal);
        Assert.StartsWith("Interwork:SmtpRetry:Jitter", Assert.Single(T.Options(o => o.SmtpRetry.Jitter = 2).Validate()), StringComparison.Ordinal);
        Assert.StartsWith("Mm4:ResponseWait", Assert.Single(new Mm4InboundOptions { ResponseWait = TimeSpan.Zero }.Validate()), StringComparison.Ordinal);
    }
}

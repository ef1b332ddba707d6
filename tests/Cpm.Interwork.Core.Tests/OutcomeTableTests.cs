using Cpm.Interwork.Mm4;

namespace Cpm.Interwork.Core.Tests;

/// <summary>MM4_forward.RES status → SIP final response (PROTOCOLS.md §6), one row per test case.</summary>
public class ResToSipTableTests
{
    [Theory]
    [InlineData("Ok", 200, "OK")]
    [InlineData("Error-sending-address-unresolved", 404, "Not Found")]
    [InlineData("Error-permanent-sending-address-unresolved", 404, "Not Found")]
    [InlineData("Error-service-denied", 403, "Forbidden")]
    [InlineData("Error-permanent-service-denied", 403, "Forbidden")]
    [InlineData("Error-content-not-accepted", 415, "Unsupported Media Type")]
    [InlineData("Error-permanent-content-not-accepted", 415, "Unsupported Media Type")]
    [InlineData("Error-unsupported-message", 415, "Unsupported Media Type")]
    [InlineData("Error-message-format-corrupt", 400, "Bad Request")]
    [InlineData("Error-permanent-message-format-corrupt", 400, "Bad Request")]
    [InlineData("Error-network-problem", 503, "Service Unavailable")]
    [InlineData("Error-transient-failure", 503, "Service Unavailable")]
    [InlineData("Error-transient-network-problem", 503, "Service Unavailable")]
    [InlineData("Error-transient-sending-address-unresolved", 503, "Service Unavailable")]
    [InlineData("Error-transient-message-not-found", 503, "Service Unavailable")]
    [InlineData("Error-transient-partial-success", 503, "Service Unavailable")]
    [InlineData("Error-transient-future-thing", 503, "Service Unavailable")]
    [InlineData("Error-unspecified", 500, "Server Internal Error")]
    [InlineData("Error-permanent-failure", 500, "Server Internal Error")]
    [InlineData("Error-message-not-found", 500, "Server Internal Error")]
    [InlineData("Error-permanent-message-not-found", 500, "Server Internal Error")]
    [InlineData("Error-permanent-future-thing", 500, "Server Internal Error")]
    [InlineData("Some-vendor-code", 500, "Server Internal Error")]
    [InlineData("Error-permanent-address-hiding-not-supported", 433, "Anonymity Disallowed")]
    [InlineData("Error-permanent-reply-charging-not-supported", 403, "Forbidden")]
    [InlineData("Error-permanent-reply-charging-limitations-not-met", 403, "Forbidden")]
    [InlineData("Error-permanent-reply-charging-request-not-accepted", 403, "Forbidden")]
    [InlineData("Error-permanent-reply-charging-forwarding-denied", 403, "Forbidden")]
    [InlineData("Error-permanent-lack-of-prepaid", 403, "Forbidden")]
    public void ResStatus_To_SipFinalResponse(string token, int code, string reason)
    {
        var a = ForwardOutcomes.ToSip(Mm4RequestStatus.Parse(token), null, "gw.example", TimeSpan.FromSeconds(60));
        Assert.Equal(code, a.StatusCode);
        Assert.Equal(reason, a.ReasonPhrase);
        Assert.Empty(a.Warnings);
        Assert.Equal(code == 503 ? "60" : null, a.RetryAfterValue);
    }

    [Fact]
    public void StatusText_Goes_Into_Warning399_Escaped()
    {
        var res = new Mm4ForwardResponse
        {
            MmsVersion = "6.10.0", TransactionId = "t1", MessageId = "m1",
            RequestStatus = Mm4RequestStatus.From(RequestStatusCode.ErrorServiceDenied),
            StatusText = "Subscriber \"barred\"\r\nby operator",
        };
        var a = ForwardOutcomes.ToSip(res, T.Options());
        Assert.Equal(403, a.StatusCode);
        Assert.Equal("399 gw.example \"Subscriber \\\"barred\\\"  by operator\"", Assert.Single(a.Warnings));
    }

    [Fact]
    public void Vectors_FromMm4Peers_MapLikeTheTable()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Vectors", "res"));
        Assert.True(files.Length >= 15);
        foreach (var file in files)
        {
            var res = Assert.IsType<Mm4ForwardResponse>(Mm4Reader.Read(File.ReadAllBytes(file)).Message);
            var expected = ForwardOutcomes.StatusOf(res.RequestStatus).StatusCode;
            var a = ForwardOutcomes.ToSip(res, T.Options());
            Assert.Equal(expected, a.StatusCode);
            Assert.Equal(res.StatusText is null ? 0 : 1, a.Warnings.Count);
        }
    }
}

public class TransportAndWaitTableTests
{
    private static readonly string[] s_who = ["+15550100002"];

    [Fact]
    public void NoRoute_404_NamingTheNumber()
    {
        var a = ForwardOutcomes.ForTransport(Mm4TransportFailure.NoRoute, s_who, T.Options());
        Assert.Equal(404, a.StatusCode);
        Assert.Contains("+15550100002", Assert.Single(a.Warnings), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Mm4TransportFailure.DnsUnavailable)]
    [InlineData(Mm4TransportFailure.RelayUnreachable)]
    [InlineData(Mm4TransportFailure.SmtpTransient)]
    public void Unreachable_Or_Transient_503_RetryAfter(Mm4TransportFailure failure)
    {
        var a = ForwardOutcomes.ForTransport(failure, s_who, T.Options(o => o.RetryAfter = TimeSpan.FromSeconds(90)), 451, "try later");
        Assert.Equal(503, a.StatusCode);
        Assert.Equal("90", a.RetryAfterValue);
        Assert.True(ForwardOutcomes.IsRetryable(failure));
    }

    [Theory]
    [InlineData(550, 404)]
    [InlineData(551, 404)]
    [InlineData(553, 404)]
    [InlineData(552, 413)]
    [InlineData(554, 403)]
    [InlineData(521, 403)]
    [InlineData(530, 403)]
    [InlineData(535, 403)]
    [InlineData(500, 500)]
    [InlineData(501, 500)]
    public void SmtpPermanent_AtRcpt_MappedPermanentError(int smtp, int sip)
    {
        var a = ForwardOutcomes.ForTransport(Mm4TransportFailure.SmtpPermanent, s_who, T.Options(), smtp, "5.1.1 no such user");
        Assert.Equal(sip, a.StatusCode);
        Assert.Null(a.RetryAfter);
        Assert.Contains(smtp.ToString(System.Globalization.CultureInfo.InvariantCulture), a.Warnings[0], StringComparison.Ordinal);
        Assert.False(ForwardOutcomes.IsRetryable(Mm4TransportFailure.SmtpPermanent));
    }

    [Theory]
    [InlineData(NoResponsePolicy.Accepted, 202)]
    [InlineData(NoResponsePolicy.RequestTimeout, 408)]
    [InlineData(NoResponsePolicy.ServerTimeout, 504)]
    [InlineData(NoResponsePolicy.ServerError, 500)]
    [InlineData(NoResponsePolicy.ServiceUnavailable, 503)]
    public void NoResWithinWait_PolicyAnswer(NoResponsePolicy policy, int code)
    {
        var a = ForwardOutcomes.NoResponse(T.Options(o => o.NoResponsePolicy = policy));
        Assert.Equal(code, a.StatusCode);
        Assert.Single(a.Warnings);
        Assert.Equal(code == 503, a.RetryAfter is not null);
    }

    [Fact]
    public void NoResWithinWait_Default_202()
    {
        Assert.Equal(202, ForwardOutcomes.NoResponse(new InterworkOptions { GatewayDomains = ["gw.example"] }).StatusCode);
    }
}

public class AggregationTests
{
    private static ForwardOutcome O(int code, string who, int? retryAfter = null) =>
        new(new SipAnswer(code, "R" + code) { RetryAfter = retryAfter is { } r ? TimeSpan.FromSeconds(r) : null }, [who]);

    [Fact]
    public void AllOk_200()
    {
        var a = ForwardOutcomes.Aggregate([O(200, "+1"), O(200, "+2")], "gw");
        Assert.Equal(200, a.StatusCode);
        Assert.Empty(a.Warnings);
    }

    [Fact]
    public void OkAndAccepted_202()
    {
        Assert.Equal(202, ForwardOutcomes.Aggregate([O(200, "+1"), O(202, "+2")], "gw").StatusCode);
    }

    [Fact]
    public void SomeOk_SomeFailed_202_WithWarningNamingFailedNumbers()
    {
        var a = ForwardOutcomes.Aggregate([O(200, "+15550100002"), O(404, "+15550200003")], "gw.example");
        Assert.Equal(202, a.StatusCode);
        Assert.Contains(a.Warnings, w => w.Contains("+15550200003", StringComparison.Ordinal) && w.Contains("404", StringComparison.Ordinal));
        Assert.DoesNotContain(a.Warnings, w => w.Contains("+15550100002", StringComparison.Ordinal));
    }

    [Fact]
    public void AllFailed_4xxBeats5xx()
    {
        Assert.Equal(404, ForwardOutcomes.Aggregate([O(503, "+1", 30), O(404, "+2")], "gw").StatusCode);
    }

    [Fact]
    public void AllFailed_6xxFirst_Then415Preferred()
    {
        Assert.Equal(603, ForwardOutcomes.Aggregate([O(404, "+1"), O(603, "+2")], "gw").StatusCode);
        Assert.Equal(415, ForwardOutcomes.Aggregate([O(404, "+1"), O(415, "+2"), O(403, "+3")], "gw").StatusCode);
        Assert.Equal(404, ForwardOutcomes.Aggregate([O(404, "+1"), O(403, "+2")], "gw").StatusCode);
    }

    [Fact]
    public void AllTransient_503_LargestRetryAfter_AllWarnings()
    {
        var a = ForwardOutcomes.Aggregate([O(503, "+1", 30), O(503, "+2", 120)], "gw");
        Assert.Equal(503, a.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), a.RetryAfter);
        Assert.Equal(2, a.Warnings.Count);
    }

    [Fact]
    public void Split_WithUnroutedRecipient_And_OkRes_202_NamingTheUnroutedNumber()
    {
        var o = T.Options();
        var f = T.Forward(T.Mapper(o).Map(T.Vector("urilist-three-recipients.sip")));
        var split = T.Splitter(o).Split(f, new Dictionary<string, string> { ["+15550100002"] = "a.example", ["+15550100004"] = "a.example" });
        var ok = new Mm4ForwardResponse { MmsVersion = "6.10.0", TransactionId = split.Forwards[0].TransactionId, MessageId = "m", RequestStatus = Mm4RequestStatus.Ok };
        var outcomes = new List<ForwardOutcome>
        {
            new(ForwardOutcomes.ToSip(ok, o), split.Forwards[0].Recipients.Select(r => r.E164).ToArray()),
            new(ForwardOutcomes.ForTransport(Mm4TransportFailure.NoRoute, split.Unrouted.Select(r => r.E164).ToArray(), o), split.Unrouted.Select(r => r.E164).ToArray()),
        };
        var a = ForwardOutcomes.Aggregate(outcomes, o.WarnAgent);
        Assert.Equal(202, a.StatusCode);
        Assert.Contains(a.Warnings, w => w.Contains("+15550200003", StringComparison.Ordinal) && w.Contains("404", StringComparison.Ordinal));
    }

    [Fact]
    public void SingleOutcome_Unchanged()
    {
        var one = O(415, "+1");
        Assert.Same(one.Answer, ForwardOutcomes.Aggregate([one], "gw"));
    }
}

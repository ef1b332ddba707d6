namespace Cpm.Interwork.Sip.Tests;

/// <summary>The one rejection → response table (docs/sip-codec.md).</summary>
public sealed class RejectionTableTests
{
    [Fact]
    public void Every_reason_maps_to_a_sip_error_with_a_phrase_naming_the_fault()
    {
        var reasons = Enum.GetValues<SipRejectionReason>().Where(r => r != SipRejectionReason.None).ToArray();
        var phrases = reasons.Select(SipRejections.ReasonPhraseOf).ToArray();
        Assert.All(reasons, r => Assert.Contains(SipRejections.StatusCodeOf(r), new[] { 400, 413, 416, 505, 513 }));
        Assert.Equal(phrases.Length, phrases.Distinct(StringComparer.Ordinal).Count());
        Assert.All(reasons.Where(r => SipRejections.StatusCodeOf(r) == 400), r => Assert.Matches(@"^Bad Request \(.+\)$", SipRejections.ReasonPhraseOf(r)));
    }

    [Theory]
    [InlineData(SipRejectionReason.BodyTooLarge, 413, "Request Entity Too Large")]
    [InlineData(SipRejectionReason.HeaderBlockTooLarge, 513, "Message Too Large (Header Block)")]
    [InlineData(SipRejectionReason.UnsupportedVersion, 505, "Version Not Supported")]
    [InlineData(SipRejectionReason.UnsupportedUriScheme, 416, "Unsupported URI Scheme")]
    [InlineData(SipRejectionReason.MalformedVia, 400, "Bad Request (Malformed Via)")]
    [InlineData(SipRejectionReason.MissingCallId, 400, "Bad Request (Missing Call-ID)")]
    public void Rejections_named_in_the_brief(SipRejectionReason reason, int code, string phrase)
    {
        Assert.Equal((code, phrase), SipRejections.ToResponse(reason));
        var error = new SipParseError(reason, 17);
        Assert.Equal((code, phrase), (error.StatusCode, error.ReasonPhrase));
    }
}

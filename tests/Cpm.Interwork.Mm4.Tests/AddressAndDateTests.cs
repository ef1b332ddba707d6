using System.Net;

namespace Cpm.Interwork.Mm4.Tests;

public class AddressAndDateTests
{
    [Theory]
    [InlineData("+15550100001/TYPE=PLMN", Mm4AddressKind.Plmn, "+15550100001", null, null)]
    [InlineData("+15550100001/type=plmn", Mm4AddressKind.Plmn, "+15550100001", null, null)]
    [InlineData("+15550100001/TYPE=PLMN@mms.example.net", Mm4AddressKind.Plmn, "+15550100001", "mms.example.net", null)]
    [InlineData("<+15550100001/TYPE=PLMN@mms.mnc006.mcc260.gprs>", Mm4AddressKind.Plmn, "+15550100001", "mms.mnc006.mcc260.gprs", null)]
    [InlineData("\"Alice \\\"A\\\" Example\" <+15550100001/TYPE=PLMN>", Mm4AddressKind.Plmn, "+15550100001", null, "Alice \"A\" Example")]
    [InlineData("=?UTF-8?Q?J=C3=BCrgen?= <+491701234567/TYPE=PLMN>", Mm4AddressKind.Plmn, "+491701234567", null, "Jürgen")]
    [InlineData("192.0.2.1/TYPE=IPv4", Mm4AddressKind.IPv4, "192.0.2.1", null, null)]
    [InlineData("2001:db8::1/TYPE=IPv6", Mm4AddressKind.IPv6, "2001:db8::1", null, null)]
    [InlineData("2001:db8::1/TYPE=IPV6@mms.example.net", Mm4AddressKind.IPv6, "2001:db8::1", "mms.example.net", null)]
    [InlineData("system-user@mms.example.net", Mm4AddressKind.Email, "system-user@mms.example.net", null, null)]
    [InlineData("Carol <carol@example.org>", Mm4AddressKind.Email, "carol@example.org", null, "Carol")]
    [InlineData("shortcode-1234/TYPE=USER", Mm4AddressKind.Other, "shortcode-1234", null, null)]
    public void Parse_AllForms(string text, Mm4AddressKind kind, string value, string? domain, string? display)
    {
        var a = Mm4Address.Parse(text);
        Assert.Equal(kind, a.Kind);
        Assert.Equal(value, a.Value);
        Assert.Equal(domain, a.Domain);
        Assert.Equal(display, a.DisplayName);
        Assert.Equal(a, Mm4Address.Parse(a.ToString()));
    }

    [Theory]
    [InlineData("", Mm4AddressError.Empty)]
    [InlineData("+/TYPE=PLMN", Mm4AddressError.InvalidE164)]
    [InlineData("15550100001/TYPE=PLMN", Mm4AddressError.InvalidE164)]
    [InlineData("+1234567890123456/TYPE=PLMN", Mm4AddressError.InvalidE164)]
    [InlineData("+1555-0100/TYPE=PLMN", Mm4AddressError.InvalidE164)]
    [InlineData("192.0.2/TYPE=IPv4", Mm4AddressError.InvalidIPv4)]
    [InlineData("2001:db8::1/TYPE=IPv4", Mm4AddressError.InvalidIPv4)]
    [InlineData("192.0.2.1/TYPE=IPv6", Mm4AddressError.InvalidIPv6)]
    [InlineData("+15550100001/TYPE=PLMN@", Mm4AddressError.InvalidDomain)]
    [InlineData("not an address", Mm4AddressError.InvalidMailbox)]
    [InlineData("@example.org", Mm4AddressError.InvalidMailbox)]
    public void TryParse_RejectsWithReason(string text, Mm4AddressError expected)
    {
        Assert.False(Mm4Address.TryParse(text, out var a, out var e));
        Assert.Null(a);
        Assert.Equal(expected, e);
    }

    [Fact]
    public void E164_PlusAndOneToFifteenDigits()
    {
        Assert.True(Mm4Address.IsE164("+1"));
        Assert.True(Mm4Address.IsE164("+123456789012345"));
        Assert.False(Mm4Address.IsE164("+1234567890123456"));
        Assert.False(Mm4Address.IsE164("+"));
        Assert.False(Mm4Address.IsE164("123"));
        Assert.False(Mm4Address.IsE164("+12 34"));
        Assert.Throws<ArgumentException>(() => Mm4Address.Plmn("0170123"));
    }

    [Fact]
    public void Qualify_ProducesTheEnvelopeForm_AndParsesBack()
    {
        var a = Mm4Address.Plmn("+15550100002").Qualify("mms.example.net");
        Assert.Equal("+15550100002/TYPE=PLMN@mms.example.net", a.ToString());
        Assert.True(a.IsQualified);
        Assert.Equal(a, Mm4Address.Parse("+15550100002/TYPE=PLMN@mms.example.net"));
        Assert.Equal("+15550100002/TYPE=PLMN", a.Unqualified().ToString());
        Assert.Equal("192.0.2.9/TYPE=IPv4@mms.example.net", Mm4Address.Ip(IPAddress.Parse("192.0.2.9")).Qualify("mms.example.net").ToString());
        var mail = Mm4Address.Email("bob@example.org");
        Assert.Same(mail, mail.Qualify("mms.example.net"));
        Assert.Throws<ArgumentException>(() => a.Qualify("bad domain"));
    }

    [Fact]
    public void DisplayNames_QuotedOrEncodedOnFormat()
    {
        Assert.Equal("\"Alice\" <+15550100001/TYPE=PLMN>", Mm4Address.Plmn("+15550100001").WithDisplayName("Alice").ToString());
        var encoded = Mm4Address.Plmn("+15550100001").WithDisplayName("Jürgen").ToString();
        Assert.StartsWith("=?UTF-8?", encoded, StringComparison.Ordinal);
        Assert.Equal("Jürgen", Mm4Address.Parse(encoded).DisplayName);
    }

    [Fact]
    public void AddressList_SplitsOutsideQuotesAndBrackets()
    {
        Assert.True(Mm4Address.TryParseList("\"Smith, J\" <+1555/TYPE=PLMN>, +1666/TYPE=PLMN, undisclosed-recipients:;", out var list, out _));
        Assert.Equal(2, list.Count);
        Assert.Equal("Smith, J", list[0].DisplayName);
    }

    [Theory]
    [InlineData("Tue, 25 Jan 2022 22:17:44 +0000", 2022, 1, 25, 22, 17, 44, 0)]
    [InlineData("Tue, 25 Jan 2022 22:17:44 GMT", 2022, 1, 25, 22, 17, 44, 0)]
    [InlineData("25 Jan 2022 22:17:44 -0500", 2022, 1, 25, 22, 17, 44, -300)]
    [InlineData("Tue,  5 Jan 2022 22:17 EST", 2022, 1, 5, 22, 17, 0, -300)]
    [InlineData("tue, 25 JAN 22 22:17:44 UT", 2022, 1, 25, 22, 17, 44, 0)]
    [InlineData("Tue, 25 Jan 99 22:17:44 +0100", 1999, 1, 25, 22, 17, 44, 60)]
    [InlineData("Tue, 25 Jan 2022 22:17:44 +0000 (UTC)", 2022, 1, 25, 22, 17, 44, 0)]
    [InlineData("Tue Jan 25 22:17:44 2022", 2022, 1, 25, 22, 17, 44, 0)]
    [InlineData("Tue, 25 January 2022 22:17:44 PDT", 2022, 1, 25, 22, 17, 44, -420)]
    [InlineData("2022-01-25T22:17:44+01:00", 2022, 1, 25, 22, 17, 44, 60)]
    public void Dates_Rfc5322AndCommonVariants(string text, int y, int mo, int d, int h, int mi, int s, int offsetMinutes)
    {
        Assert.True(Mm4Dates.TryParse(text, out var v), text);
        Assert.Equal(new DateTimeOffset(y, mo, d, h, mi, s, TimeSpan.FromMinutes(offsetMinutes)), v);
        Assert.Equal(TimeSpan.FromMinutes(offsetMinutes), v.Offset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("31 Feb 2022 10:00:00 +0000")]
    [InlineData("25 Jan 2022 25:00:00 +0000")]
    [InlineData("25 Jan 2022")]
    public void Dates_Rejected(string text) => Assert.False(Mm4Dates.TryParse(text, out _));

    [Fact]
    public void Dates_FormatKeepsOffset()
    {
        Assert.Equal("Wed, 02 Feb 2022 08:05:00 -0330", Mm4Dates.Format(new DateTimeOffset(2022, 2, 2, 8, 5, 0, TimeSpan.FromMinutes(-210))));
    }

    [Fact]
    public void Expiry_AbsoluteOrRelative_KeepsWhichItWas()
    {
        Assert.True(Mm4Expiry.TryParse("3600", out var rel));
        Assert.True(rel.IsRelative);
        Assert.Equal("3600", rel.ToString());
        Assert.True(Mm4Expiry.TryParse("Tue, 01 Feb 2022 22:17:44 GMT", out var abs));
        Assert.False(abs.IsRelative);
        Assert.Equal("Tue, 01 Feb 2022 22:17:44 +0000", abs.ToString());
        var sent = new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(sent.AddHours(1), rel.ResolveAgainst(sent));
        Assert.Equal(abs.AbsoluteTime, abs.ResolveAgainst(sent));
        Assert.False(Mm4Expiry.TryParse("-5", out _));
        Assert.False(Mm4Expiry.TryParse("soon", out _));
        Assert.False(Mm4Expiry.TryParse("99999999999999999999", out _));
    }

    [Fact]
    public void ValueTables_CaseInsensitiveAndCanonicalOnWrite()
    {
        Assert.True(Mm4Values.TryParse("MM4_Delivery_report.REQ", out Mm4MessageType t));
        Assert.Equal(Mm4MessageType.DeliveryReportRequest, t);
        Assert.Equal("MM4_delivery_report.REQ", Mm4Values.Format(t));
        Assert.True(Mm4Values.TryParse("unrecognized", out MmStatusCode mm));
        Assert.Equal("Unrecognised", Mm4Values.Format(mm));
        Assert.True(Mm4Values.TryParse("deleted without being READ", out ReadStatus rs));
        Assert.Equal(ReadStatus.DeletedWithoutBeingRead, rs);
        Assert.True(Mm4Values.TryParse(" yes ", out bool yes));
        Assert.True(yes);
        Assert.False(Mm4Values.TryParse("y", out bool _));
        Assert.Equal(RequestStatusCode.ErrorPermanentLackOfPrepaid, Mm4RequestStatus.Parse("error-PERMANENT-lack-of-prepaid").Code);
        Assert.Equal("Error-permanent-lack-of-prepaid", Mm4RequestStatus.Parse("error-PERMANENT-lack-of-prepaid").Text);
        foreach (var c in Enum.GetValues<RequestStatusCode>().Where(c => c != RequestStatusCode.Unknown))
        {
            Assert.Equal(c, Mm4RequestStatus.Parse(Mm4Values.Format(c)).Code);
        }
    }
}

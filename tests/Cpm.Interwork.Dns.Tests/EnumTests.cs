using Cpm.Interwork.Dns.Client;
using Cpm.Interwork.Dns.E164;
using Cpm.Interwork.Dns.Tests.Support;
using Cpm.Interwork.Dns.Wire;
using static Cpm.Interwork.Dns.Tests.Support.FakeResolver;

namespace Cpm.Interwork.Dns.Tests;

public class NaptrRegexpTests
{
    private static string? Apply(string field, string input)
    {
        Assert.True(NaptrRegexp.TryParse(field, TimeSpan.FromMilliseconds(100), out var rx, out var error), error);
        Assert.True(rx.TryApply(input, out var output));
        return output;
    }

    [Fact]
    public void Rfc6116_MatchAll_GivesTheReplacement() =>
        Assert.Equal("mailto:+15550100002/TYPE=PLMN@mms.example.net", Apply("!^.*$!mailto:+15550100002/TYPE=PLMN@mms.example.net!", "+15550100002"));

    [Fact]
    public void Rfc3402_BackReferences_AreSubstituted() =>
        Assert.Equal("mailto:+15550100002/TYPE=PLMN@mms555.example.net",
            Apply(@"!^\+1(555)(.*)$!mailto:+1\1\2/TYPE=PLMN@mms\1.example.net!", "+15550100002"));

    [Fact]
    public void Rfc3402_DelimiterIsTheFirstCharacter_AndCanBeEscaped()
    {
        Assert.Equal("mailto:15550100002@x.example", Apply(@"/^\+(.*)$/mailto:\1@x.example/", "+15550100002"));
        Assert.Equal("mailto:a!b@x.example", Apply(@"!^(.*)$!mailto:a\!b@x.example!", "+1"));
        Assert.Equal(@"a\b", Apply(@"#.*#a\\b#", "+1"));
    }

    [Fact]
    public void CaseInsensitiveFlag_i_IsHonoured()
    {
        Assert.Null(Apply("!^ABC$!x!", "abc"));
        Assert.Equal("x", Apply("!^ABC$!x!i", "abc"));
    }

    [Fact]
    public void Posix_EscapedLetterIsALiteral_NotADotNetClass()
    {
        // In an ERE "\d" is the letter d, not a digit class.
        Assert.Null(Apply(@"!^\+\d!x!", "+1"));
        Assert.Equal("x", Apply(@"!^\+\d!x!", "+d"));
    }

    [Fact]
    public void Posix_BracketExpressions_KeepPosixMeaning()
    {
        Assert.Equal("5", Apply(@"!^\+1([[:digit:]])!\1!", "+15550100002"));
        Assert.Equal("x", Apply(@"!^[\]+$!x!", @"\\"));
        Assert.Equal("x", Apply(@"!^[]a]+$!x!", "]a]"));
    }

    [Fact]
    public void NoMatch_GivesNoOutput() => Assert.Null(Apply(@"!^\+44(.*)$!mailto:\1@uk.example!", "+15550100002"));

    [Theory]
    [InlineData("!^.*$!x")]
    [InlineData("!^.*$!x!g")]
    [InlineData(@"\^.*\x\")]
    [InlineData("1^.*1x1")]
    [InlineData("!(?<n>.*)!x!")]
    [InlineData(@"!^(.*)$!\2!")]
    [InlineData("!^[[:nope:]]$!x!")]
    [InlineData("!^(.*$!x!")]
    [InlineData("!^.*\\")]
    public void MalformedRegexpFields_AreRejectedAsData(string field) =>
        Assert.False(NaptrRegexp.TryParse(field, TimeSpan.FromMilliseconds(100), out _, out _));
}

public class EnumResolverTests
{
    private const string Number = "+15550100002";
    private const string Domain = "2.0.0.0.0.1.0.5.5.5.1.e164.arpa";
    private const string MailtoRule = "!^.*$!mailto:+15550100002/TYPE=PLMN@mms.example.net!";

    private static EnumResolver Resolver(FakeResolver dns, int maxRewrites = 5, string apex = "e164.arpa") =>
        new(dns, new EnumOptions { Apex = apex, MaxRewrites = maxRewrites });

    [Theory]
    [InlineData("+15550100002", "+15550100002")]
    [InlineData("+1 (555) 010-0002", "+15550100002")]
    [InlineData("tel:+15550100002", "+15550100002")]
    [InlineData("+15550100002/TYPE=PLMN", "+15550100002")]
    [InlineData("tel:+15550100002;phone-context=x", "+15550100002")]
    public void Rfc6116_2_4_Aus_KeepsOnlyTheDigits(string input, string aus) => Assert.Equal(aus, EnumResolver.ToAus(input));

    [Theory]
    [InlineData("")]
    [InlineData("+")]
    [InlineData("+1555abc")]
    [InlineData("+1234567890123456")]
    public void NonNumbers_HaveNoAus(string input) => Assert.Null(EnumResolver.ToAus(input));

    [Fact]
    public void Rfc6116_2_4_DomainIsReversedDigitsUnderTheApex()
    {
        Assert.Equal(Domain, EnumResolver.ToDomain(Number, "e164.arpa"));
        Assert.Equal("2.0.0.0.0.1.0.5.5.5.1.e164enum.net", EnumResolver.ToDomain(Number, "e164enum.net."));
    }

    [Fact]
    public async Task ConfiguredApex_IsQueried()
    {
        var dns = new FakeResolver().Records("2.0.0.0.0.1.0.5.5.5.1.enum.carrier.example", DnsRecordType.Naptr,
            Naptr("2.0.0.0.0.1.0.5.5.5.1.enum.carrier.example", 100, 10, "u", "E2U+mms:mailto", MailtoRule));
        var result = await Resolver(dns, apex: "enum.carrier.example").ResolveAsync(Number);
        Assert.Equal(EnumResultStatus.Mailto, result.Status);
        Assert.Equal("2.0.0.0.0.1.0.5.5.5.1.enum.carrier.example", result.Domain);
    }

    [Fact]
    public async Task MmsMailto_GivesAddressAndDomain()
    {
        var dns = new FakeResolver().Records(Domain, DnsRecordType.Naptr, Naptr(Domain, 100, 10, "u", "E2U+mms:mailto", MailtoRule));
        var result = await Resolver(dns).ResolveAsync(Number);
        Assert.Equal(EnumResultStatus.Mailto, result.Status);
        Assert.Equal("mailto:+15550100002/TYPE=PLMN@mms.example.net", result.Uri);
        Assert.Equal("+15550100002/TYPE=PLMN@mms.example.net", result.MailtoAddress);
        Assert.Equal("mms.example.net", result.MailtoDomain);
    }

    [Fact]
    public async Task Rfc3403_OrderThenPreference_PicksTheFirstUsableRule()
    {
        var dns = new FakeResolver().Records(Domain, DnsRecordType.Naptr,
            Naptr(Domain, 100, 10, "u", "E2U+mms:mailto", "!^.*$!mailto:x@order100.example!"),
            Naptr(Domain, 50, 20, "u", "E2U+mms:mailto", "!^.*$!mailto:x@pref20.example!"),
            Naptr(Domain, 50, 10, "u", "E2U+sip", "!^.*$!sip:x@sip.example!"),
            Naptr(Domain, 50, 15, "u", "E2U+mms:mailto", "!^.*$!mailto:x@pref15.example!"));
        var result = await Resolver(dns).ResolveAsync(Number);
        Assert.Equal("pref15.example", result.MailtoDomain);
        Assert.Equal((ushort)15, result.Record!.Preference);
    }

    [Theory]
    [InlineData("e2u+MMS:MAILTO")]
    [InlineData("E2U+mms:mailto:x-future")]
    [InlineData("E2U+sip+mms:mailto")]
    public void Rfc6118_ServiceMatching_IsCaseInsensitiveAndTolerant(string services) =>
        Assert.Equal(EnumMmsService.Mailto, EnumServices.Classify(services));

    [Theory]
    [InlineData("E2U+mms:x-new", EnumMmsService.UnknownSubtype)]
    [InlineData("E2U+mms:tel", EnumMmsService.Tel)]
    [InlineData("E2U+email:mailto", EnumMmsService.None)]
    [InlineData("SIP+D2U", EnumMmsService.None)]
    [InlineData("", EnumMmsService.None)]
    public void OtherServices_AreClassified(string services, EnumMmsService expected) =>
        Assert.Equal(expected, EnumServices.Classify(services));

    [Fact]
    public async Task UnknownSubtypeOnly_IsNoRecord()
    {
        var dns = new FakeResolver().Records(Domain, DnsRecordType.Naptr, Naptr(Domain, 100, 10, "u", "E2U+mms:x-new", MailtoRule));
        var result = await Resolver(dns).ResolveAsync(Number);
        Assert.Equal(EnumResultStatus.NoRecord, result.Status);
        Assert.True(result.IsNotFound);
    }

    [Fact]
    public async Task MmsTelOnly_IsInformational()
    {
        var dns = new FakeResolver().Records(Domain, DnsRecordType.Naptr, Naptr(Domain, 100, 10, "u", "E2U+mms:tel", "!^(.*)$!tel:\\1!"));
        var result = await Resolver(dns).ResolveAsync(Number);
        Assert.Equal(EnumResultStatus.TelOnly, result.Status);
        Assert.Equal("tel:+15550100002", result.Uri);
        Assert.True(result.IsNotFound);
    }

    [Fact]
    public async Task MailtoBeatsTel_EvenAtAWorsePreference()
    {
        var dns = new FakeResolver().Records(Domain, DnsRecordType.Naptr,
            Naptr(Domain, 100, 10, "u", "E2U+mms:tel", "!^(.*)$!tel:\\1!"),
            Naptr(Domain, 100, 20, "u", "E2U+mms:mailto", MailtoRule));
        Assert.Equal(EnumResultStatus.Mailto, (await Resolver(dns).ResolveAsync(Number)).Status);
    }

    [Fact]
    public async Task Rfc6116_OnlyTheUFlagIsTerminal_OtherFlagsAreSkipped()
    {
        var dns = new FakeResolver().Records(Domain, DnsRecordType.Naptr,
            Naptr(Domain, 10, 10, "s", "E2U+mms:mailto", "!^.*$!mailto:x@wrong.example!"),
            Naptr(Domain, 20, 10, "U", "E2U+mms:mailto", MailtoRule));
        var result = await Resolver(dns).ResolveAsync(Number);
        Assert.Equal("mms.example.net", result.MailtoDomain);
    }

    [Fact]
    public async Task BrokenRegexpInTheBestRule_FallsThroughToTheNext()
    {
        var dns = new FakeResolver().Records(Domain, DnsRecordType.Naptr,
            Naptr(Domain, 10, 10, "u", "E2U+mms:mailto", "!^(.*$!broken!"),
            Naptr(Domain, 10, 20, "u", "E2U+mms:mailto", "!^.*$!not-a-mailto!"),
            Naptr(Domain, 10, 30, "u", "E2U+mms:mailto", MailtoRule));
        var result = await Resolver(dns).ResolveAsync(Number);
        Assert.Equal(EnumResultStatus.Mailto, result.Status);
        Assert.Equal((ushort)30, result.Record!.Preference);
    }

    [Fact]
    public async Task Rfc3402_NonTerminalRule_QueriesTheReplacementDomain()
    {
        var dns = new FakeResolver()
            .Records(Domain, DnsRecordType.Naptr, Naptr(Domain, 100, 10, "", "", "", "mms.enum.carrier.example"))
            .Records("mms.enum.carrier.example", DnsRecordType.Naptr, Naptr("mms.enum.carrier.example", 100, 10, "u", "E2U+mms:mailto", MailtoRule));
        var result = await Resolver(dns).ResolveAsync(Number);
        Assert.Equal(EnumResultStatus.Mailto, result.Status);
        Assert.Equal(1, result.Rewrites);
        Assert.Equal(["2.0.0.0.0.1.0.5.5.5.1.e164.arpa", "mms.enum.carrier.example"], dns.Queries.Select(q => q.Name));
    }

    [Fact]
    public async Task RewriteLoop_StopsAndIsNoRecord()
    {
        var dns = new FakeResolver()
            .Records(Domain, DnsRecordType.Naptr, Naptr(Domain, 100, 10, "", "", "", "a.example"))
            .Records("a.example", DnsRecordType.Naptr, Naptr("a.example", 100, 10, "", "", "", Domain));
        var result = await Resolver(dns).ResolveAsync(Number);
        Assert.Equal(EnumResultStatus.NoRecord, result.Status);
        Assert.Contains("loop", result.Detail, StringComparison.Ordinal);
        Assert.Equal(2, dns.Queries.Count);
    }

    [Fact]
    public async Task RewriteChain_StopsAtMaxRewrites()
    {
        var dns = new FakeResolver().Records(Domain, DnsRecordType.Naptr, Naptr(Domain, 100, 10, "", "", "", "r1.example"));
        for (var i = 1; i <= 10; i++)
        {
            dns.Records($"r{i}.example", DnsRecordType.Naptr, Naptr($"r{i}.example", 100, 10, "", "", "", $"r{i + 1}.example"));
        }

        var result = await Resolver(dns, maxRewrites: 3).ResolveAsync(Number);
        Assert.Equal(EnumResultStatus.NoRecord, result.Status);
        Assert.Equal(4, dns.Queries.Count);
        Assert.Contains("rewrite limit 3", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NxDomain_IsNotFound()
    {
        var result = await Resolver(new FakeResolver()).ResolveAsync(Number);
        Assert.Equal(EnumResultStatus.NXDomain, result.Status);
        Assert.True(result.IsNotFound);
    }

    [Fact]
    public async Task NoData_IsNoRecord()
    {
        var dns = new FakeResolver().Records(Domain, DnsRecordType.Naptr);
        var result = await Resolver(dns).ResolveAsync(Number);
        Assert.Equal(EnumResultStatus.NoRecord, result.Status);
    }

    [Theory]
    [InlineData(DnsResultStatus.Timeout)]
    [InlineData(DnsResultStatus.NetworkError)]
    [InlineData(DnsResultStatus.FormatError)]
    public async Task DnsTrouble_IsDnsFailure_NotNotFound(DnsResultStatus status)
    {
        var dns = new FakeResolver().Fails(Domain, DnsRecordType.Naptr, status);
        var result = await Resolver(dns).ResolveAsync(Number);
        Assert.Equal(EnumResultStatus.DnsFailure, result.Status);
        Assert.False(result.IsNotFound);
    }

    [Fact]
    public async Task ServFail_IsDnsFailure()
    {
        var dns = new FakeResolver().Rcode(Domain, DnsRecordType.Naptr, DnsResponseCode.ServFail);
        Assert.Equal(EnumResultStatus.DnsFailure, (await Resolver(dns).ResolveAsync(Number)).Status);
    }

    [Fact]
    public async Task NotANumber_IsInvalidNumber_WithoutAQuery()
    {
        var dns = new FakeResolver();
        var result = await Resolver(dns).ResolveAsync("alice");
        Assert.Equal(EnumResultStatus.InvalidNumber, result.Status);
        Assert.Empty(dns.Queries);
    }

    [Fact]
    public void EnumOptions_ValidateNamesTheKey()
    {
        var errors = new EnumOptions { Apex = "bad..apex", MaxRewrites = -1, RegexTimeout = TimeSpan.Zero }.Validate();
        Assert.Contains("Enum:Apex = 'bad..apex' is not a domain name", errors);
        Assert.Contains(errors, e => e.StartsWith("Enum:MaxRewrites = -1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Enum:RegexTimeout", StringComparison.Ordinal));
        Assert.Empty(new EnumOptions().Validate());
    }
}

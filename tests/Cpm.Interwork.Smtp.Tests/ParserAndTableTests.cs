using System.Text;
using Cpm.Interwork.Smtp.Client;
using Cpm.Interwork.Smtp.Server;

namespace Cpm.Interwork.Smtp.Tests;

public class CommandParserTests
{
    private static (SmtpRejectionReason Reason, SmtpCommand Command) Parse(string line)
    {
        var reason = SmtpCommandParser.TryParse(Encoding.Latin1.GetBytes(line), out var command);
        return (reason, command);
    }

    [Theory]
    [InlineData("MAIL FROM:<+15550100001/TYPE=PLMN@mms.peer.example>", "+15550100001/TYPE=PLMN", "mms.peer.example")]
    [InlineData("MAIL FROM:<+15550100001/TYPE=IPv4@mms.peer.example>", "+15550100001/TYPE=IPv4", "mms.peer.example")]
    [InlineData("MAIL FROM:<\"a b\\\"c\"@x.example>", "\"a b\\\"c\"", "x.example")]
    [InlineData("mail from:<first.last@sub-1.x.example>", "first.last", "sub-1.x.example")]
    [InlineData("MAIL FROM:<a@[192.0.2.1]>", "a", "[192.0.2.1]")]
    [InlineData("MAIL FROM:<a@[IPv6:2001:db8::1]>", "a", "[IPv6:2001:db8::1]")]
    public void Rfc5321_4_1_2_Mailbox_local_parts_keep_slash_and_equals(string line, string local, string domain)
    {
        var (reason, command) = Parse(line);
        Assert.Equal(SmtpRejectionReason.None, reason);
        Assert.Equal(local, command.Mailbox!.LocalPart);
        Assert.Equal(domain, command.Mailbox.Domain);
        Assert.Equal(domain.StartsWith('['), command.Mailbox.IsAddressLiteral);
    }

    [Theory]
    [InlineData("MAIL FROM:<a@b.example> SIZE=123 BODY=8BITMIME", 123L, true)]
    [InlineData("MAIL FROM:<a@b.example> body=7bit", null, false)]
    public void Rfc1870_and_Rfc6152_parameters(string line, long? size, bool eightBit)
    {
        var (reason, command) = Parse(line);
        Assert.Equal(SmtpRejectionReason.None, reason);
        Assert.Equal(size, command.Size);
        Assert.Equal(eightBit, command.EightBitMime);
    }

    [Theory]
    [InlineData("MAIL FROM:<a@b.example>SIZE=1", SmtpRejectionReason.InvalidArguments)]
    [InlineData("MAIL FROM:<a@b.example> SIZE=x", SmtpRejectionReason.InvalidArguments)]
    [InlineData("MAIL FROM:<a@b.example> X-FOO=1", SmtpRejectionReason.UnsupportedParameter)]
    [InlineData("MAIL FROM:<a..b@b.example>", SmtpRejectionReason.InvalidReversePath)]
    [InlineData("MAIL FROM:<a@-b.example>", SmtpRejectionReason.InvalidReversePath)]
    [InlineData("MAIL FROM:<a@[999.0.0.1]>", SmtpRejectionReason.InvalidReversePath)]
    [InlineData("MAIL FROM:<gr\u00fc@b.example>", SmtpRejectionReason.InvalidReversePath)]
    [InlineData("MAIL FROM <a@b.example>", SmtpRejectionReason.SyntaxError)]
    [InlineData("RCPT TO:<a@b.example> NOTIFY=NEVER", SmtpRejectionReason.UnsupportedParameter)]
    [InlineData("RCPT TO:<>", SmtpRejectionReason.InvalidForwardPath)]
    [InlineData("RCPT TO:a@b.example", SmtpRejectionReason.InvalidForwardPath)]
    [InlineData("DATA now", SmtpRejectionReason.InvalidArguments)]
    [InlineData("HELO", SmtpRejectionReason.InvalidArguments)]
    [InlineData("BDAT 100 LAST", SmtpRejectionReason.UnknownCommand)]
    [InlineData("", SmtpRejectionReason.UnknownCommand)]
    public void Malformed_commands_map_to_a_rejection_reason(string line, SmtpRejectionReason expected)
    {
        Assert.Equal(expected, Parse(line).Reason);
    }

    [Theory]
    [InlineData("EHLO mms.peer.example", "mms.peer.example")]
    [InlineData("ehlo [127.0.0.1]", "[127.0.0.1]")]
    [InlineData("HELO localhost ", "localhost")]
    public void Hello_takes_a_domain_or_address_literal(string line, string domain)
    {
        var (reason, command) = Parse(line);
        Assert.Equal(SmtpRejectionReason.None, reason);
        Assert.Equal(domain, command.Domain);
    }
}

public class StateTableTests
{
    [Theory]
    [InlineData(SmtpSessionState.Connected, new[] { SmtpVerb.Ehlo, SmtpVerb.Helo, SmtpVerb.Noop, SmtpVerb.Rset, SmtpVerb.Quit, SmtpVerb.Vrfy, SmtpVerb.Help })]
    [InlineData(SmtpSessionState.Ready, new[] { SmtpVerb.Ehlo, SmtpVerb.Helo, SmtpVerb.Noop, SmtpVerb.Rset, SmtpVerb.Quit, SmtpVerb.Vrfy, SmtpVerb.Help, SmtpVerb.Mail, SmtpVerb.StartTls })]
    [InlineData(SmtpSessionState.MailFrom, new[] { SmtpVerb.Ehlo, SmtpVerb.Helo, SmtpVerb.Noop, SmtpVerb.Rset, SmtpVerb.Quit, SmtpVerb.Vrfy, SmtpVerb.Help, SmtpVerb.Rcpt })]
    [InlineData(SmtpSessionState.RcptTo, new[] { SmtpVerb.Ehlo, SmtpVerb.Helo, SmtpVerb.Noop, SmtpVerb.Rset, SmtpVerb.Quit, SmtpVerb.Vrfy, SmtpVerb.Help, SmtpVerb.Rcpt, SmtpVerb.Data })]
    public void Rfc5321_4_1_4_commands_allowed_per_state(SmtpSessionState state, SmtpVerb[] allowed)
    {
        foreach (var verb in Enum.GetValues<SmtpVerb>().Where(v => v != SmtpVerb.Unknown))
            Assert.True(allowed.Contains(verb) == SmtpStateTable.IsAllowed(state, verb), $"{state} {verb}");
    }

    [Fact]
    public void Refusals_say_what_is_missing()
    {
        Assert.Equal(SmtpRejectionReason.HelloFirst, SmtpStateTable.Refusal(SmtpSessionState.Connected, SmtpVerb.Mail));
        Assert.Equal(SmtpRejectionReason.NoValidRecipients, SmtpStateTable.Refusal(SmtpSessionState.MailFrom, SmtpVerb.Data));
        Assert.Equal(SmtpRejectionReason.BadSequence, SmtpStateTable.Refusal(SmtpSessionState.Ready, SmtpVerb.Rcpt));
    }

    [Fact]
    public void Every_rejection_reason_has_a_reply_of_the_right_class()
    {
        foreach (var reason in Enum.GetValues<SmtpRejectionReason>().Where(r => r != SmtpRejectionReason.None))
        {
            var reply = SmtpRejections.ToReply(reason);
            Assert.True(reply.IsTransientNegative || reply.IsPermanentNegative, reason.ToString());
            Assert.Equal(reply.Code / 100, reply.EnhancedCode!.Value.Class);
        }
    }
}

public class OptionsTests
{
    [Fact]
    public void Server_defaults_are_valid_once_a_domain_is_given()
    {
        var options = new SmtpServerOptions { LocalDomains = ["mms.gateway.example"] };
        Assert.Empty(options.Validate());
        Assert.Equal(["127.0.0.1:2525"], options.Listen);
        Assert.Equal(["127.0.0.0/8", "::1/128"], options.AllowedPeers);
        Assert.Equal(TimeSpan.FromMinutes(5), options.CommandTimeout);
        Assert.Equal(TimeSpan.FromMinutes(3), options.DataTimeout);
        Assert.Equal(100, options.MaxRecipients);
        Assert.Equal(512, options.MaxCommandLineLength);
    }

    [Fact]
    public void Server_errors_name_the_config_key()
    {
        var errors = new SmtpServerOptions
        {
            Listen = ["127.0.0.1:2525", "localhost:25", "[::1]:99999"],
            AllowedPeers = ["10.0.0.0/8", "x", "10.0.0.1/8"],
            LocalDomains = [],
            MaxRecipients = 0,
            MaxCommandLineLength = 100,
        }.Validate();
        Assert.Contains("Smtp:Listen:1 = 'localhost:25' is not ADDRESS:PORT (an IP address and a port 0-65535; IPv6 in brackets).", errors);
        Assert.Contains(errors, e => e.StartsWith("Smtp:Listen:2 = '[::1]:99999'", StringComparison.Ordinal));
        Assert.Contains("Smtp:AllowedPeers:1 = 'x' is not a CIDR (ADDRESS/PREFIX with no host bits set, or one address).", errors);
        Assert.Contains(errors, e => e.StartsWith("Smtp:AllowedPeers:2 = '10.0.0.1/8'", StringComparison.Ordinal));
        Assert.Contains("Mm4:Domains must name at least one MMSE domain the gateway accepts mail for.", errors);
        Assert.Contains(errors, e => e.StartsWith("Smtp:MaxRecipients", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Smtp:MaxCommandLineLength", StringComparison.Ordinal));
        Assert.Equal(7, errors.Count);
    }

    [Fact]
    public void A_bad_domain_is_named_by_index()
    {
        var errors = new SmtpServerOptions { LocalDomains = ["mms.ok.example", "bad domain"] }.Validate();
        Assert.Equal(["Mm4:Domains:1 = 'bad domain' is not a domain name (RFC 5321 §4.1.2 Domain)."], errors);
    }

    [Fact]
    public void The_server_refuses_to_start_with_invalid_options()
    {
        var e = Assert.Throws<ArgumentException>(() => new SmtpServer(new SmtpServerOptions { AllowedPeers = ["nope"], LocalDomains = ["a.example"] }, new Harness.RecordingSink()));
        Assert.Contains("Smtp:AllowedPeers:0 = 'nope' is not a CIDR", e.Message);
    }

    [Fact]
    public void Client_defaults_follow_Rfc5321_4_5_3_2()
    {
        var options = new SmtpClientOptions();
        Assert.Empty(options.Validate());
        Assert.Equal(TimeSpan.FromMinutes(5), options.GreetingTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), options.MailTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), options.RcptTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), options.DataInitiationTimeout);
        Assert.Equal(TimeSpan.FromMinutes(3), options.DataBlockTimeout);
        Assert.Equal(TimeSpan.FromMinutes(10), options.DataTerminationTimeout);
    }

    [Fact]
    public void Client_errors_name_the_config_key()
    {
        var errors = new SmtpClientOptions { HeloName = "a b", MaxConnectionsPerEndpoint = 0, RcptTimeout = TimeSpan.Zero }.Validate();
        Assert.Contains("Smtp:Client:HeloName = 'a b' must be a domain name or address literal without spaces.", errors);
        Assert.Contains("Smtp:Client:MaxConnectionsPerEndpoint = '0' must be at least 1.", errors);
        Assert.Contains("Smtp:Client:RcptTimeout = '00:00:00' must be positive.", errors);
        Assert.Equal(3, errors.Count);
    }

    [Theory]
    [InlineData("mx.example:2525", "mx.example", 2525)]
    [InlineData("mx.example", "mx.example", 25)]
    [InlineData("[2001:db8::1]:587", "2001:db8::1", 587)]
    [InlineData("127.0.0.1:25", "127.0.0.1", 25)]
    public void Endpoints_parse_host_and_port(string text, string host, int port)
    {
        Assert.True(SmtpEndpoint.TryParse(text, out var endpoint));
        Assert.Equal(host, endpoint.Host);
        Assert.Equal(port, endpoint.Port);
    }

    [Fact]
    public void The_tls_policy_comes_from_the_endpoint_then_the_host_table_then_the_default()
    {
        var options = new SmtpClientOptions { DefaultTlsPolicy = SmtpTlsPolicy.Opportunistic, TlsPolicies = new(StringComparer.OrdinalIgnoreCase) { ["MX.Secure.Example"] = SmtpTlsPolicy.Required } };
        Assert.Equal(SmtpTlsPolicy.Off, options.PolicyFor(new SmtpEndpoint("mx.secure.example", 25, SmtpTlsPolicy.Off)));
        Assert.Equal(SmtpTlsPolicy.Required, options.PolicyFor(new SmtpEndpoint("mx.secure.example")));
        Assert.Equal(SmtpTlsPolicy.Opportunistic, options.PolicyFor(new SmtpEndpoint("mx.other.example")));
    }
}

public class WireTraceTests
{
    [Theory]
    [InlineData("RCPT TO:<+15550100002/TYPE=PLMN@mms.gateway.example>", "RCPT TO:<+1555*****02/TYPE=PLMN@mms.gateway.example>")]
    [InlineData("250 2.1.5 Recipient OK", "250 2.1.5 Recipient OK")]
    [InlineData("SIZE=123456 +4915112345678", "SIZE=123456 +4915*******78")]
    public void Phone_numbers_are_redacted_in_the_wire_trace(string line, string expected)
    {
        Assert.Equal(expected, SmtpWireTrace.Redact(line));
    }
}

using System.Globalization;
using System.Text.Json;
using Cpm.Interwork.Sip.Stack.Tests.Support;

namespace Cpm.Interwork.Gateway.Tests.Interworking;

/// <summary>
/// CPM → MMS with real peers: SIPp → Kamailio (t_relay) → gateway → dnsmasq (ENUM NAPTR, MX) → Postfix → test MMSE
/// (node) → MM4_forward.RES → the gateway's SMTP server → the final response SIPp checks.
/// </summary>
[Collection(InterworkPeersGroup.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CpmToMmsEndToEndTests(InterworkPeers peers)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("u1", "+15550100002")]
    [InlineData("t1", "+15550100003")]
    public async Task PlainText_ReachesTheMmseAsMm4ForwardReq_WithEveryTable1Header_AndTheOkResIs200(string transport, string number)
    {
        var message = new SippMessage { RequestUri = $"sip:{number}@ims.example.net;user=phone", Body = "Hello MMS from CPM " + number };
        await AssertSippAsync(message, transport, 200);

        var req = Assert.Single(await peers.WaitForRequestsAsync(number, Wait));
        var h = req.GetProperty("headers");
        Assert.Matches(@"^\d+\.\d+\.\d+$", Header(h, "x-mms-3gpp-mms-version"));
        Assert.Equal("MM4_forward.REQ", Header(h, "x-mms-message-type"));
        Assert.False(string.IsNullOrWhiteSpace(Header(h, "x-mms-transaction-id")));
        Assert.False(string.IsNullOrWhiteSpace(Header(h, "x-mms-message-id")));
        Assert.Equal("Yes", Header(h, "x-mms-ack-request"));
        Assert.Equal("system-user@" + InterworkPeers.Gw1Domain, Header(h, "x-mms-originator-system"));
        Assert.Equal("+15550100001/TYPE=PLMN", Header(h, "from"));
        Assert.Equal(number + "/TYPE=PLMN", Header(h, "to"));
        Assert.Equal("+15550100001/TYPE=PLMN@" + InterworkPeers.Gw1Domain, Header(h, "sender"));
        Assert.Equal("1", Header(h, "x-mms-forward-counter")); // Max-Forwards 70 - Kamailio's hop = 69
        Assert.False(h.TryGetProperty("x-mms-sender-visibility", out _)); // Table 1: only for anonymous senders
        Assert.Equal("No", Header(h, "x-mms-delivery-report"));
        Assert.Equal("No", Header(h, "x-mms-read-reply"));
        Assert.False(h.TryGetProperty("x-mms-originator-r/s-delivery-report", out _)); // Table 1: omit
        Assert.False(h.TryGetProperty("x-mms-priority", out _)); // no SIP Priority
        Assert.NotNull(Header(h, "x-mms-expiry")); // Interwork:DefaultExpiry (7 days)
        Assert.NotNull(Header(h, "message-id"));
        Assert.NotNull(Header(h, "date"));
        Assert.Equal("+15550100001/TYPE=PLMN@" + InterworkPeers.Gw1Domain, req.GetProperty("mailFrom").GetString());
        Assert.Equal<string>([number + "/TYPE=PLMN@mms.example.net"], Rcpt(req));
        Assert.Equal("Hello MMS from CPM " + number, req.GetProperty("text").GetString()!.Trim());
        Assert.StartsWith("text/plain", req.GetProperty("contentType").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Utf8SubjectAndBody_InCpim_ArriveDecodedIdentically()
    {
        const string number = "+15550100004";
        const string subject = "Grüße – ünïcödé 你好";
        const string text = "Ça va? Ünïcödé body 🙂 ok";
        var message = new SippMessage
        {
            RequestUri = $"sip:{number}@ims.example.net;user=phone",
            ContentType = "message/cpim",
            Body = SippMessage.Cpim("sip:+15550100001@ims.example.net", $"sip:{number}@ims.example.net", text, subject),
        };
        await AssertSippAsync(message, "t1", 200);

        var req = Assert.Single(await peers.WaitForRequestsAsync(number, Wait));
        Assert.Equal(subject, req.GetProperty("subject").GetString());
        Assert.Equal(text, req.GetProperty("text").GetString()!.Trim());
    }

    [Fact]
    public async Task AnonymousSender_WithTrustedAssertedIdentity_IsHidden()
    {
        const string number = "+15550100005";
        var message = new SippMessage
        {
            RequestUri = $"sip:{number}@ims.example.net;user=phone",
            From = "\"Anonymous\" <sip:anonymous@anonymous.invalid>",
            Headers = ["P-Asserted-Identity: <sip:+15550100001@ims.example.net;user=phone>", "Privacy: id"],
            Body = "from nobody you know",
        };
        await AssertSippAsync(message, "u1", 200);

        var h = Assert.Single(await peers.WaitForRequestsAsync(number, Wait)).GetProperty("headers");
        Assert.Equal("Hide", Header(h, "x-mms-sender-visibility"));
        Assert.Equal("+15550100001/TYPE=PLMN", Header(h, "from"));
    }

    [Fact]
    public async Task DispositionNotification_PositiveDeliveryAndDisplay_RequestDeliveryReportAndReadReply()
    {
        const string number = "+15550100006";
        var message = new SippMessage
        {
            RequestUri = $"sip:{number}@ims.example.net;user=phone",
            ContentType = "message/cpim",
            Body = SippMessage.Cpim("sip:+15550100001@ims.example.net", $"sip:{number}@ims.example.net", "report me", disposition: "positive-delivery, display"),
        };
        await AssertSippAsync(message, "u1", 200);

        var h = Assert.Single(await peers.WaitForRequestsAsync(number, Wait)).GetProperty("headers");
        Assert.Equal("Yes", Header(h, "x-mms-delivery-report"));
        Assert.Equal("Yes", Header(h, "x-mms-read-reply"));
    }

    [Fact]
    public async Task ExpiresAndPriority_BecomeXMmsExpiryAndXMmsPriority()
    {
        const string number = "+15550100007";
        var before = DateTimeOffset.UtcNow;
        var message = new SippMessage
        {
            RequestUri = $"sip:{number}@ims.example.net;user=phone",
            Headers = ["Expires: 3600", "Priority: urgent"],
            Body = "urgent and short-lived",
        };
        await AssertSippAsync(message, "u1", 200);

        var h = Assert.Single(await peers.WaitForRequestsAsync(number, Wait)).GetProperty("headers");
        Assert.Equal("High", Header(h, "x-mms-priority"));
        var expiry = DateTimeOffset.Parse(Header(h, "x-mms-expiry")!, CultureInfo.InvariantCulture);
        Assert.InRange(expiry, before.AddSeconds(3600 - 5), DateTimeOffset.UtcNow.AddSeconds(3600 + 5));
    }

    [Fact]
    public async Task UriListOfThreeRecipientsOnTwoMmses_GivesTwoForwards_EachWithItsOwnTransactionAndEnvelope_BccNeverShown()
    {
        string to = "+15550100008", cc = "+15550100009", bcc = "+15550100050"; // 08, 09 on mms.example.net, 50 on mms.example.org
        var list = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists" xmlns:cp="urn:ietf:params:xml:ns:copycontrol">
            <list>
            <entry uri="sip:{to}@ims.example.net;user=phone" cp:copyControl="to"/>
            <entry uri="tel:{cc}" cp:copyControl="cc"/>
            <entry uri="sip:{bcc}@ims.example.net;user=phone" cp:copyControl="bcc"/>
            </list>
            </resource-lists>
            """;
        var cpim = SippMessage.Cpim("sip:+15550100001@ims.example.net", "sip:anonymous@anonymous.invalid", "to a list");
        var body = "--b1\nContent-Type: application/resource-lists+xml\nContent-Disposition: recipient-list\n\n" + list + "\n--b1\nContent-Type: message/cpim\n\n" + cpim + "\n--b1--";
        var message = new SippMessage
        {
            RequestUri = "sip:list-exploder@ims.example.net",
            To = "<sip:list-exploder@ims.example.net>",
            // No "Require: recipient-list-message" (RFC 5365 §4): the SIP stack answers 420 to every Require it does not list.
            ContentType = "multipart/mixed;boundary=b1",
            Body = body,
        };
        await AssertSippAsync(message, "t1", 200);

        var net = Assert.Single(await peers.WaitForRequestsAsync(to, Wait));
        var org = Assert.Single(await peers.WaitForRequestsAsync(bcc, Wait));
        Assert.Equal<string>([to + "/TYPE=PLMN@mms.example.net", cc + "/TYPE=PLMN@mms.example.net"], Rcpt(net).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal<string>([bcc + "/TYPE=PLMN@mms.example.org"], Rcpt(org));
        var (hn, ho) = (net.GetProperty("headers"), org.GetProperty("headers"));
        Assert.NotEqual(Header(hn, "x-mms-transaction-id"), Header(ho, "x-mms-transaction-id"));
        Assert.Equal(Header(hn, "x-mms-message-id"), Header(ho, "x-mms-message-id"));
        foreach (var h in new[] { hn, ho })
        {
            Assert.Equal(to + "/TYPE=PLMN", Header(h, "to"));
            Assert.Equal(cc + "/TYPE=PLMN", Header(h, "cc"));
            // Bcc is in no header the gateway wrote (Postfix's own Received: names the RCPT of a single-recipient mail).
            foreach (var header in h.EnumerateObject().Where(p => p.Name != "received"))
            {
                Assert.DoesNotContain(bcc.TrimStart('+'), header.Value.GetRawText(), StringComparison.Ordinal);
            }
        }
    }

    /// <summary>PROTOCOLS.md §6 / docs/mapping.md: each X-Mms-Request-Status-Code of the MMSE's RES → the SIP final response.</summary>
    [Theory]
    [InlineData("+15550100020", 200)] // Ok
    [InlineData("+15550100021", 500)] // Error-unspecified
    [InlineData("+15550100022", 403)] // Error-service-denied
    [InlineData("+15550100023", 400)] // Error-message-format-corrupt
    [InlineData("+15550100024", 404)] // Error-sending-address-unresolved
    [InlineData("+15550100025", 500)] // Error-message-not-found
    [InlineData("+15550100026", 503)] // Error-network-problem (Retry-After)
    [InlineData("+15550100027", 415)] // Error-content-not-accepted
    [InlineData("+15550100028", 415)] // Error-unsupported-message
    [InlineData("+15550100029", 503)] // Error-transient-failure (Retry-After)
    [InlineData("+15550100030", 500)] // Error-permanent-failure
    public async Task EveryRequestStatusCode_OfTheRes_MapsToItsSipFinalResponse(string number, int expected)
    {
        var status = InterworkPeers.MmseRules[number];
        var checks = new List<(string, string)>();
        if (status != "Ok")
        {
            checks.Add(("Warning", "test MMSE status " + status)); // X-Mms-Status-Text in the Warning
        }

        if (expected == 503)
        {
            checks.Add(("Retry-After", "[0-9]+"));
        }

        var message = new SippMessage { RequestUri = $"sip:{number}@ims.example.net;user=phone", Body = "status " + status, ResponseChecks = checks };
        // A 503 goes straight to the gateway: a proxy turns a 503 into 500 (RFC 3261 §16.7 step 6), and Kamailio does.
        await AssertSippAsync(message, "u1", expected, target: expected == 503 ? InterworkPeers.Gw1Sip : null);
        Assert.Single(await peers.WaitForRequestsAsync(number, Wait));
    }

    [Fact]
    public async Task NumberWithoutRoute_IsAnswered404_NamingTheNumber_AndNothingIsSent()
    {
        var message = new SippMessage
        {
            RequestUri = $"sip:{InterworkPeers.UnroutedNumber}@ims.example.net;user=phone",
            Body = "to nowhere",
            ResponseChecks = [("Warning", @"\+15550109999")],
        };
        await AssertSippAsync(message, "u1", 404);
        Assert.Empty(await peers.WaitForRequestsAsync(InterworkPeers.UnroutedNumber, TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task RelayRefusingTheRecipient_With5xxAtRcpt_IsAPermanentError()
    {
        var message = new SippMessage
        {
            RequestUri = $"sip:{InterworkPeers.RefusedNumber}@ims.example.net;user=phone",
            Body = "refused",
            ResponseChecks = [("Warning", "554")],
        };
        await AssertSippAsync(message, "u1", 403); // Postfix REJECT → 554 5.7.1 → 403 (docs/mapping.md)
        Assert.Empty(await peers.WaitForRequestsAsync(InterworkPeers.RefusedNumber, TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task RelayRefusingOneOfTwoRecipients_OfOneMmse_Gives202_NamingTheRefusedNumber()
    {
        // +15550100012 and the refused +15550100090 are on the same MMSE: one REQ, one RCPT refused (554), one accepted.
        const string accepted = "+15550100012";
        var list = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists" xmlns:cp="urn:ietf:params:xml:ns:copycontrol">
            <list>
            <entry uri="sip:{accepted}@ims.example.net;user=phone" cp:copyControl="to"/>
            <entry uri="sip:{InterworkPeers.RefusedNumber}@ims.example.net;user=phone" cp:copyControl="to"/>
            </list>
            </resource-lists>
            """;
        var cpim = SippMessage.Cpim("sip:+15550100001@ims.example.net", "sip:anonymous@anonymous.invalid", "half of it");
        var message = new SippMessage
        {
            RequestUri = "sip:list-exploder@ims.example.net",
            To = "<sip:list-exploder@ims.example.net>",
            ContentType = "multipart/mixed;boundary=b1",
            Body = "--b1\nContent-Type: application/resource-lists+xml\nContent-Disposition: recipient-list\n\n" + list + "\n--b1\nContent-Type: message/cpim\n\n" + cpim + "\n--b1--",
            ResponseChecks = [("Warning", @"not delivered to \+15550100090")],
        };
        await AssertSippAsync(message, "u1", 202);
        var req = Assert.Single(await peers.WaitForRequestsAsync(accepted, Wait));
        Assert.Equal<string>([accepted + "/TYPE=PLMN@mms.example.net"], Rcpt(req));
    }

    [Fact]
    public async Task NoResWithinResponseWait_IsAnswered202_AndTheLateResIsRecorded()
    {
        const string number = "+15550100041"; // the MMSE answers after 7 s; gw1 waits 4 s
        var message = new SippMessage { RequestUri = $"sip:{number}@ims.example.net;user=phone", Body = "slow MMSE", ResponseChecks = [("Warning", "No MM4_forward.RES")] };
        await AssertSippAsync(message, "u1", 202, TimeSpan.FromSeconds(20));
        var req = Assert.Single(await peers.WaitForRequestsAsync(number, Wait));
        var tx = Header(req.GetProperty("headers"), "x-mms-transaction-id")!.Trim('"');
        Assert.True(await peers.Gateway1.Process.WaitForOutputAsync("Late outcome recorded", TimeSpan.FromSeconds(15)), peers.Gateway1.Process.Output);
        Assert.Contains(peers.Gateway1.Process.Output.Split('\n'), l => l.Contains("Late outcome recorded", StringComparison.Ordinal) && l.Contains(tx, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RepeatedMessage_SameSenderAndImdnMessageId_ProducesNoSecondForward()
    {
        const string number = "+15550100010";
        var imdn = "repeat-" + Guid.NewGuid().ToString("N");
        var message = new SippMessage
        {
            RequestUri = $"sip:{number}@ims.example.net;user=phone",
            ContentType = "message/cpim",
            Body = SippMessage.Cpim("sip:+15550100001@ims.example.net", $"sip:{number}@ims.example.net", "once only", imdnId: imdn),
        };
        await AssertSippAsync(message, "u1", 200);
        await AssertSippAsync(message, "t1", 200); // a new Call-ID, the same imdn.Message-ID: answered from the store
        await Task.Delay(500);
        Assert.Single(await peers.WaitForRequestsAsync(number, Wait));
    }

    [Fact]
    public async Task Smtp4xxAtRcpt_IsRetriedWithBackOffInsideTheWait_AndTheForwardCompletes()
    {
        var message = new SippMessage { RequestUri = $"sip:{InterworkPeers.TransientNumber}@ims.example.net;user=phone", Body = "second time lucky" };
        await AssertSippAsync(message, "u1", 200);
        Assert.Single(peers.MmseEvents("rcpt-refused"), e => e.GetProperty("number").GetString() == InterworkPeers.TransientNumber);
        Assert.Single(await peers.WaitForRequestsAsync(InterworkPeers.TransientNumber, Wait));
        var log = peers.Gateway1.Process.Output;
        Assert.Contains("Attempt=1: TransientFailure", log, StringComparison.Ordinal);
        Assert.Contains("Attempt=2 Reply=250", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RelayUnreachable_UntilTheWaitEnds_Is503WithRetryAfter()
    {
        // Straight to the gateway: a proxy would turn the 503 into 500 (RFC 3261 §16.7).
        var message = new SippMessage
        {
            RequestUri = $"sip:{InterworkPeers.UnreachableNumber}@ims.example.net;user=phone",
            Body = "nobody listens",
            ResponseChecks = [("Retry-After", "[0-9]+"), ("Warning", "unreachable")],
        };
        await AssertSippAsync(message, "u1", 503, TimeSpan.FromSeconds(20), InterworkPeers.Gw1Sip);
    }

    [Fact]
    public async Task DnsUnavailableForTheEnumLookup_Is503WithRetryAfter_AndNothingIsSent()
    {
        var message = new SippMessage
        {
            RequestUri = $"sip:{InterworkPeers.DnsFailureNumber}@ims.example.net;user=phone",
            Body = "DNS is down",
            ResponseChecks = [("Retry-After", "[0-9]+"), ("Warning", "DNS unavailable")],
        };
        await AssertSippAsync(message, "u1", 503, TimeSpan.FromSeconds(20), InterworkPeers.Gw1Sip);
        Assert.Empty(await peers.WaitForRequestsAsync(InterworkPeers.DnsFailureNumber, TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Metrics_CountAnsweredMessagesByStatus_AndRecordTheLatencyHistogram()
    {
        var message = new SippMessage { RequestUri = "sip:+15550100011@ims.example.net;user=phone", Body = "counted" };
        await AssertSippAsync(message, "u1", 200);
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(peers.Gateway1.Http, "/metrics"));
        var ok = text.Split('\n').Single(l => l.StartsWith("cpm_interwork_cpm_to_mms_messages_total{sip_status_code=\"200\"", StringComparison.Ordinal));
        Assert.True(long.Parse(ok[(ok.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture) >= 1, text);
        Assert.Contains("cpm_interwork_cpm_to_mms_duration_bucket{sip_status_class=\"2xx\",le=\"+Inf\"}", text, StringComparison.Ordinal);
        Assert.Contains("cpm_interwork_mm4_forwards_sent_total", text, StringComparison.Ordinal);
        Assert.Contains("cpm_interwork_sip_requests_total{sip_method=\"MESSAGE\"}", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE cpm_interwork_cpm_to_mms_waiting gauge", text, StringComparison.Ordinal);
    }

    private async Task AssertSippAsync(SippMessage message, string transport, int expected, TimeSpan? timeout = null, int? target = null)
    {
        var result = await message.RunAsync(transport, expected, timeout, target);
        Assert.True(result.ExitCode == 0,
            $"SIPp expected {expected} over {transport}: exit {result.ExitCode}\n{result.Errors}\n{result.Messages}\n--- gateway:\n{Tail(peers.Gateway1.Process.Output)}");
    }

    internal static string[] Rcpt(JsonElement req) => req.GetProperty("rcpt").EnumerateArray().Select(e => e.GetString()!).ToArray();

    internal static string Tail(string text) => text.Length > 6000 ? text[^6000..] : text;

    internal static string? Header(JsonElement headers, string name) =>
        headers.TryGetProperty(name, out var v) ? (v.ValueKind == JsonValueKind.Array ? v[0].GetString() : v.GetString()) : null;
}

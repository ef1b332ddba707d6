using System.Buffers;
using System.Text;

namespace Cpm.Interwork.Sip.Tests;

/// <summary>Responses built from requests (RFC 3261 §8.2.6) and requests built from scratch (§8.1.1).</summary>
public sealed class BuilderTests
{
    private const string Request =
        "MESSAGE sip:bob@example.com SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKtop;rport\r\n" +
        "Via: SIP/2.0/TCP p1.example.com;branch=z9hG4bKmid, SIP/2.0/TCP p2.example.com;branch=z9hG4bKlow\r\n" +
        "From: \"Alice\" <sip:alice@example.com>;tag=a1\r\n" +
        "To: <sip:bob@example.com>\r\n" +
        "Call-ID: c1@192.0.2.1\r\n" +
        "CSeq: 42 MESSAGE\r\n" +
        "Max-Forwards: 70\r\n" +
        "Content-Type: text/plain\r\n" +
        "Content-Length: 2\r\n\r\nhi";

    private static SipRequest ParseRequest(string text)
    {
        Assert.Equal(SipParseStatus.Complete, SipParser.TryParseDatagram(Encoding.UTF8.GetBytes(text), SipParserOptions.Default, out var m, out _));
        return Assert.IsType<SipRequest>(m);
    }

    private static SipResponse ParseResponse(byte[] bytes)
    {
        Assert.Equal(SipParseStatus.Complete, SipParser.TryParse(new ReadOnlySequence<byte>(bytes), SipParserOptions.Default, datagram: false, out var m, out var consumed, out var e));
        Assert.Equal(bytes.Length, new ReadOnlySequence<byte>(bytes).Slice(0, consumed).Length);
        return Assert.IsType<SipResponse>(m);
    }

    [Fact]
    public void Rfc3261_8_2_6_2_response_copies_vias_in_order_from_call_id_cseq_and_tags_to()
    {
        var request = ParseRequest(Request);
        var response = ParseResponse(SipResponseBuilder.For(request, SipStatusCodes.Ok).ToTag("b7").ToArray());
        Assert.Equal((200, "OK"), (response.StatusCode, response.ReasonPhrase));
        Assert.Equal(["z9hG4bKtop", "z9hG4bKmid", "z9hG4bKlow"], response.Vias.Select(v => v.Branch));
        Assert.Equal(request.From.ToString(), response.From.ToString());
        Assert.Equal("a1", response.From.Tag);
        Assert.Equal("b7", response.To.Tag);
        Assert.Equal("sip:bob@example.com", response.To.Uri);
        Assert.Equal("c1@192.0.2.1", response.CallId);
        Assert.Equal(new CSeqHeader(42, "MESSAGE"), response.CSeq);
        Assert.Equal(0, response.ContentLength);
        Assert.Equal(["Via", "Via", "From", "To", "Call-ID", "CSeq", "Content-Length"], response.Headers.Select(h => h.Name));
    }

    [Fact]
    public void Missing_to_tag_gets_a_random_token_except_on_100()
    {
        var request = ParseRequest(Request);
        var tag1 = ParseResponse(SipResponseBuilder.For(request, 202).ToArray()).To.Tag;
        var tag2 = ParseResponse(SipResponseBuilder.For(request, 202).ToArray()).To.Tag;
        Assert.Matches("^[0-9a-f]{16}$", tag1);
        Assert.NotEqual(tag1, tag2);
        Assert.Null(ParseResponse(SipResponseBuilder.For(request, 100).ToArray()).To.Tag);
    }

    [Fact]
    public void Existing_to_tag_is_kept()
    {
        var request = ParseRequest(Request.Replace("To: <sip:bob@example.com>", "To: <sip:bob@example.com>;tag=existing", StringComparison.Ordinal));
        var response = ParseResponse(SipResponseBuilder.For(request, 200).ToTag("ignored").ToArray());
        Assert.Equal("existing", response.To.Tag);
        Assert.Equal(1, response.Headers.Count(h => h.Name == "To"));
    }

    [Fact]
    public void Options_answer_carries_allow_accept_supported_and_the_extra_headers()
    {
        var request = ParseRequest(Request);
        var bytes = SipResponseBuilder.For(request, 420, "Bad Extension")
            .Allow(SipMethods.Options, SipMethods.Message)
            .Accept("message/cpim", "application/im-iscomposing+xml")
            .Supported("timer")
            .Unsupported("foo", "bar")
            .Warning(399, "gw.example.com", "He said \"no\"")
            .RetryAfter(30)
            .ToArray();
        var r = ParseResponse(bytes);
        Assert.Equal((420, "Bad Extension"), (r.StatusCode, r.ReasonPhrase));
        Assert.Equal(["OPTIONS", "MESSAGE"], r.GetHeaderListValues(SipHeaderNames.Allow));
        Assert.Equal(["message/cpim", "application/im-iscomposing+xml"], r.GetHeaderListValues(SipHeaderNames.Accept));
        Assert.Equal(["timer"], r.Supported);
        Assert.Equal(["foo", "bar"], r.GetHeaderListValues(SipHeaderNames.Unsupported));
        Assert.Equal("399 gw.example.com \"He said \\\"no\\\"\"", r.GetHeader(SipHeaderNames.Warning));
        Assert.Equal("30", r.GetHeader(SipHeaderNames.RetryAfter));
    }

    [Fact]
    public void Response_body_and_content_type_are_written_with_content_length()
    {
        var request = ParseRequest(Request);
        byte[] body = [0x00, 0xFF, 0x0D, 0x0A];
        var r = ParseResponse(SipResponseBuilder.For(request, 200).Body(body, "application/octet-stream").ToArray());
        Assert.Equal(body, r.Body.ToArray());
        Assert.Equal("application/octet-stream", r.ContentType);
        Assert.Equal(4, r.ContentLength);
    }

    [Fact]
    public void Rfc3581_top_via_gets_received_and_rport_value()
    {
        var request = ParseRequest(Request);
        var r = ParseResponse(SipResponseBuilder.For(request, 200).TopViaReceived("198.51.100.9", 40123).ToArray());
        Assert.Equal(3, r.Vias.Count);
        Assert.Equal(("198.51.100.9", 40123, "z9hG4bKtop"), (r.TopVia.Received, r.TopVia.RPort, r.TopVia.Branch));
        Assert.Null(r.Vias[1].Received);
    }

    [Fact]
    public void Default_reason_phrases_come_from_the_status_table()
    {
        var request = ParseRequest(Request);
        Assert.Equal("Request Entity Too Large", ParseResponse(SipResponseBuilder.For(request, 413).ToArray()).ReasonPhrase);
        Assert.Equal("Server Time-out", SipStatusCodes.ReasonPhrase(504));
        Assert.Equal("Client Error", SipStatusCodes.ReasonPhrase(499));
    }

    [Fact]
    public void Builders_refuse_header_injection_and_bad_names()
    {
        var b = new SipRequestBuilder(SipMethods.Message, "sip:bob@example.com");
        Assert.Throws<ArgumentException>(() => b.Header("Subject", "x\r\nVia: evil"));
        Assert.Throws<ArgumentException>(() => b.Header("Bad Name", "x"));
        Assert.Throws<ArgumentException>(() => b.Header("Content-Length", "5"));
        Assert.Throws<ArgumentException>(() => new SipRequestBuilder(SipMethods.Message, "sip:a b"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SipResponseBuilder(99));
        Assert.Throws<ArgumentException>(() => new SipResponseBuilder(200).ToTag("a b"));
        Assert.Throws<ArgumentException>(() => new SipResponseBuilder(200, "OK\r\nX: y"));
    }

    [Fact]
    public void Request_builder_writes_a_message_that_parses_back_to_the_same_values()
    {
        var body = Encoding.UTF8.GetBytes("From: <sip:a@b>\r\n\r\nContent-Type: text/plain\r\n\r\nGrüße");
        var builder = new SipRequestBuilder(SipMethods.Message, "sip:+15550100002@ims.example.com;user=phone")
            .Via("TCP", "192.0.2.10:5060", "z9hG4bKxyz", rport: true)
            .MaxForwards(70)
            .From("<sip:iwf@gw.example.net>;tag=t1")
            .To("<tel:+15550100002>")
            .CallId("id1@gw.example.net")
            .CSeq(1)
            .Header(SipHeaderNames.PAssertedIdentity, "<sip:iwf@gw.example.net>")
            .Header(SipHeaderNames.Subject, "Grüße")
            .Body(body, "message/cpim");
        var writer = new ArrayBufferWriter<byte>();
        builder.WriteTo(writer);
        Assert.Equal(builder.ToArray(), writer.WrittenSpan.ToArray());
        Assert.Equal(SipParseStatus.Complete, SipParser.TryParse(writer.WrittenMemory, SipParserOptions.Default, datagram: false, out var m, out var consumed, out _));
        var r = Assert.IsType<SipRequest>(m);
        Assert.Equal(writer.WrittenCount, consumed);
        Assert.Equal(("MESSAGE", "phone", "z9hG4bKxyz", true), (r.Method, r.RequestSipUri!.UserParameter, r.TopVia.Branch, r.TopVia.HasRPort));
        Assert.Equal(("t1", "+15550100002", "id1@gw.example.net", 1L, "MESSAGE"), (r.From.Tag, r.To.TelUri!.Digits, r.CallId, r.CSeq.Number, r.CSeq.Method));
        Assert.Equal(70, r.MaxForwards);
        Assert.Equal("Grüße", r.Subject);
        Assert.Equal(body, r.Body.ToArray());
        Assert.Equal("message/cpim", r.ContentType);
    }
}

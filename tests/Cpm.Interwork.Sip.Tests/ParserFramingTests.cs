using System.Buffers;
using System.Text;
using Cpm.Interwork.Sip.Tests.Support;

namespace Cpm.Interwork.Sip.Tests;

/// <summary>Framing, limits and line handling (RFC 3261 §7, §7.5, §18.3, §25).</summary>
public sealed class ParserFramingTests
{
    private const string Head = "MESSAGE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK1\r\n" +
        "From: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>\r\nCall-ID: c1@192.0.2.1\r\nCSeq: 1 MESSAGE\r\nMax-Forwards: 70\r\n";

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private static (SipParseStatus Status, SipMessage? Message, long Consumed, SipParseError Error) Stream(string s, SipParserOptions? o = null) =>
        TestBuffers.Parse(new ReadOnlySequence<byte>(Bytes(s)), datagram: false, o);

    private static (SipParseStatus Status, SipMessage? Message, long Consumed, SipParseError Error) Datagram(string s, SipParserOptions? o = null) =>
        TestBuffers.Parse(new ReadOnlySequence<byte>(Bytes(s)), datagram: true, o);

    [Fact]
    public void Rfc3261_18_3_stream_message_is_framed_by_content_length_and_the_next_one_is_left()
    {
        var one = Head + "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello";
        var r = Stream(one + one);
        Assert.Equal(SipParseStatus.Complete, r.Status);
        Assert.Equal(Bytes(one).Length, r.Consumed);
        Assert.Equal("hello"u8.ToArray(), r.Message!.Body.ToArray());
    }

    [Fact]
    public void Rfc3261_18_3_datagram_without_content_length_takes_the_rest_as_body()
    {
        var r = Datagram(Head + "\r\nbody bytes");
        Assert.Equal(SipParseStatus.Complete, r.Status);
        Assert.Equal("body bytes"u8.ToArray(), r.Message!.Body.ToArray());
        Assert.Null(r.Message.ContentLength);
    }

    [Fact]
    public void Rfc3261_18_3_stream_without_content_length_is_rejected_but_answerable()
    {
        var r = Stream(Head + "\r\n");
        Assert.Equal(SipParseStatus.Invalid, r.Status);
        Assert.Equal(SipRejectionReason.MissingContentLength, r.Error.Reason);
        Assert.IsType<SipRequest>(r.Message);
    }

    [Fact]
    public void Stream_body_not_yet_arrived_needs_more_and_consumes_nothing()
    {
        var r = Stream(Head + "Content-Length: 10\r\n\r\n12345");
        Assert.Equal((SipParseStatus.NeedMore, 0L), (r.Status, r.Consumed));
    }

    [Fact]
    public void Body_stays_bytes_even_when_not_utf8()
    {
        byte[] body = [0xFF, 0xFE, 0x00, 0x80, 0x0D, 0x0A, 0x0D, 0x0A, 0xC3];
        var bytes = Bytes(Head + $"Content-Type: application/octet-stream\r\nContent-Length: {body.Length}\r\n\r\n").Concat(body).ToArray();
        Assert.Equal(SipParseStatus.Complete, SipParser.TryParse(bytes, SipParserOptions.Default, datagram: false, out var m, out var consumed, out _));
        Assert.Equal(body, m!.Body.ToArray());
        Assert.Equal(bytes.Length, consumed);
    }

    [Fact]
    public void Rfc5626_crlf_keepalives_before_a_message_are_consumed()
    {
        var ka = Stream("\r\n\r\n");
        Assert.Equal((SipParseStatus.NeedMore, 4L), (ka.Status, ka.Consumed));
        var msg = "\r\n\r\n" + Head + "Content-Length: 0\r\n\r\n";
        var r = Stream(msg);
        Assert.Equal(SipParseStatus.Complete, r.Status);
        Assert.Equal(Bytes(msg).Length, r.Consumed);
        Assert.StartsWith("MESSAGE ", Encoding.ASCII.GetString(r.Message!.Bytes.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void Keepalives_before_a_partial_message_are_consumed_and_the_partial_message_is_not()
    {
        var r = Stream("\r\n\r\n" + Head);
        Assert.Equal((SipParseStatus.NeedMore, 4L), (r.Status, r.Consumed));
    }

    [Fact]
    public void Multi_segment_buffer_with_two_messages_frames_the_first()
    {
        var one = Head + "Content-Length: 3\r\n\r\nabc";
        var bytes = Bytes(one + one);
        var r = TestBuffers.Parse(TestBuffers.Split(bytes, 17), datagram: false);
        Assert.Equal((SipParseStatus.Complete, (long)Bytes(one).Length), (r.Status, r.Consumed));
        Assert.Equal("abc"u8.ToArray(), r.Message!.Body.ToArray());
    }

    [Fact]
    public void Datagram_of_only_crlf_is_an_empty_message()
    {
        var r = Datagram("\r\n\r\n");
        Assert.Equal((SipParseStatus.Invalid, SipRejectionReason.EmptyMessage), (r.Status, r.Error.Reason));
    }

    [Fact]
    public void Datagram_cut_inside_the_header_block_is_incomplete()
    {
        var r = Datagram(Head);
        Assert.Equal((SipParseStatus.Invalid, SipRejectionReason.IncompleteHeaderBlock), (r.Status, r.Error.Reason));
    }

    [Fact]
    public void Bare_lf_is_a_malformed_line_ending_at_its_offset()
    {
        var text = "OPTIONS sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h\r\n\r\n";
        var r = Stream(text);
        Assert.Equal((SipParseStatus.Invalid, SipRejectionReason.MalformedLineEnding), (r.Status, r.Error.Reason));
        Assert.Equal(text.IndexOf('\n', StringComparison.Ordinal), r.Error.Offset);
    }

    [Fact]
    public void Header_line_without_colon_is_malformed()
    {
        var r = Stream(Head + "NoColonHere\r\nContent-Length: 0\r\n\r\n");
        Assert.Equal(SipRejectionReason.MalformedHeaderLine, r.Error.Reason);
        Assert.Equal(Bytes(Head).Length, r.Error.Offset);
    }

    [Fact]
    public void Header_block_over_the_limit_is_rejected_before_its_end_arrives()
    {
        var options = new SipParserOptions { MaxHeaderBlockBytes = 1024 };
        var sb = new StringBuilder(Head);
        while (sb.Length < 1100) { sb.Append("X-Filler: 0123456789012345678901234567890123456789\r\n"); }
        var r = Stream(sb.ToString(), options);
        Assert.Equal((SipParseStatus.Invalid, SipRejectionReason.HeaderBlockTooLarge), (r.Status, r.Error.Reason));
        Assert.Equal(513, r.Error.StatusCode);
        Assert.Null(r.Message);
    }

    [Fact]
    public void Line_over_the_limit_is_rejected_without_waiting_for_its_crlf()
    {
        var options = new SipParserOptions { MaxLineLength = 100 };
        var r = Stream(Head + "X-Long: " + new string('a', 200), options);
        Assert.Equal((SipParseStatus.Invalid, SipRejectionReason.LineTooLong), (r.Status, r.Error.Reason));
        Assert.Equal(Bytes(Head).Length, r.Error.Offset);
    }

    [Fact]
    public void More_headers_than_allowed_is_too_many_headers()
    {
        var options = new SipParserOptions { MaxHeaderCount = 8 };
        var r = Stream(Head + "X-A: 1\r\nX-B: 2\r\nContent-Length: 0\r\n\r\n", options);
        Assert.Equal((SipParseStatus.Invalid, SipRejectionReason.TooManyHeaders), (r.Status, r.Error.Reason));
    }

    [Fact]
    public void Header_count_above_the_stack_scratch_size_uses_a_pooled_index()
    {
        var options = new SipParserOptions { MaxHeaderCount = 300 };
        var sb = new StringBuilder(Head);
        for (var i = 0; i < 200; i++) { sb.Append("X-H").Append(i).Append(": v\r\n"); }
        sb.Append("Content-Length: 0\r\n\r\n");
        var r = Stream(sb.ToString(), options);
        Assert.Equal(SipParseStatus.Complete, r.Status);
        Assert.Equal(6 + 200 + 1, r.Message!.HeaderCount);
        Assert.Equal("v", r.Message.GetHeader("X-H199"));
    }

    [Fact]
    public void Content_length_over_the_body_limit_is_413_at_once_and_answerable()
    {
        var options = new SipParserOptions { MaxBodyBytes = 1300 };
        var r = Stream(Head + "Content-Length: 70000\r\n\r\n", options);
        Assert.Equal((SipParseStatus.Invalid, SipRejectionReason.BodyTooLarge), (r.Status, r.Error.Reason));
        Assert.Equal((413, "Request Entity Too Large"), (r.Error.StatusCode, r.Error.ReasonPhrase));
        Assert.IsType<SipRequest>(r.Message);
    }

    [Fact]
    public void Overflowing_content_length_is_malformed_not_wrapped()
    {
        var r = Stream(Head + "Content-Length: 18446744073709551616\r\n\r\n");
        Assert.Equal(SipRejectionReason.MalformedContentLength, r.Error.Reason);
    }

    [Fact]
    public void Agreeing_duplicate_content_lengths_are_accepted()
    {
        var r = Stream(Head + "Content-Length: 2\r\nl: 2\r\n\r\nok");
        Assert.Equal(SipParseStatus.Complete, r.Status);
    }

    [Theory]
    [InlineData("Max-Forwards: 256", SipRejectionReason.MalformedMaxForwards)]
    [InlineData("Max-Forwards: -1", SipRejectionReason.MalformedMaxForwards)]
    [InlineData("Max-Forwards: 1\r\nMax-Forwards: 2", SipRejectionReason.DuplicateMaxForwards)]
    [InlineData("Call-ID: a@b@c", SipRejectionReason.DuplicateCallId)]
    public void Scalar_header_faults_are_named(string extra, SipRejectionReason reason)
    {
        var text = Head.Replace("Max-Forwards: 70\r\n", "", StringComparison.Ordinal) + extra + "\r\nContent-Length: 0\r\n\r\n";
        Assert.Equal(reason, Stream(text).Error.Reason);
    }

    [Theory]
    [InlineData("SIP/2.0 200 OK", 200, "OK")]
    [InlineData("SIP/2.0 180 Ringing", 180, "Ringing")]
    [InlineData("sip/2.0 486 Busy Here", 486, "Busy Here")]
    [InlineData("SIP/2.0 200", 200, "")]
    public void Status_lines_parse(string statusLine, int code, string reason)
    {
        var r = Stream(statusLine + "\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n");
        var resp = Assert.IsType<SipResponse>(r.Message);
        Assert.Equal((code, reason), (resp.StatusCode, resp.ReasonPhrase));
    }

    [Theory]
    [InlineData("SIP/2.0 20 OK", SipRejectionReason.MalformedStatusLine)]
    [InlineData("SIP/2.0 099 Low", SipRejectionReason.MalformedStatusLine)]
    [InlineData("SIP/3.0 200 OK", SipRejectionReason.UnsupportedVersion)]
    [InlineData("SIP/2 200 OK", SipRejectionReason.MalformedStatusLine)]
    [InlineData("OPTIONS sip:a@b", SipRejectionReason.MalformedRequestLine)]
    [InlineData("OPT(IONS sip:a@b SIP/2.0", SipRejectionReason.MalformedMethod)]
    [InlineData("OPTIONS sip:a@b HTTP/1.1", SipRejectionReason.MalformedRequestLine)]
    [InlineData("OPTIONS http://example.com/ SIP/2.0", SipRejectionReason.UnsupportedUriScheme)]
    [InlineData("OPTIONS sip:a@b:99999 SIP/2.0", SipRejectionReason.MalformedRequestUri)]
    public void Start_line_faults_are_named(string startLine, SipRejectionReason reason)
    {
        var r = Stream(startLine + "\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
        Assert.Equal((SipParseStatus.Invalid, reason), (r.Status, r.Error.Reason));
    }

    [Fact]
    public void Options_validation_names_every_bad_setting()
    {
        var bad = new SipParserOptions { MaxHeaderBlockBytes = 10, MaxHeaderCount = 1, MaxLineLength = 5, MaxBodyBytes = -1 };
        Assert.Equal(4, bad.Validate().Count());
        Assert.Empty(SipParserOptions.Default.Validate());
    }
}

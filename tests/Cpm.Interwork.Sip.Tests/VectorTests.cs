using System.Buffers;
using Cpm.Interwork.Sip.Tests.Support;

namespace Cpm.Interwork.Sip.Tests;

/// <summary>Every vector file, fed whole, one byte per segment, and as every proper prefix (stream mode).</summary>
public sealed class VectorTests
{
    [Fact]
    public void Every_vector_file_is_in_the_manifest_and_every_manifest_entry_has_a_file()
    {
        var root = Path.Combine(AppContext.BaseDirectory, "Vectors");
        var files = Directory.GetFiles(root, "*.sip", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(VectorManifest.All.Select(v => v.Path).Order(StringComparer.Ordinal).ToArray(), files);
        Assert.True(files.Length >= 60);
    }

    [Theory]
    [MemberData(nameof(VectorManifest.Paths), MemberType = typeof(VectorManifest))]
    public void Whole_datagram_parses_to_the_manifest_outcome(string path)
    {
        var v = VectorManifest.Get(path);
        var bytes = TestBuffers.Load(path);
        var status = SipParser.TryParseDatagram(bytes, SipParserOptions.Default, out var message, out var error);
        AssertOutcome(v, v.Datagram, status, message, error);
        // The sequence overload (which copies) agrees with the memory overload (which does not).
        var viaSequence = TestBuffers.Parse(new ReadOnlySequence<byte>(bytes), datagram: true);
        Assert.Equal((status, error), (viaSequence.Status, viaSequence.Error));
        Assert.Equal(bytes.Length, viaSequence.Consumed);
        if (message is not null) { Assert.Equal(message.Bytes.ToArray(), viaSequence.Message!.Bytes.ToArray()); }
    }

    [Theory]
    [MemberData(nameof(VectorManifest.Paths), MemberType = typeof(VectorManifest))]
    public void Whole_stream_parses_to_the_manifest_outcome(string path)
    {
        var v = VectorManifest.Get(path);
        var bytes = TestBuffers.Load(path);
        var (status, message, consumed, error) = TestBuffers.Parse(new ReadOnlySequence<byte>(bytes), datagram: false);
        AssertOutcome(v, v.Stream, status, message, error);
        if (status == SipParseStatus.Complete) { Assert.Equal(message!.Bytes.Length, consumed); }
        else { Assert.Equal(0, consumed); }
    }

    [Theory]
    [MemberData(nameof(VectorManifest.Paths), MemberType = typeof(VectorManifest))]
    public void One_byte_per_segment_gives_the_same_result_as_one_segment(string path)
    {
        var bytes = TestBuffers.Load(path);
        foreach (var datagram in new[] { true, false })
        {
            var whole = TestBuffers.Parse(new ReadOnlySequence<byte>(bytes), datagram);
            var split = TestBuffers.Parse(TestBuffers.OneBytePerSegment(bytes), datagram);
            Assert.Equal((whole.Status, whole.Error, whole.Consumed), (split.Status, split.Error, split.Consumed));
            Assert.Equal(whole.Message?.Bytes.ToArray(), split.Message?.Bytes.ToArray());
            if (split.Message is not null)
            {
                Assert.Equal(whole.Message!.Headers.Select(h => (h.Name, h.Value)), split.Message.Headers.Select(h => (h.Name, h.Value)));
                Assert.Equal(whole.Message.Body.ToArray(), split.Message.Body.ToArray());
            }
        }
    }

    [Theory]
    [MemberData(nameof(VectorManifest.Paths), MemberType = typeof(VectorManifest))]
    public void Every_proper_prefix_in_stream_mode_needs_more_and_consumes_nothing(string path)
    {
        var v = VectorManifest.Get(path);
        var bytes = TestBuffers.Load(path);
        var whole = TestBuffers.Parse(new ReadOnlySequence<byte>(bytes), datagram: false);
        var end = whole.Status == SipParseStatus.Complete ? (int)whole.Consumed : bytes.Length;
        for (var n = 0; n < end; n++)
        {
            var prefix = bytes.AsSpan(0, n).ToArray();
            var r = TestBuffers.Parse(new ReadOnlySequence<byte>(prefix), datagram: false);
            if (v.Stream.Status == SipParseStatus.Invalid && r.Status == SipParseStatus.Invalid)
            {
                // An invalid message may be recognised as soon as the faulty part is complete: same reason only.
                Assert.Equal(v.Stream.Reason, r.Error.Reason);
                continue;
            }
            Assert.True(r.Status == SipParseStatus.NeedMore, $"{path}: prefix of {n} bytes gave {r.Status} {r.Error}");
            Assert.Equal(0, r.Consumed);
            Assert.Null(r.Message);
        }
    }

    [Fact]
    public void Rfc4475_3_1_1_8_dblreq_stream_yields_the_register_then_the_invite()
    {
        var bytes = TestBuffers.Load("rfc4475/3.1.1.8-dblreq.sip");
        var first = TestBuffers.Parse(new ReadOnlySequence<byte>(bytes), datagram: false);
        Assert.Equal(SipParseStatus.Complete, first.Status);
        var rest = new ReadOnlySequence<byte>(bytes).Slice(first.Consumed);
        var second = TestBuffers.Parse(rest, datagram: false);
        Assert.Equal(SipParseStatus.Complete, second.Status);
        Assert.Equal(SipMethods.Invite, Assert.IsType<SipRequest>(second.Message).Method);
        Assert.Equal(150, second.Message!.Body.Length);
        Assert.Equal(second.Message.Bytes.Length, second.Consumed);
        // The RFC's second SDP is 153 bytes ("m =video" and .15 addresses) against a Content-Length of 150.
        Assert.Equal(3, rest.Length - second.Consumed);
    }

    [Fact]
    public void Rfc4475_3_1_1_8_dblreq_datagram_discards_bytes_after_content_length()
    {
        var bytes = TestBuffers.Load("rfc4475/3.1.1.8-dblreq.sip");
        Assert.Equal(SipParseStatus.Complete, SipParser.TryParseDatagram(bytes, SipParserOptions.Default, out var m, out _));
        Assert.Equal(SipMethods.Register, ((SipRequest)m!).Method);
        Assert.True(m.Bytes.Length < bytes.Length);
        Assert.True(m.Body.IsEmpty);
    }

    private static void AssertOutcome(VectorCase v, Outcome expected, SipParseStatus status, SipMessage? message, SipParseError error)
    {
        Assert.Equal(expected.Status, status);
        Assert.Equal(expected.Reason, error.Reason);
        switch (status)
        {
            case SipParseStatus.Complete:
                Assert.NotNull(message);
                v.Check?.Invoke(message);
                break;
            case SipParseStatus.Invalid:
                Assert.Equal(v.Answerable, message is not null);
                if (message is SipRequest request)
                {
                    // The rejection can be answered: the response copies the request's Via/From/To/Call-ID/CSeq raw.
                    var response = SipResponseBuilder.ForRejection(request, error).ToArray();
                    var text = System.Text.Encoding.UTF8.GetString(response);
                    Assert.StartsWith($"SIP/2.0 {error.StatusCode} {error.ReasonPhrase}\r\n", text, StringComparison.Ordinal);
                    var copiesMalformedValue = error.Reason is SipRejectionReason.MalformedFrom or SipRejectionReason.MalformedTo
                        or SipRejectionReason.MalformedCSeq or SipRejectionReason.MalformedCallId;
                    if (!copiesMalformedValue)
                    {
                        Assert.Equal(SipParseStatus.Complete, SipParser.TryParseDatagram(response, SipParserOptions.Default, out var parsed, out var e2));
                        var r = Assert.IsType<SipResponse>(parsed);
                        Assert.Equal(error.StatusCode, r.StatusCode);
                        Assert.Equal(request.Vias.Select(x => x.Branch), r.Vias.Select(x => x.Branch));
                        Assert.Equal(request.CallId, r.CallId);
                        Assert.Equal(request.CSeq, r.CSeq);
                    }
                }
                break;
            case SipParseStatus.NeedMore:
                Assert.Null(message);
                break;
        }
    }
}

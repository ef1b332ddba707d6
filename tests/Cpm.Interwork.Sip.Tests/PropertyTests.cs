using System.Buffers;
using System.Text;
using Cpm.Interwork.Sip.Tests.Support;
using FsCheck;
using FsCheck.Xunit;

namespace Cpm.Interwork.Sip.Tests;

/// <summary>FsCheck properties: mutated vectors never throw; built messages round-trip.</summary>
public sealed class PropertyTests
{
    private static readonly byte[][] s_vectors = [.. VectorManifest.All.Select(v => TestBuffers.Load(v.Path))];

    private static readonly byte[] s_interesting = "\r\n \t:;,<>\"\\@[]%0=?&/"u8.ToArray();

    private static byte[] Mutate(byte[] source, int seed)
    {
        var rng = new Random(seed);
        var data = new List<byte>(source);
        var edits = 1 + rng.Next(6);
        for (var e = 0; e < edits && data.Count > 0; e++)
        {
            var at = rng.Next(data.Count);
            switch (rng.Next(5))
            {
                case 0: data[at] = (byte)rng.Next(256); break;
                case 1: data[at] = s_interesting[rng.Next(s_interesting.Length)]; break;
                case 2: data.Insert(at, s_interesting[rng.Next(s_interesting.Length)]); break;
                case 3: data.RemoveAt(at); break;
                default: data.RemoveRange(at, Math.Min(data.Count - at, rng.Next(1, 8))); break;
            }
        }
        return [.. data];
    }

    /// <summary>Reads every typed accessor: none may throw on a message the parser returned.</summary>
    private static void TouchEverything(SipMessage m)
    {
        _ = m.Headers.Select(h => (h.Name, h.Value)).ToList();
        _ = (m.Vias.Count, m.From.Uri, m.To.Tag, m.CallId, m.CSeq, m.MaxForwards, m.ContentLength, m.ContentType, m.Require, m.Supported,
            m.ProxyRequire, m.Expires, m.Date, m.DateValue, m.Subject, m.Priority, m.Privacy, m.PAssertedIdentities, m.Contacts, m.Routes,
            m.RecordRoutes, m.AcceptContact, m.Body.Length);
        foreach (var v in m.Vias) { _ = (v.Branch, v.Received, v.RPort, v.Ttl, v.SentBy, v.ToString()); }
        if (m is SipRequest r) { _ = (r.Method, r.RequestUri, r.RequestSipUri, r.RequestTelUri); }
        if (m is SipResponse s) { _ = s.ReasonPhrase; }
    }

    [Property(MaxTest = 2000)]
    public void Mutated_vectors_end_in_a_status_never_an_exception(NonNegativeInt vector, int seed)
    {
        var bytes = Mutate(s_vectors[vector.Get % s_vectors.Length], seed);
        foreach (var datagram in new[] { true, false })
        {
            var status = SipParser.TryParse(new ReadOnlySequence<byte>(bytes), SipParserOptions.Default, datagram, out var m, out var consumed, out var error);
            Assert.True(Enum.IsDefined(status));
            switch (status)
            {
                case SipParseStatus.Complete:
                    Assert.Equal(SipRejectionReason.None, error.Reason);
                    Assert.True(new ReadOnlySequence<byte>(bytes).Slice(0, consumed).Length <= bytes.Length);
                    TouchEverything(m!);
                    break;
                case SipParseStatus.Invalid:
                    Assert.NotEqual(SipRejectionReason.None, error.Reason);
                    Assert.InRange(error.Offset, 0, bytes.Length);
                    Assert.InRange(error.StatusCode, 400, 599);
                    if (m is SipRequest request)
                    {
                        TouchEverything(request);
                        _ = SipResponseBuilder.ForRejection(request, error).ToArray();
                    }
                    break;
                case SipParseStatus.NeedMore:
                    Assert.False(datagram);
                    Assert.Null(m);
                    break;
            }
        }
    }

    [Property(MaxTest = 300)]
    public void Mutated_vectors_parse_the_same_in_one_byte_segments(NonNegativeInt vector, int seed)
    {
        var bytes = Mutate(s_vectors[vector.Get % s_vectors.Length], seed);
        var whole = TestBuffers.Parse(new ReadOnlySequence<byte>(bytes), datagram: false);
        var split = TestBuffers.Parse(TestBuffers.OneBytePerSegment(bytes), datagram: false);
        Assert.Equal((whole.Status, whole.Error, whole.Consumed), (split.Status, split.Error, split.Consumed));
    }

    private static readonly string s_tokenChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~";

    private static string Token(Random rng, int min = 1, int max = 12)
    {
        var sb = new StringBuilder();
        var n = rng.Next(min, max + 1);
        for (var i = 0; i < n; i++) { sb.Append(s_tokenChars[rng.Next(s_tokenChars.Length)]); }
        return sb.ToString();
    }

    private static string Host(Random rng) => rng.Next(3) switch
    {
        0 => $"192.0.2.{rng.Next(256)}",
        1 => $"[2001:db8::{rng.Next(0xffff):x}]",
        _ => $"h{rng.Next(1000)}.example.com",
    };

    [Property(MaxTest = 500)]
    public void Built_requests_and_their_responses_round_trip(int seed)
    {
        var rng = new Random(seed);
        var method = rng.Next(2) == 0 ? SipMethods.Message : Token(rng).ToUpperInvariant();
        // user = 1*( unreserved / escaped / user-unreserved ) (RFC 3261 §25.1): not every token character.
        const string UserChars = "abcXYZ019-_.!~*'()&=+$,;?/";
        var user = string.Concat(Enumerable.Range(0, rng.Next(1, 12)).Select(_ => UserChars[rng.Next(UserChars.Length)]));
        var host = Host(rng);
        var port = rng.Next(2) == 0 ? (int?)null : rng.Next(1, 65536);
        var uri = $"sip:{user}@{host}{(port is null ? "" : ":" + port)}";
        var branch = "z9hG4bK" + Token(rng);
        var fromTag = Token(rng);
        var display = string.Concat(Enumerable.Range(0, rng.Next(0, 10)).Select(_ => "aZ \"\\é,;<>"[rng.Next(10)]));
        var callId = Token(rng) + "@" + Token(rng);
        var cseq = (long)rng.Next(0, int.MaxValue);
        var body = new byte[rng.Next(0, 300)];
        rng.NextBytes(body);
        var hops = rng.Next(1, 5);

        var builder = new SipRequestBuilder(method, uri);
        for (var i = 0; i < hops; i++) { builder.Via(i % 2 == 0 ? "UDP" : "TCP", Host(rng), branch + i, rport: i == 0); }
        var quoted = display.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        builder.From($"\"{quoted}\" <sip:{user}@example.com>;tag={fromTag}").To($"<{uri}>").CallId(callId).CSeq(cseq).MaxForwards(70)
            .Body(body, "application/octet-stream");
        var bytes = builder.ToArray();

        var status = SipParser.TryParse(new ReadOnlySequence<byte>(bytes), SipParserOptions.Default, datagram: false, out var m, out _, out var error);
        Assert.True(status == SipParseStatus.Complete, $"{status} {error}: {Encoding.UTF8.GetString(bytes)}");
        var r = Assert.IsType<SipRequest>(m);
        Assert.Equal(method, r.Method);
        Assert.Equal(user, r.RequestSipUri!.User);
        Assert.Equal(host, r.RequestSipUri.Host);
        Assert.Equal(port, r.RequestSipUri.Port);
        Assert.Equal(hops, r.Vias.Count);
        Assert.Equal(branch + "0", r.TopVia.Branch);
        Assert.Equal(display, r.From.DisplayName);
        Assert.Equal(fromTag, r.From.Tag);
        Assert.Equal(callId, r.CallId);
        Assert.Equal(new CSeqHeader(cseq, method), r.CSeq);
        Assert.Equal(body, r.Body.ToArray());

        var responseBytes = SipResponseBuilder.For(r, 200).ToTag("t" + seed.ToString("x", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(SipParseStatus.Complete, SipParser.TryParseDatagram(responseBytes, SipParserOptions.Default, out var resp, out _));
        Assert.Equal(r.Vias.Select(v => v.ToString()), resp!.Vias.Select(v => v.ToString()));
        Assert.Equal((r.CallId, r.CSeq, r.From.Tag), (resp.CallId, resp.CSeq, resp.From.Tag));
    }
}

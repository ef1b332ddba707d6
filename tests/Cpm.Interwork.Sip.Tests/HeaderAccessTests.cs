using System.Text;

namespace Cpm.Interwork.Sip.Tests;

/// <summary>Raw ordered header index, compact forms, list splitting and lazily typed values.</summary>
public sealed class HeaderAccessTests
{
    private static SipMessage Parse(string text)
    {
        Assert.Equal(SipParseStatus.Complete, SipParser.TryParseDatagram(Encoding.UTF8.GetBytes(text), SipParserOptions.Default, out var m, out var e));
        return m!;
    }

    private const string Compact =
        "MESSAGE sip:bob@example.com SIP/2.0\r\n" +
        "v: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa;received=198.51.100.7;rport=5071, SIP/2.0/TCP proxy.example.com;branch=z9hG4bKb\r\n" +
        "V: SIP/2.0/UDP [2001:db8::1]:5062;branch=z9hG4bKc;rport\r\n" +
        "f: \"Alice \\\"A\\\" Smith\" <sip:alice@example.com>;tag=x1\r\n" +
        "t: sip:bob@example.com\r\n" +
        "i: abc@host\r\n" +
        "CSeq: 7 MESSAGE\r\n" +
        "k: timer, 100rel\r\n" +
        "Supported:\r\n  path\r\n" +
        "a: *;+g.oma.sip-im;explicit, *;+g.3gpp.icsi-ref=\"urn%3Aa,b\"\r\n" +
        "m: \"Bob, Jr\" <sip:bob@pc.example.com;transport=tcp>, <sip:bob@mobile.example.com>;q=0.5\r\n" +
        "s: Lunch\r\n" +
        "Date: Sat, 13 Nov 2010 23:29:00 GMT\r\n" +
        "Privacy: id;header\r\n" +
        "P-Asserted-Identity: \"Alice\" <sip:alice@example.com>\r\n" +
        "P-Asserted-Identity: tel:+15550100001\r\n" +
        "c: text/plain\r\n" +
        "l: 2\r\n\r\nhi";

    [Fact]
    public void Rfc3261_7_3_3_compact_forms_map_to_canonical_names_in_order()
    {
        var m = Parse(Compact);
        Assert.Equal(["Via", "Via", "From", "To", "Call-ID", "CSeq", "Supported", "Supported", "Accept-Contact", "Contact", "Subject", "Date", "Privacy",
            "P-Asserted-Identity", "P-Asserted-Identity", "Content-Type", "Content-Length"], m.Headers.Select(h => h.Name));
        Assert.Equal("v", Encoding.ASCII.GetString(m.Headers[0].RawName.Span));
        Assert.Equal("abc@host", m.GetHeader("i"));
        Assert.Equal("abc@host", m.GetHeader("CALL-ID"));
        Assert.True(m.Headers[4].Is("i"));
        Assert.Equal("Supported", SipHeaderNames.Normalize("k"));
        Assert.Equal("X-Custom", SipHeaderNames.Normalize("X-Custom"));
        Assert.Equal("Lunch", m.Subject);
        Assert.Equal("text/plain", m.ContentType);
    }

    [Fact]
    public void Via_list_across_lines_and_commas_keeps_order_with_received_and_rport()
    {
        var vias = Parse(Compact).Vias;
        Assert.Equal(3, vias.Count);
        Assert.Equal(("192.0.2.1", 5060, "UDP", "z9hG4bKa", "198.51.100.7", true, 5071), (vias[0].Host, vias[0].Port, vias[0].Transport, vias[0].Branch, vias[0].Received, vias[0].HasRPort, vias[0].RPort));
        Assert.Equal(("proxy.example.com", (int?)null, "TCP", "z9hG4bKb", false), (vias[1].Host, vias[1].Port, vias[1].Transport, vias[1].Branch, vias[1].HasRPort));
        Assert.Equal(("[2001:db8::1]", 5062, true, (int?)null), (vias[2].Host, vias[2].Port, vias[2].HasRPort, vias[2].RPort));
        Assert.True(vias[0].HasRfc3261Branch);
        Assert.Equal("192.0.2.1:5060", vias[0].SentBy);
    }

    [Fact]
    public void Name_addr_display_names_tags_and_uris()
    {
        var m = Parse(Compact);
        Assert.Equal("Alice \"A\" Smith", m.From.DisplayName);
        Assert.Equal("x1", m.From.Tag);
        Assert.Equal("alice", m.From.SipUri!.User);
        Assert.Null(m.To.Tag);
        Assert.False(m.To.IsNameAddr);
        Assert.Equal(new CSeqHeader(7, "MESSAGE"), m.CSeq);
    }

    [Fact]
    public void Rfc3261_7_3_1_list_values_split_at_commas_outside_quotes_and_angle_brackets()
    {
        var m = Parse(Compact);
        Assert.Equal(["timer", "100rel", "path"], m.Supported);
        Assert.Equal(["*;+g.oma.sip-im;explicit", "*;+g.3gpp.icsi-ref=\"urn%3Aa,b\""], m.AcceptContact);
        var contacts = m.Contacts;
        Assert.Equal(2, contacts.Count);
        Assert.Equal("Bob, Jr", contacts[0].DisplayName);
        Assert.Equal("tcp", contacts[0].SipUri!.Transport);
        Assert.Equal("0.5", contacts[1].Parameters["q"]);
        Assert.Equal(["id", "header"], m.Privacy);
        Assert.Equal(["sip:alice@example.com", "tel:+15550100001"], m.PAssertedIdentities.Select(p => p.Uri));
        Assert.Equal("Alice", m.PAssertedIdentities[0].DisplayName);
        Assert.Equal("+15550100001", m.PAssertedIdentities[1].TelUri!.Digits);
        Assert.Equal(new DateTimeOffset(2010, 11, 13, 23, 29, 0, TimeSpan.Zero), m.DateValue);
    }

    [Fact]
    public void Folded_values_are_unfolded_as_text_but_kept_raw()
    {
        var m = Parse(Compact);
        var supported = m.Headers[7];
        Assert.Equal("path", supported.Value);
        Assert.Equal("path", Encoding.ASCII.GetString(supported.RawValue.Span));
        Assert.Equal(["timer, 100rel", "path"], m.GetHeaderValues("Supported"));
    }

    [Fact]
    public void Absent_headers_give_null_or_empty()
    {
        var m = Parse(Compact);
        Assert.Null(m.GetHeader("X-Nothing"));
        Assert.False(m.HasHeader("Expires"));
        Assert.Null(m.Expires);
        Assert.Null(m.MaxForwards);
        Assert.Null(m.Priority);
        Assert.Empty(m.Require);
        Assert.Empty(m.GetHeaderValues("X-Nothing"));
        Assert.False(m.TryGetHeader("X-Nothing", out _));
    }
}

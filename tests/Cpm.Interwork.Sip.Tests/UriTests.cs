namespace Cpm.Interwork.Sip.Tests;

/// <summary>SIP/SIPS (RFC 3261 §19.1, §25.1), IPv6 references (RFC 5118) and tel (RFC 3966) URIs.</summary>
public sealed class UriTests
{
    [Fact]
    public void Sip_uri_parts_are_read_as_written()
    {
        Assert.True(SipUri.TryParse("sips:alice:secret@atlanta.example.com:5061;transport=tcp;lr;maddr=239.255.255.1?subject=project%20x&priority=urgent", out var u));
        Assert.Equal(("sips", true, "alice", "secret", "atlanta.example.com", 5061), (u.Scheme, u.IsSecure, u.User, u.Password, u.Host, u.Port));
        Assert.Equal("tcp", u.Transport);
        Assert.True(u.IsLooseRouting);
        Assert.Equal("239.255.255.1", u.Parameters["maddr"]);
        Assert.Equal(["subject", "priority"], u.Headers.Select(h => h.Name));
        Assert.Equal("project%20x", u.Headers["subject"]);
        Assert.Equal("sips:alice:secret@atlanta.example.com:5061;transport=tcp;lr;maddr=239.255.255.1?subject=project%20x&priority=urgent", u.ToString());
    }

    [Fact]
    public void Sip_uri_with_telephone_user_and_user_phone()
    {
        var u = SipUri.Parse("sip:+1-212-555-1212:1234@gateway.com;user=phone");
        Assert.Equal("+1-212-555-1212", u.User);
        Assert.Equal("1234", u.Password);
        Assert.Equal("phone", u.UserParameter);
        Assert.Null(u.Port);
    }

    [Theory]
    [InlineData("sip:[2001:db8::10]", "[2001:db8::10]", null)]
    [InlineData("sip:[2001:db8::10]:5070", "[2001:db8::10]", 5070)]
    [InlineData("sip:user@[::ffff:192.0.2.2]:5060", "[::ffff:192.0.2.2]", 5060)]
    [InlineData("sip:user@[2001:db8:::192.0.2.1]", "[2001:db8:::192.0.2.1]", null)]
    public void Rfc5118_ipv6_references(string text, string host, int? port)
    {
        var u = SipUri.Parse(text);
        Assert.Equal((host, port, true), (u.Host, u.Port, u.IsIPv6Reference));
    }

    [Theory]
    [InlineData("sip:")]
    [InlineData("sip:@example.com")]
    [InlineData("sip:user@")]
    [InlineData("sip:user@example.com:99999")]
    [InlineData("sip:user@example.com:")]
    [InlineData("sip:us er@example.com")]
    [InlineData("sip:user@exa mple.com")]
    [InlineData("sip:%G1@example.com")]
    [InlineData("sip:2001:db8::10")]
    [InlineData("sip:[2001:db8::10")]
    [InlineData("sip:[2001:db8:::10]")]
    [InlineData("sip:[2001:db8::::192.0.2.1]")]
    [InlineData("sip:a@b;")]
    [InlineData("sip:a@b?x")]
    [InlineData("tel:+1-555")]
    [InlineData("http://example.com")]
    public void Invalid_sip_uris_are_rejected(string text) => Assert.False(SipUri.TryParse(text, out _));

    [Fact]
    public void Tel_uri_global_number_with_visual_separators_and_parameters()
    {
        Assert.True(TelUri.TryParse("tel:+1-201-555-0123;ext=1234;phone-context=example.com", out var t));
        Assert.Equal(("+1-201-555-0123", "+12015550123", true), (t.Number, t.Digits, t.IsGlobal));
        Assert.Equal("1234", t.Parameters["ext"]);
        Assert.Equal("example.com", t.PhoneContext);
    }

    [Theory]
    [InlineData("%75se%72", "user")]
    [InlineData("sips%3Auser%40example.com", "sips:user@example.com")]
    [InlineData("I%20have%20spaces", "I have spaces")]
    [InlineData("%C3%A9t%C3%A9", "été")]
    [InlineData("100%", "100%")]
    [InlineData("%zz", "%zz")]
    [InlineData("null-%00-null", "null-\0-null")]
    public void Rfc3261_19_1_2_escapes_decode_as_utf8(string escaped, string decoded) =>
        Assert.Equal(decoded, SipUri.Unescape(escaped));

    [Fact]
    public void Tel_uri_local_number()
    {
        Assert.True(TelUri.TryParse("tel:7042;phone-context=example.com", out var t));
        Assert.False(t.IsGlobal);
        Assert.Equal("7042", t.Digits);
    }

    [Theory]
    [InlineData("tel:")]
    [InlineData("tel:+")]
    [InlineData("tel:+-.()")]
    [InlineData("tel:+1 555")]
    [InlineData("tel:xyz")]
    [InlineData("tel:+1555;")]
    [InlineData("sip:+1555@example.com")]
    public void Invalid_tel_uris_are_rejected(string text) => Assert.False(TelUri.TryParse(text, out _));

    [Theory]
    [InlineData("\"A \\\"quoted\\\" name\" <sip:a@example.com>;tag=1", "A \"quoted\" name", "sip:a@example.com", "1")]
    [InlineData("Anonymous <sip:anonymous@anonymous.invalid>", "Anonymous", "sip:anonymous@anonymous.invalid", null)]
    [InlineData("<tel:+15550100001>;tag=9", null, "tel:+15550100001", "9")]
    [InlineData("sip:bob@example.com;tag=abc", null, "sip:bob@example.com", "abc")]
    [InlineData("\"\" <sip:b@c>", "", "sip:b@c", null)]
    public void Name_address_forms(string text, string? display, string uri, string? tag)
    {
        Assert.True(NameAddress.TryParse(text, out var na));
        Assert.Equal((display, uri, tag), (na.DisplayName, na.Uri, na.Tag));
    }

    [Theory]
    [InlineData("\"unterminated <sip:a@b>")]
    [InlineData("<sip:a@b")]
    [InlineData("Bell, Alexander <sip:a@b>")]
    [InlineData("< sip:a@b >")]
    [InlineData("<sip:a@b>;")]
    [InlineData("<sip:a@b>, <sip:c@d>")]
    [InlineData("")]
    public void Malformed_name_addresses_are_rejected(string text) => Assert.False(NameAddress.TryParse(text, out _));

    [Fact]
    public void Via_value_with_several_hops_parses_in_order()
    {
        Assert.True(ViaHeader.TryParseList("SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP / 2.0 / TCP b.example.com:5070 ; branch = z9hG4bK2 ; rport = 5071", out var vias));
        Assert.Equal(["a.example.com", "b.example.com"], vias.Select(v => v.Host));
        Assert.Equal((5070, 5071, "z9hG4bK2"), (vias[1].Port, vias[1].RPort, vias[1].Branch));
        Assert.False(ViaHeader.TryParseList("SIP/2.0/UDP", out _));
        Assert.False(ViaHeader.TryParseList("SIP/2.0/UDP host;;", out _));
    }
}

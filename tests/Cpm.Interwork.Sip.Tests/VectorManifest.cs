namespace Cpm.Interwork.Sip.Tests;

/// <summary>What a vector must parse to in one framing mode.</summary>
public readonly record struct Outcome(SipParseStatus Status, SipRejectionReason Reason = SipRejectionReason.None)
{
    public static readonly Outcome Complete = new(SipParseStatus.Complete);
    public static readonly Outcome NeedMore = new(SipParseStatus.NeedMore);
    public static Outcome Invalid(SipRejectionReason reason) => new(SipParseStatus.Invalid, reason);
}

/// <summary>One vector file and its expectations (docs/sip-codec.md explains each decision).</summary>
/// <param name="Path">File under Vectors/.</param>
/// <param name="Datagram">Outcome as a whole UDP datagram.</param>
/// <param name="Stream">Outcome as the start of a TCP stream.</param>
/// <param name="Answerable">On Invalid: whether the parser still returns the request, so a response can be built.</param>
/// <param name="Check">Values a Complete message must have.</param>
public sealed record VectorCase(string Path, Outcome Datagram, Outcome Stream, bool Answerable = false, Action<SipMessage>? Check = null)
{
    public override string ToString() => Path;
}

public static class VectorManifest
{
    private static VectorCase Valid(string path, Action<SipMessage> check) => new(path, Outcome.Complete, Outcome.Complete, Check: check);

    private static VectorCase Invalid(string path, SipRejectionReason reason, bool answerable) =>
        new(path, Outcome.Invalid(reason), Outcome.Invalid(reason), answerable);

    private static SipRequest Req(SipMessage m) => Assert.IsType<SipRequest>(m);
    private static SipResponse Resp(SipMessage m) => Assert.IsType<SipResponse>(m);

    public static readonly VectorCase[] All =
    [
        // ---------- RFC 4475 §3.1.1: valid messages ----------
        Valid("rfc4475/3.1.1.1-wsinv.sip", m =>
        {
            var r = Req(m);
            Assert.Equal(SipMethods.Invite, r.Method);
            Assert.Equal("chair-dnrc.example.com", r.RequestSipUri!.Host);
            Assert.Equal("vivekg", r.RequestSipUri.User);
            Assert.True(r.RequestSipUri.Parameters.Contains("unknownparam"));
            Assert.Equal("1918181833n", m.To.Tag);
            Assert.Equal("sip:vivekg@chair-dnrc.example.com", m.To.Uri);
            Assert.Equal("J Rosenberg \\\"", m.From.DisplayName);
            Assert.Equal("98asjd8", m.From.Tag);
            Assert.Equal(68, m.MaxForwards);
            Assert.Equal("wsinv.ndaksdj@192.0.2.1", m.CallId);
            Assert.Equal(new CSeqHeader(9, "INVITE"), m.CSeq);
            Assert.Equal(3, m.Vias.Count);
            Assert.Equal(("SIP/2.0", "UDP", "192.0.2.2", "390skdjuw"), (m.Vias[0].Protocol, m.Vias[0].Transport, m.Vias[0].Host, m.Vias[0].Branch));
            Assert.Equal(("TCP", "spindle.example.com", "z9hG4bK9ikj8"), (m.Vias[1].Transport, m.Vias[1].Host, m.Vias[1].Branch));
            Assert.Equal(("UDP", "192.168.255.111", "z9hG4bK30239"), (m.Vias[2].Transport, m.Vias[2].Host, m.Vias[2].Branch));
            Assert.Equal("", m.Subject);
            Assert.Equal("newfangled value continued newfangled value", m.GetHeader("NewFangledHeader"));
            Assert.Equal(";;,,;;,;", m.GetHeader("UnknownHeaderWithUnusualValue"));
            Assert.Equal("application/sdp", m.ContentType);
            Assert.Equal(150, m.Body.Length);
            var route = Assert.Single(m.Routes);
            Assert.True(route.SipUri!.IsLooseRouting);
            Assert.Equal("value", route.SipUri.Parameters["unknownwith"]);
            var contact = Assert.Single(m.Contacts);
            Assert.Equal("Quoted string \"\"", contact.DisplayName);
            Assert.Equal("newvalue", contact.Parameters["newparam"]);
            Assert.True(contact.Parameters.Contains("secondparam"));
            Assert.Equal("0.33", contact.Parameters["q"]);
        }),
        Valid("rfc4475/3.1.1.2-intmeth.sip", m =>
        {
            var r = Req(m);
            Assert.Equal("!interesting-Method0123456789_*+`.%indeed'~", r.Method);
            Assert.Equal("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", r.RequestSipUri!.User);
            Assert.Equal("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)", r.RequestSipUri.Password);
            Assert.Equal("example.com", r.RequestSipUri.Host);
            Assert.Equal("z9hG4bK-.!%66*_+`'~", m.TopVia.Branch);
            Assert.Equal("BEL:\a NUL:\0 DEL:\x7f", m.To.DisplayName);
            Assert.Equal("token1~` token2'+_ token3*%!.-", m.From.DisplayName);
            Assert.Equal("\"работающий\"", m.From.Parameters["fromParam''~+*_!.-%"]);
            Assert.Equal("_token~1'+`*%!-.", m.From.Tag);
            Assert.Equal("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{", m.CallId);
            Assert.Equal(139122385, m.CSeq.Number);
            Assert.Equal(r.Method, m.CSeq.Method);
            Assert.Equal(255, m.MaxForwards);
            Assert.Equal("\ufeff大停電", m.GetHeader("extensionHeader-!.%*+_`'~"));
        }),
        Valid("rfc4475/3.1.1.3-esc01.sip", m =>
        {
            Assert.Equal("sips%3Auser%40example.com", Req(m).RequestSipUri!.User);
            Assert.Equal("example.net", Req(m).RequestSipUri!.Host);
            Assert.Equal("%75se%72", m.To.SipUri!.User);
            Assert.Equal("I%20have%20spaces", m.From.SipUri!.User);
            Assert.Equal("esc01.239409asdfakjkn23onasd0-3234", m.CallId);
            Assert.Equal("application/sdp", m.ContentType);
            var contact = Assert.Single(m.Contacts);
            Assert.Equal("cal%6Cer", contact.SipUri!.User);
            Assert.Equal("v%61lue%25%34%31", contact.SipUri.Parameters["n%61me"]);
            Assert.Equal(150, m.Body.Length);
        }),
        Valid("rfc4475/3.1.1.4-escnull.sip", m =>
        {
            Assert.Equal("null-%00-null", m.To.SipUri!.User);
            Assert.Equal(["%00", "%00%00"], m.Contacts.Select(c => c.SipUri!.User));
            Assert.Equal(0, m.ContentLength);
        }),
        Valid("rfc4475/3.1.1.5-esc02.sip", m =>
        {
            Assert.Equal("RE%47IST%45R", Req(m).Method);
            Assert.Equal("RE%47IST%45R", m.CSeq.Method);
            Assert.Equal("%Z%45", m.To.DisplayName);
            Assert.Equal("z9hG4bK209%fzsnel234", m.TopVia.Branch);
            // C%6Fntact is an unknown header, not Contact.
            Assert.Equal(["alias1", "alias3"], m.Contacts.Select(c => c.SipUri!.User));
            Assert.Equal("<sip:alias2@host2.example.com>", m.GetHeader("C%6Fntact"));
        }),
        Valid("rfc4475/3.1.1.6-lwsdisp.sip", m =>
        {
            Assert.Equal("caller", m.From.DisplayName);
            Assert.Equal("sip:caller@example.com", m.From.Uri);
            Assert.Equal("323", m.From.Tag);
        }),
        Valid("rfc4475/3.1.1.7-longreq.sip", m =>
        {
            Assert.Equal(34, m.Vias.Count);
            Assert.Equal("sip33.example.com", m.Vias[0].Host);
            Assert.Equal("sip1.example.com", m.Vias[32].Host);
            Assert.Equal("192.0.2.5", m.Vias[33].Received);
            Assert.Equal("very" + string.Concat(Enumerable.Repeat("long", 50)) + "branchvalue", m.Vias[33].Branch);
            Assert.Equal(6000, m.To.SipUri!.Port);
            Assert.True(m.To.SipUri.Parameters.Contains("very" + string.Concat(Enumerable.Repeat("long", 25)) + "ParameterNameWithNoValue"));
            Assert.StartsWith("I have a user name of extremeextreme", m.To.DisplayName, StringComparison.Ordinal);
            Assert.Equal("1298" + string.Concat(Enumerable.Repeat("2982", 34)) + "424", m.From.Tag);
            Assert.Equal(150, m.Body.Length);
        }),
        new("rfc4475/3.1.1.8-dblreq.sip", Outcome.Complete, Outcome.Complete, Check: m =>
        {
            Assert.Equal(SipMethods.Register, Req(m).Method);
            Assert.Equal("dblreq.0ha0isndaksdj99sdfafnl3lk233412", m.CallId);
            Assert.True(m.Body.IsEmpty);
        }),
        Valid("rfc4475/3.1.1.9-semiuri.sip", m =>
        {
            Assert.Equal("user;par=u%40example.net", Req(m).RequestSipUri!.User);
            Assert.True(Req(m).RequestSipUri!.Parameters.Count == 0);
            Assert.Equal(["application/sdp", "application/pkcs7-mime", "multipart/mixed", "multipart/signed", "message/sip", "message/sipfrag"],
                m.GetHeaderListValues(SipHeaderNames.Accept));
        }),
        Valid("rfc4475/3.1.1.10-transports.sip", m =>
        {
            Assert.Equal(["UDP", "SCTP", "TLS", "UNKNOWN", "TCP"], m.Vias.Select(v => v.Transport));
            Assert.Equal("transports.kijh4akdnaqjkwendsasfdj", m.CallId);
        }),
        Valid("rfc4475/3.1.1.12-unreason.sip", m =>
        {
            Assert.Equal(200, Resp(m).StatusCode);
            Assert.Equal("= 2**3 * 5**2 но сто девяносто девять - простое", Resp(m).ReasonPhrase);
            Assert.Equal(154, m.Body.Length);
        }),
        Valid("rfc4475/3.1.1.13-noreason.sip", m =>
        {
            Assert.Equal(100, Resp(m).StatusCode);
            Assert.Equal("", Resp(m).ReasonPhrase);
        }),

        // ---------- RFC 4475 §3.1.2: syntactically invalid ----------
        Invalid("rfc4475/3.1.2.1-badinv01.sip", SipRejectionReason.MalformedVia, answerable: false),
        new("rfc4475/3.1.2.2-clerr.sip", Outcome.Invalid(SipRejectionReason.ContentLengthExceedsDatagram), Outcome.NeedMore, Answerable: true),
        Invalid("rfc4475/3.1.2.3-ncl.sip", SipRejectionReason.MalformedContentLength, answerable: true),
        Invalid("rfc4475/3.1.2.4-scalar02.sip", SipRejectionReason.MalformedCSeq, answerable: true),
        Invalid("rfc4475/3.1.2.5-scalarlg.sip", SipRejectionReason.MalformedCSeq, answerable: false),
        Invalid("rfc4475/3.1.2.6-quotbal.sip", SipRejectionReason.MalformedTo, answerable: true),
        Invalid("rfc4475/3.1.2.7-ltgtruri.sip", SipRejectionReason.MalformedRequestUri, answerable: true),
        Invalid("rfc4475/3.1.2.8-lwsruri.sip", SipRejectionReason.MalformedRequestUri, answerable: true),
        Invalid("rfc4475/3.1.2.9-lwsstart.sip", SipRejectionReason.MalformedRequestLine, answerable: true),
        Invalid("rfc4475/3.1.2.10-trws.sip", SipRejectionReason.MalformedRequestLine, answerable: true),
        Invalid("rfc4475/3.1.2.11-escruri.sip", SipRejectionReason.RequestUriWithHeaders, answerable: true),
        Valid("rfc4475/3.1.2.12-baddate.sip", m =>
        {
            Assert.Equal("Fri, 01 Jan 2010 16:00:00 EST", m.Date);
            Assert.Null(m.DateValue);
        }),
        Valid("rfc4475/3.1.2.13-regbadct.sip", m =>
        {
            // The Contact addr-spec cannot carry '?': the list is malformed and yields no contact at all.
            Assert.Empty(m.Contacts);
            Assert.Equal("sip:user@example.com?Route=%3Csip:sip.example.com%3E", m.GetHeader("Contact"));
        }),
        Invalid("rfc4475/3.1.2.14-badaspec.sip", SipRejectionReason.MalformedTo, answerable: true),
        Invalid("rfc4475/3.1.2.15-baddn.sip", SipRejectionReason.MalformedFrom, answerable: true),
        Invalid("rfc4475/3.1.2.16-badvers.sip", SipRejectionReason.UnsupportedVersion, answerable: true),
        Invalid("rfc4475/3.1.2.17-mismatch01.sip", SipRejectionReason.CSeqMethodMismatch, answerable: true),
        Invalid("rfc4475/3.1.2.18-mismatch02.sip", SipRejectionReason.CSeqMethodMismatch, answerable: true),
        Invalid("rfc4475/3.1.2.19-bigcode.sip", SipRejectionReason.MalformedStatusLine, answerable: false),

        // ---------- RFC 4475 §3.2–3.4: transaction/application semantics ----------
        Valid("rfc4475/3.2.1-badbranch.sip", m => Assert.Equal("z9hG4bK", m.TopVia.Branch)),
        Invalid("rfc4475/3.3.1-insuf.sip", SipRejectionReason.MissingFrom, answerable: false),
        Invalid("rfc4475/3.3.2-unkscm.sip", SipRejectionReason.UnsupportedUriScheme, answerable: true),
        Invalid("rfc4475/3.3.3-novelsc.sip", SipRejectionReason.UnsupportedUriScheme, answerable: true),
        Valid("rfc4475/3.3.4-unksm2.sip", m =>
        {
            Assert.Equal("isbn:2983792873", m.To.Uri);
            Assert.Null(m.To.SipUri);
            Assert.Equal("http://www.example.com", m.From.Uri);
            Assert.Equal("name:John_Smith", Assert.Single(m.Contacts).Uri);
        }),
        Valid("rfc4475/3.3.5-bext01.sip", m =>
        {
            Assert.Equal(["nothingSupportsThis", "nothingSupportsThisEither"], m.Require);
            Assert.Equal(["noProxiesSupportThis", "norDoAnyProxiesSupportThis"], m.ProxyRequire);
        }),
        Valid("rfc4475/3.3.6-invut.sip", m =>
        {
            Assert.Equal("application/unknownformat", m.ContentType);
            Assert.Equal(40, m.Body.Length);
        }),
        Valid("rfc4475/3.3.7-regaut01.sip", m => Assert.Equal("NoOneKnowsThisScheme opaque-data=here", m.GetHeader("Authorization"))),
        Invalid("rfc4475/3.3.8-multi01.sip", SipRejectionReason.DuplicateCSeq, answerable: true),
        Invalid("rfc4475/3.3.9-mcl01.sip", SipRejectionReason.ConflictingContentLength, answerable: true),
        Valid("rfc4475/3.3.10-bcast.sip", m => Assert.Equal("255.255.255.255", m.Vias[1].Host)),
        Valid("rfc4475/3.3.11-zeromf.sip", m => Assert.Equal(0, m.MaxForwards)),
        Valid("rfc4475/3.3.12-cparam01.sip", m =>
        {
            var c = Assert.Single(m.Contacts);
            Assert.True(c.Parameters.Contains("unknownparam"));
            Assert.Empty(c.SipUri!.Parameters);
        }),
        Valid("rfc4475/3.3.13-cparam02.sip", m =>
        {
            var c = Assert.Single(m.Contacts);
            Assert.Empty(c.Parameters);
            Assert.True(c.SipUri!.Parameters.Contains("unknownparam"));
        }),
        Valid("rfc4475/3.3.14-regescrt.sip", m => Assert.Equal("%3Csip:sip.example.com%3E", Assert.Single(m.Contacts).SipUri!.Headers["Route"])),
        Valid("rfc4475/3.3.15-sdp01.sip", m => Assert.Equal(["text/nobodyKnowsThis"], m.GetHeaderListValues("Accept"))),
        new("rfc4475/3.4.1-inv2543.sip", Outcome.Complete, Outcome.Invalid(SipRejectionReason.MissingContentLength), Answerable: true, Check: m =>
        {
            Assert.Null(m.ContentLength);
            Assert.Equal(105, m.Body.Length);
            Assert.Null(m.MaxForwards);
            Assert.Null(m.TopVia.Branch);
            Assert.Equal("phone", m.To.Parameters["user"]);
            Assert.Equal("phone", m.From.SipUri!.UserParameter);
        }),

        // ---------- RFC 5118: IPv6 ----------
        Valid("rfc5118/4.1-register-ipv6-ruri.sip", m =>
        {
            Assert.Equal("[2001:db8::10]", Req(m).RequestSipUri!.Host);
            Assert.True(Req(m).RequestSipUri!.IsIPv6Reference);
            Assert.Null(Req(m).RequestSipUri!.Port);
            Assert.Equal("[2001:db8::9:1]", m.TopVia.Host);
            Assert.Equal("[2001:db8::1]", Assert.Single(m.Contacts).SipUri!.Host);
        }),
        Invalid("rfc5118/4.2-ruri-without-brackets.sip", SipRejectionReason.MalformedRequestUri, answerable: true),
        Valid("rfc5118/4.3-port-inside-brackets.sip", m =>
        {
            Assert.Equal("[2001:db8::10:5070]", Req(m).RequestSipUri!.Host);
            Assert.Null(Req(m).RequestSipUri!.Port);
        }),
        Valid("rfc5118/4.4-port-outside-brackets.sip", m =>
        {
            Assert.Equal("[2001:db8::10]", Req(m).RequestSipUri!.Host);
            Assert.Equal(5070, Req(m).RequestSipUri!.Port);
        }),
        Valid("rfc5118/4.5a-via-received-bracketed.sip", m => Assert.Equal("[2001:db8::9:255]", m.TopVia.Received)),
        Valid("rfc5118/4.5b-via-received-bare.sip", m => Assert.Equal("2001:db8::9:255", m.TopVia.Received)),
        Valid("rfc5118/4.6-ipv6-in-sdp.sip", m => Assert.Equal(251, m.Body.Length)),
        Valid("rfc5118/4.7-mixed-vias.sip", m =>
        {
            Assert.Equal(["[2001:db8::9:1]", "192.0.2.1", "[2001:db8::9:255]"], m.Vias.Select(v => v.Host));
            Assert.Equal(6050, m.Vias[0].Port);
            Assert.Equal("192.0.2.200", m.Vias[2].Received);
        }),
        Valid("rfc5118/4.8-multiple-ip-in-sdp.sip", m => Assert.Equal(189, m.Body.Length)),
        Valid("rfc5118/4.9-ipv4-mapped.sip", m =>
        {
            Assert.Equal("[::ffff:192.0.2.10]", m.TopVia.Host);
            Assert.Equal(19823, m.TopVia.Port);
            Assert.Equal("[::ffff:192.0.2.2]", Assert.Single(m.Contacts).SipUri!.Host);
        }),
        Valid("rfc5118/4.10a-three-colons.sip", m => Assert.Equal("[2001:db8:::192.0.2.1]", Req(m).RequestSipUri!.Host)),
        Valid("rfc5118/4.10b-two-colons.sip", m => Assert.Equal("[2001:db8::192.0.2.1]", m.To.SipUri!.Host)),

        // ---------- CPM MESSAGE shapes (PROTOCOLS.md §4) ----------
        Valid("cpm/message-cpim.sip", m =>
        {
            var r = Req(m);
            Assert.Equal(SipMethods.Message, r.Method);
            Assert.Equal("phone", r.RequestSipUri!.UserParameter);
            Assert.Equal("+15550100002", r.RequestSipUri.User);
            Assert.True(m.TopVia.HasRPort);
            Assert.Null(m.TopVia.RPort);
            Assert.Equal(5060, m.TopVia.Port);
            Assert.Equal("+1-555-010-0002", m.To.TelUri!.Number);
            Assert.Equal("+15550100002", m.To.TelUri.Digits);
            Assert.True(m.To.TelUri.IsGlobal);
            Assert.Equal(["sip:+15550100001@ims.example.com", "tel:+15550100001"], m.PAssertedIdentities.Select(p => p.Uri));
            Assert.Equal(["*;+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.msg\""], m.AcceptContact);
            Assert.Equal(["none"], m.Privacy);
            Assert.Equal(new DateTimeOffset(2015, 2, 17, 6, 54, 27, TimeSpan.Zero), m.DateValue);
            Assert.Equal("hello, world", m.Subject);
            Assert.Equal("normal", m.Priority);
            Assert.Equal(86400, m.Expires);
            Assert.Equal(["recipient-list-message"], m.Require);
            Assert.Equal(["timer", "100rel"], m.Supported);
            Assert.Equal("message/cpim", m.ContentType);
            Assert.Equal(327, m.Body.Length);
            Assert.Equal("477b66ae9662e3ad18549bf5dabf9d26d5e707ca", m.GetHeader(SipHeaderNames.ContributionId));
            Assert.True(m.Body.Span.EndsWith("123456789abcdef"u8));
        }),
        Valid("cpm/message-cpim-typical.sip", m =>
        {
            Assert.Equal(15, m.HeaderCount);
            Assert.Equal("z9hG4bK776asdhds", m.TopVia.Branch);
            Assert.Equal(316, m.Body.Length);
        }),
    ];

    public static TheoryData<string> Paths()
    {
        var data = new TheoryData<string>();
        foreach (var v in All) { data.Add(v.Path); }
        return data;
    }

    public static VectorCase Get(string path) => All.Single(v => v.Path == path);
}

using System.Text;
using Cpm.Interwork.Mime;
using Cpm.Interwork.Mime.Cpim;
using Cpm.Interwork.Mm4;
using FsCheck;
using FsCheck.Fluent;

namespace Cpm.Interwork.Core.Tests;

/// <summary>Random peer input through the whole mapping: never an exception, bodies stay bytes, text survives.</summary>
public class PipelineProperties
{
    private static readonly string[] s_types = ["text/plain; charset=utf-8", "image/png", "application/smil", "text/html; charset=iso-8859-1", "audio/amr"];

    private static string Header(string s) => new(s.Where(c => c is not ('\r' or '\n' or '\0')).ToArray());

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool CpmToMm4_AnyCpimText_Body_Subject_SurviveToTheWire(NonNull<string> subject, byte[] body, NonNegativeInt typeIndex, bool sipSubject)
    {
        if (body.Length == 0) { body = [0x41]; }
        var type = s_types[typeIndex.Get % s_types.Length];
        var subj = Header(subject.Get);
        var cpim = Encoding.UTF8.GetBytes("From: <sip:+15550100001@ims.example.com>\r\nTo: <sip:+15550100002@ims.example.com>\r\n"
            + (sipSubject ? "" : "Subject: " + subj + "\r\n") + "\r\nContent-Type: " + type + "\r\n\r\n").Concat(body).ToArray();
        var msg = T.Message(T.BobUri, T.Alice, sipSubject && subj.Trim().Length > 0 ? ["Subject: " + subj] : null, "message/cpim", cpim);
        var r = T.Mapper().Map(msg);
        if (!r.IsSuccess) { return false; }
        var f = r.Forward!;
        var o = T.Splitter().Split(f, new Dictionary<string, string> { ["+15550100002"] = "mms.peer.example" }).Forwards[0];
        var wire = o.Request.ToBytes();
        if (wire.Any(b => b >= 0x80)) { return false; }
        var back = T.Read(wire);
        var expectedSubject = sipSubject ? msg.Subject : CpimMessage.Parse(cpim, new MimeParserOptions())!.Subject;
        var decoded = Assert.IsType<MimePart>(back.Content!.Entity).GetDecodedContent();
        return decoded.AsSpan().SequenceEqual(body)
            && (string.IsNullOrEmpty(expectedSubject) ? back.Subject is null : back.Subject == expectedSubject);
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool Mm4ToCpm_AnyMm_Subject_DisplayName_Body_SurviveIntoCpim(NonNull<string> subject, NonNull<string> displayName, byte[] body, bool hide)
    {
        var req = new Mm4ForwardRequestBuilder(new SequentialIds("peer.example"), T.Clock())
            .From(Mm4Address.Plmn("+15550100001").WithDisplayName(displayName.Get.Length == 0 ? null : displayName.Get))
            .To(Mm4Address.Plmn("+15550100002"))
            .Subject(subject.Get.Length == 0 ? null : subject.Get)
            .SenderVisibility(hide ? SenderVisibility.Hide : SenderVisibility.Show)
            .Content(Mm4Content.FromBytes("application/octet-stream", body))
            .Build();
        Mm4ForwardRequest back;
        try { back = T.Read(req.ToBytes()); }
        catch (Mm4ValidationException) { return true; } // the MM4 writer refuses some generated values: not our input
        var r = new Mm4ToCpmMapper(new ImsOptions { Domain = "ims.example.com" }, new CpmOptions { PagerModeMaxBytes = CpmOptions.MaxPagerModeBytes })
            .Map(back, Mm4Address.Plmn("+15550100002"), "imdn-x");
        if (!r.IsSuccess) { return false; }
        var cpim = CpimMessage.Parse(r.Message!.Body, new MimeParserOptions { MaxLineLength = int.MaxValue, MaxHeaderBytes = int.MaxValue })!;
        var sip = T.Parse(r.Message.ToBuilder("c@gw", "t1", 1, "SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bKp").ToArray());
        var subjectOk = back.Subject is not { Length: > 0 } s || cpim.Subject == new string(s.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim()
            || cpim.Subject == new string(s.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return cpim.Body.Span.SequenceEqual(body)
            && subjectOk
            && sip.Body.Span.SequenceEqual(r.Message.Body.Span)
            && (hide ? cpim.From!.Address == E164Addressing.AnonymousUri : cpim.From!.Address.StartsWith("sip:+15550100001@", StringComparison.Ordinal));
    }
}

public class AggregationProperties
{
    private static readonly int[] s_codes = [200, 202, 400, 403, 404, 413, 415, 433, 484, 500, 503, 504, 603];

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public bool Aggregate_NeverClaimsDeliveryThatFailed_NeverErrorsWhenSomeoneGotIt(NonEmptyArray<NonNegativeInt> picks)
    {
        var outcomes = picks.Get.Select((p, i) => new ForwardOutcome(new SipAnswer(s_codes[p.Get % s_codes.Length], "x"), ["+1555010000" + i])).ToList();
        var a = ForwardOutcomes.Aggregate(outcomes, "gw");
        var anyOk = outcomes.Any(o => o.Answer.IsSuccess);
        var allOk200 = outcomes.All(o => o.Answer.StatusCode == 200);
        if (outcomes.Count == 1) { return a.StatusCode == outcomes[0].Answer.StatusCode; }
        return allOk200 ? a.StatusCode == 200
            : anyOk ? a.StatusCode == 202
            : !a.IsSuccess && outcomes.Any(o => o.Answer.StatusCode == a.StatusCode);
    }
}

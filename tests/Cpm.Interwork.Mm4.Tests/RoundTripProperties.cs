using System.Net;
using System.Text;
using Cpm.Interwork.Mime;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cpm.Interwork.Mm4.Tests;

/// <summary>Generators for random but writable MM4 models.</summary>
public static class Mm4Arbitraries
{
    private static readonly char[] s_token = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._".ToCharArray();

    private static Gen<string> Token(int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.ListOf(Gen.Elements(s_token), n)).Select(cs => new string([.. cs]));

    private static readonly Gen<string> s_label =
        Gen.Choose(1, 12).SelectMany(n => Gen.ListOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789".ToCharArray()), n)).Select(cs => new string([.. cs]));

    private static readonly Gen<string> s_domain = Gen.Choose(1, 4).SelectMany(n => Gen.ListOf(s_label, n)).Select(ls => string.Join('.', ls));

    private static readonly Gen<string> s_id = from l in Token(1, 30) from d in s_domain select l + "@" + d;

    private static readonly Gen<string> s_e164 =
        Gen.Choose(1, 15).SelectMany(n => Gen.ListOf(Gen.Choose(0, 9), n)).Select(ds => "+" + string.Concat(ds));

    /// <summary>Any text without lone surrogates and without leading/trailing blanks (the reader trims header values).</summary>
    private static readonly Gen<string> s_text = ArbMap.Default.GeneratorFor<string>()
        .Select(s => s is null ? string.Empty : new string([.. s.EnumerateRunes().SelectMany(r => r.ToString())]).Replace("\uFFFD", "?", StringComparison.Ordinal).Trim(' ', '\t'))
        .Select(s => s.Any(char.IsSurrogate) && !s.EnumerateRunes().Any() ? string.Empty : s);

    private static readonly Gen<string?> s_optionalText = Gen.OneOf(Gen.Constant<string?>(null), s_text.Select(s => (string?)s));

    private static readonly Gen<string?> s_displayName = Gen.OneOf(Gen.Constant<string?>(null), s_text.Where(s => s.Length > 0 && !s.Contains("=?", StringComparison.Ordinal)).Select(s => (string?)s));

    public static readonly Gen<Mm4Address> Address = Gen.OneOf(
        from n in s_e164 select Mm4Address.Plmn(n),
        from n in s_e164 from d in s_domain select Mm4Address.Plmn(n, d),
        from n in s_e164 from dn in s_displayName select Mm4Address.Plmn(n).WithDisplayName(dn),
        from a in Gen.Choose(0, 255) from b in Gen.Choose(0, 255) from c in Gen.Choose(0, 255) from d in Gen.Choose(0, 255)
        select Mm4Address.Ip(new IPAddress([(byte)a, (byte)b, (byte)c, (byte)d])),
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255), 16) select Mm4Address.Ip(new IPAddress(bytes.Select(x => (byte)x).ToArray())),
        from l in Token(1, 20) from d in s_domain from dn in s_displayName select Mm4Address.Email(l + "@" + d, dn));

    private static readonly Gen<DateTimeOffset> s_date =
        from y in Gen.Choose(1971, 2099)
        from mo in Gen.Choose(1, 12)
        from d in Gen.Choose(1, 28)
        from secs in Gen.Choose(0, 86399)
        from q in Gen.Choose(-14 * 4, 14 * 4)
        select new DateTimeOffset(y, mo, d, 0, 0, 0, TimeSpan.FromMinutes(q * 15)).AddSeconds(secs);

    private static Gen<T?> Maybe<T>(Gen<T> g) where T : struct => Gen.OneOf(Gen.Constant<T?>(null), g.Select(x => (T?)x));

    private static Gen<T> EnumValue<T>() where T : struct, Enum => Gen.Elements(Enum.GetValues<T>());

    private static readonly Gen<bool?> s_bool = Maybe(Gen.Elements(true, false));

    private static readonly Gen<Mm4Expiry> s_expiry = Gen.OneOf(
        s_date.Select(Mm4Expiry.Absolute),
        Gen.Choose(0, int.MaxValue).Select(s => Mm4Expiry.Relative(TimeSpan.FromSeconds(s))));

    private static readonly Gen<Mm4Content> s_content = Gen.OneOf(
        ArbMap.Default.GeneratorFor<byte[]>().Select(b => Mm4Content.FromBytes("application/octet-stream", b ?? [])),
        s_text.Select(Mm4Content.FromText),
        from smil in s_text from img in ArbMap.Default.GeneratorFor<byte[]>() from txt in s_text
        select new Mm4Content(MimeMultipartBuilder.Related("<smil>", "application/smil")
            .Add(new MimePartBuilder("application/smil").ContentId("<smil>").Content(Encoding.UTF8.GetBytes(smil), "quoted-printable").Build())
            .Add(new MimePartBuilder("image/jpeg").ContentId("<img>").Content(img ?? []).Build())
            .Add(new MimePartBuilder("text/plain; charset=utf-8").ContentId("<txt>").Content(Encoding.UTF8.GetBytes(txt), "base64").Build())
            .Build()));

    private static readonly Gen<Mm4RequestStatus> s_requestStatus = Gen.OneOf(
        EnumValue<RequestStatusCode>().Where(c => c != RequestStatusCode.Unknown).Select(Mm4RequestStatus.From),
        Token(1, 30).Select(t => Mm4RequestStatus.Parse("X-" + t)));

    private static readonly Gen<Mm4MmStatus> s_mmStatus = Gen.OneOf(
        EnumValue<MmStatusCode>().Where(c => c != MmStatusCode.Unknown).Select(Mm4MmStatus.From),
        Token(1, 30).Select(t => Mm4MmStatus.Parse("X-" + t)));

    private static readonly Gen<(string Version, string Tid, string Mid, Mm4Address? Sender, Mm4Address? Origin, string? RfcId)> s_common =
        from v in Gen.Elements("5.5.0", "6.3.0", "6.5.0", "6.10.0")
        from tid in s_id
        from mid in s_id
        from sender in Gen.OneOf(Gen.Constant<Mm4Address?>(null), Address.Select(a => (Mm4Address?)a))
        from origin in Gen.OneOf(Gen.Constant<Mm4Address?>(null), Address.Select(a => (Mm4Address?)a))
        from rfc in Gen.OneOf(Gen.Constant<string?>(null), s_id.Select(s => (string?)s))
        select (v, tid, mid, sender, origin, rfc);

    public static Arbitrary<Mm4ForwardRequest> ForwardRequests() =>
        (from c in s_common
         from fromAddr in Address
         from to in Gen.ListOf(Address).Select(l => l.ToArray())
         from cc in Gen.ListOf(Address).Select(l => l.ToArray())
         from extraTo in Address
         from date in s_date
         from subject in s_optionalText
         from content in s_content
         from cls in Maybe(EnumValue<MessageClass>())
         from expiry in Maybe(s_expiry)
         from flags in Gen.ArrayOf(s_bool, 7)
         from prio in Maybe(EnumValue<Priority>())
         from vis in Maybe(EnumValue<SenderVisibility>())
         from counter in Maybe(Gen.Choose(0, 1000))
         from vasp in Gen.OneOf(Gen.Constant<string?>(null), Token(1, 20).Select(s => (string?)s))
         from cclass in Gen.OneOf(Gen.Constant<string?>(null), Gen.Elements("text", "image-basic", "content-rich").Select(s => (string?)s))
         select new Mm4ForwardRequest
         {
             MmsVersion = c.Version, TransactionId = c.Tid, MessageId = c.Mid, Sender = c.Sender, OriginatorSystem = c.Origin, RfcMessageId = c.RfcId,
             From = fromAddr, To = to.Length + cc.Length == 0 ? [extraTo] : to, Cc = cc, Date = date, Subject = subject, Content = content,
             MessageClass = cls, Expiry = expiry, DeliveryReport = flags[0], OriginatorRsDeliveryReport = flags[1], ReadReply = flags[2],
             AckRequest = flags[3], DrmContent = flags[4], AdaptationAllowed = flags[5], Priority = prio, SenderVisibility = vis,
             ForwardCounter = counter, VaspId = vasp, ApplicId = vasp, ContentClass = cclass,
         }).ToArbitrary();

    public static Arbitrary<Mm4Message> OtherMessages() =>
        Gen.OneOf(
            from c in s_common from to in Gen.ListOf(Address) from st in s_requestStatus from txt in s_optionalText from date in Maybe(s_date)
            from kind in Gen.Choose(0, 2)
            select kind switch
            {
                0 => (Mm4Message)new Mm4ForwardResponse { MmsVersion = c.Version, TransactionId = c.Tid, MessageId = c.Mid, Sender = c.Sender, OriginatorSystem = c.Origin, RfcMessageId = c.RfcId, To = [.. to], Date = date, RequestStatus = st, StatusText = txt },
                1 => new Mm4DeliveryReportResponse { MmsVersion = c.Version, TransactionId = c.Tid, MessageId = c.Mid, Sender = c.Sender, OriginatorSystem = c.Origin, RfcMessageId = c.RfcId, To = [.. to], Date = date, RequestStatus = st, StatusText = txt },
                _ => new Mm4ReadReplyReportResponse { MmsVersion = c.Version, TransactionId = c.Tid, MessageId = c.Mid, Sender = c.Sender, OriginatorSystem = c.Origin, RfcMessageId = c.RfcId, To = [.. to], Date = date, RequestStatus = st, StatusText = txt },
            },
            from c in s_common from to in Address from fromAddr in Address from date in s_date from st in s_mmStatus from fwd in Gen.Elements(true, false)
            from ext in Gen.OneOf(Gen.Constant<string?>(null), Token(1, 20).Select(s => (string?)s)) from txt in s_optionalText from ack in s_bool
            select (Mm4Message)new Mm4DeliveryReportRequest
            {
                MmsVersion = c.Version, TransactionId = c.Tid, MessageId = c.Mid, Sender = c.Sender, OriginatorSystem = c.Origin, RfcMessageId = c.RfcId,
                To = [to], From = fromAddr, Date = date, MmStatus = st, ForwardToOriginatorUa = fwd, MmStatusExtension = ext, StatusText = txt, AckRequest = ack,
            },
            from c in s_common from to in Address from fromAddr in Address from date in s_date from rs in EnumValue<ReadStatus>() from txt in s_optionalText from ack in s_bool
            select (Mm4Message)new Mm4ReadReplyReportRequest
            {
                MmsVersion = c.Version, TransactionId = c.Tid, MessageId = c.Mid, Sender = c.Sender, OriginatorSystem = c.Origin, RfcMessageId = c.RfcId,
                To = [to], From = fromAddr, Date = date, ReadStatus = rs, StatusText = txt, AckRequest = ack,
            }).ToArbitrary();

    public static Arbitrary<Mm4Address> Addresses() => Address.ToArbitrary();
}

public class RoundTripProperties
{
    [Property(Arbitrary = [typeof(Mm4Arbitraries)], MaxTest = 200)]
    public void ForwardRequest_WriteRead_SameValues_AndWriteIsStable(Mm4ForwardRequest m)
    {
        var bytes = m.ToBytes();
        var r = Mm4Reader.Read(bytes);
        Assert.True(r.IsSuccess, r.Error?.ToString());
        var back = Assert.IsType<Mm4ForwardRequest>(r.Message);
        Assert.Equal(m.TransactionId, back.TransactionId);
        Assert.Equal(m.MessageId, back.MessageId);
        Assert.Equal(m.RfcMessageId, back.RfcMessageId);
        Assert.Equal(m.MmsVersion, back.MmsVersion);
        Assert.Equal(m.From, back.From);
        Assert.Equal(m.Sender, back.Sender);
        Assert.Equal(m.OriginatorSystem, back.OriginatorSystem);
        Assert.Equal(m.To, back.To);
        Assert.Equal(m.Cc, back.Cc);
        Assert.Equal(m.Date, back.Date);
        Assert.Equal(m.Date!.Value.Offset, back.Date!.Value.Offset);
        Assert.Equal(m.Subject, back.Subject);
        Assert.Equal(m.Expiry, back.Expiry);
        Assert.Equal(m.MessageClass, back.MessageClass);
        Assert.Equal(m.Priority, back.Priority);
        Assert.Equal(m.SenderVisibility, back.SenderVisibility);
        Assert.Equal((m.DeliveryReport, m.OriginatorRsDeliveryReport, m.ReadReply, m.AckRequest, m.DrmContent, m.AdaptationAllowed),
                     (back.DeliveryReport, back.OriginatorRsDeliveryReport, back.ReadReply, back.AckRequest, back.DrmContent, back.AdaptationAllowed));
        Assert.Equal(m.ForwardCounter, back.ForwardCounter);
        Assert.Equal((m.VaspId, m.ApplicId, m.ContentClass), (back.VaspId, back.ApplicId, back.ContentClass));
        Assert.Equal(m.Content!.GetWireBody(), back.Content!.GetWireBody());
        Assert.Empty(back.ExtraHeaders);
        Assert.Equal(bytes, back.ToBytes());
    }

    [Property(Arbitrary = [typeof(Mm4Arbitraries)], MaxTest = 200)]
    public void ReportsAndResponses_WriteRead_SameValues_AndWriteIsStable(Mm4Message m)
    {
        var bytes = m.ToBytes();
        var r = Mm4Reader.Read(bytes);
        Assert.True(r.IsSuccess, r.Error?.ToString());
        var back = r.Message;
        Assert.Equal(m.GetType(), back.GetType());
        Assert.Equal((m.TransactionId, m.MessageId, m.MmsVersion, m.RfcMessageId), (back.TransactionId, back.MessageId, back.MmsVersion, back.RfcMessageId));
        Assert.Equal((m.From, m.Sender, m.OriginatorSystem, m.Date), (back.From, back.Sender, back.OriginatorSystem, back.Date));
        Assert.Equal(m.To, back.To);
        switch (m)
        {
            case Mm4ForwardResponse x: Assert.Equal((x.RequestStatus, x.StatusText), (((Mm4ForwardResponse)back).RequestStatus, ((Mm4ForwardResponse)back).StatusText)); break;
            case Mm4DeliveryReportResponse x: Assert.Equal((x.RequestStatus, x.StatusText), (((Mm4DeliveryReportResponse)back).RequestStatus, ((Mm4DeliveryReportResponse)back).StatusText)); break;
            case Mm4ReadReplyReportResponse x: Assert.Equal((x.RequestStatus, x.StatusText), (((Mm4ReadReplyReportResponse)back).RequestStatus, ((Mm4ReadReplyReportResponse)back).StatusText)); break;
            case Mm4DeliveryReportRequest x:
                var d = (Mm4DeliveryReportRequest)back;
                Assert.Equal((x.MmStatus, x.ForwardToOriginatorUa, x.MmStatusExtension, x.StatusText, x.AckRequest), (d.MmStatus, d.ForwardToOriginatorUa, d.MmStatusExtension, d.StatusText, d.AckRequest));
                break;
            case Mm4ReadReplyReportRequest x:
                var rr = (Mm4ReadReplyReportRequest)back;
                Assert.Equal((x.ReadStatus, x.StatusText, x.AckRequest), (rr.ReadStatus, rr.StatusText, rr.AckRequest));
                break;
        }
        Assert.Equal(bytes, back.ToBytes());
    }

    [Property(Arbitrary = [typeof(Mm4Arbitraries)], MaxTest = 500)]
    public void Address_FormatParse_RoundTrip(Mm4Address a) => Assert.Equal(a, Mm4Address.Parse(a.ToString()));

    [Property(MaxTest = 300)]
    public bool Reader_MutatedVectors_NeverThrow(byte[] noise, int position, bool replace)
    {
        var baseMsg = Vectors.Load("forward-req-operator.eml");
        var pos = (int)((uint)position % (uint)baseMsg.Length);
        noise ??= [];
        var tail = replace ? baseMsg.AsSpan(Math.Min(baseMsg.Length, pos + noise.Length)).ToArray() : baseMsg[pos..];
        var mutated = baseMsg[..pos].Concat(noise).Concat(tail).ToArray();
        var r = Mm4Reader.Read(mutated);
        if (r.IsSuccess) { _ = r.Message.ToBytes(); }
        return r.IsSuccess || r.Error is not null;
    }
}

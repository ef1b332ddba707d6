using System.Diagnostics;
using System.Text;
using Cpm.Interwork.Mime.Cpim;
using Cpm.Interwork.Mime.Imdn;
using Cpm.Interwork.Mime.ResourceLists;
using FsCheck.Xunit;

namespace Cpm.Interwork.Mime.Tests;

/// <summary>FsCheck 3 properties: what the builders write, the parser reads back unchanged; any corruption of a
/// vector ends in success or a rejection reason, never an exception, within a time budget.</summary>
public class PropertyTests
{
    private static readonly string[] s_encodings = ["base64", "quoted-printable", "binary", "8bit"];

    // header text as a user would give it: no controls, no lone surrogates, trimmed
    private static string Clean(string? s)
    {
        if (s is null) { return string.Empty; }
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { sb.Append(c).Append(s[++i]); continue; }
            if (c < 0x20 || c == 0x7F || char.IsSurrogate(c)) { continue; }
            sb.Append(c);
        }
        return sb.ToString().Trim();
    }

    [Property(MaxTest = 200)]
    public bool BuildWriteParse_MessageWithRandomHeadersParamsAndBodies_ReadsBackEqual(string? subject, string? displayName, string? paramValue, byte[][]? bodies, string? textPart)
    {
        subject = Clean(subject);
        displayName = Clean(displayName);
        paramValue = Clean(paramValue);
        textPart = Clean(textPart) + "\r\nline two ünï\r\n";
        bodies = (bodies ?? []).Where(b => b is not null).Take(4).ToArray();
        var related = MimeMultipartBuilder.Related("<p0>", "text/plain");
        related.Add(new MimePartBuilder("text/plain; charset=utf-8").ContentId("<p0>").Content(Encoding.UTF8.GetBytes(textPart), "quoted-printable").Build());
        for (var i = 0; i < bodies.Length; i++)
        {
            var ct = new ContentType("application", "octet-stream", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["name"] = paramValue + i });
            related.Add(new MimePartBuilder(ct.ToString()).ContentId($"<p{i + 1}@x>").ContentLocation($"part{i + 1}.bin").Content(bodies[i], s_encodings[i % s_encodings.Length]).Build());
        }
        var from = new MailboxAddress(displayName.Length == 0 ? null : displayName, "+15550100001/TYPE=PLMN");
        var message = new MimeMessageBuilder()
            .Header("From", [from])
            .Header("Subject", subject)
            .Header("X-Mms-Message-Type", "MM4_forward.REQ")
            .Body(related.Build())
            .Build();
        var bytes = message.ToBytes();

        var result = MimeParser.Parse(bytes, MimeParserOptions.Default);
        if (result.Entity is not MimeMultipart parsed) { return false; }
        var ok = parsed.Headers.Get("Subject")!.DecodedValue == subject
            && MailboxAddress.Parse(parsed.Headers.Get("From")!.Value) == from
            && parsed.Parts.Count == bodies.Length + 1
            && ((MimePart)parsed.Root!).GetText() == textPart
            && parsed.ToBytes().AsSpan().SequenceEqual(bytes);
        for (var i = 0; i < bodies.Length && ok; i++)
        {
            var part = (MimePart)parsed.FindByContentId($"p{i + 1}@x")!;
            ok = part.GetDecodedContent().AsSpan().SequenceEqual(bodies[i])
                && part.ContentType.GetParameter("name") == paramValue + i
                && part.ContentLocation == $"part{i + 1}.bin";
        }
        return ok && HeaderLinesWithin78(parsed);
    }

    [Property(MaxTest = 200)]
    public bool RandomExtraHeaders_KeepOrderAndValues(string?[]? values)
    {
        var headers = (values ?? []).Take(30).Select((v, i) => ($"X-Random-{i}", Clean(v))).ToList();
        var b = new MimeMessageBuilder();
        foreach (var (n, v) in headers) { b.Header(n, v); }
        var bytes = b.Build().ToBytes();
        var parsed = MimeParser.Parse(bytes, MimeParserOptions.Default).Entity;
        if (parsed is null) { return false; }
        var read = parsed.Headers.Where(h => h.Name.StartsWith("X-Random-", StringComparison.Ordinal)).Select(h => (h.Name, h.DecodedValue)).ToList();
        return read.SequenceEqual(headers) && bytes.All(x => x < 127) && HeaderLinesWithin78(parsed);
    }

    private static bool HeaderLinesWithin78(MimeEntity e)
    {
        var w = new System.Buffers.ArrayBufferWriter<byte>();
        e.Headers.WriteTo(w);
        var lines = Encoding.UTF8.GetString(w.WrittenSpan).Split("\r\n");
        var children = e is MimeMultipart m ? m.Parts : [];
        // a line may exceed 78 only when it holds a single unbreakable word (after the "Name:" on the first line)
        return lines.All(l => l.Length <= 78 || (l.Length <= 998 && SingleWord(l))) && children.All(HeaderLinesWithin78);

        static bool SingleWord(string line)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var rest = line[0] is ' ' or '\t' || colon < 0 ? line : line[(colon + 1)..];
            return rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Length == 1;
        }
    }

    [Property(MaxTest = 200)]
    public bool CpimBuildParse_RandomValuesAndBinaryBody_ReadBackEqual(string? name, string? subject, string? messageId, byte[]? body, bool display)
    {
        name = Clean(name);
        subject = Clean(subject);
        messageId = Clean(messageId).Replace(" ", string.Empty, StringComparison.Ordinal);
        if (messageId.Length == 0) { messageId = "id"; }
        body ??= [];
        var from = new CpimAddress(name.Length == 0 ? null : name, "sip:+15550100001@ims.example.com");
        var notify = display ? DispositionNotification.Display | DispositionNotification.PositiveDelivery : DispositionNotification.NegativeDelivery;
        var bytes = new CpimMessageBuilder().From(from).To(new CpimAddress(null, "tel:+15550100002")).Subject(subject, "en")
            .Imdn(messageId, notify).ContentType("application/octet-stream").Body(body).ToBytes();
        var m = CpimMessage.Parse(bytes, MimeParserOptions.Default);
        return m is not null && m.From == from && m.Subjects.Single() == new CpimSubject(subject, "en") && m.ImdnMessageId == messageId
            && m.DispositionNotification == notify && m.Body.Span.SequenceEqual(body);
    }

    [Property(MaxTest = 100)]
    public bool ResourceListWriteRead_RandomEntries_Equal(string?[]? names, bool[]? flags)
    {
        names ??= [];
        flags ??= [];
        var entries = names.Take(20).Select((n, i) => new ResourceListEntry(
            "sip:u" + i + "@example.com", Clean(n) is { Length: > 0 } c ? c : null, (CopyControl)(i % 4), i < flags.Length && flags[i])).ToList();
        var list = new ResourceList(entries);
        var back = ResourceList.Parse(list.ToXml(), null, out _);
        return back is not null && back.Entries.SequenceEqual(entries);
    }

    [Property(MaxTest = 100)]
    public bool EncodedWords_AnyCharset_RoundTrip(string? s, bool latin1)
    {
        s = Clean(s);
        var enc = latin1 ? Encoding.Latin1 : Encoding.UTF8;
        if (latin1) { s = new string(s.Where(c => c <= 0xFF).ToArray()); }
        var e = EncodedWords.Encode(s, enc);
        return EncodedWords.Decode(e) == s && e.All(c => c < 127 || e == s)
            && e.Split(' ').Where(w => w.StartsWith("=?", StringComparison.Ordinal)).All(w => w.Length <= EncodedWords.MaxWordLength);
    }

    public static IReadOnlyList<byte[]> Corpus { get; } = [.. Vectors.Names("*").Where(n => !n.EndsWith(".jpg", StringComparison.Ordinal) && n != ".gitattributes").Select(Vectors.Read)];

    /// <summary>Corrupts a vector: overwrite, insert, delete and duplicate operations at random places.</summary>
    private static byte[] Mutate(byte[] input, (int Op, int Position, byte Value)[] ops)
    {
        var data = new List<byte>(input);
        foreach (var (op, position, value) in ops.Take(16))
        {
            var pos = data.Count == 0 ? 0 : (int)((uint)position % (uint)data.Count);
            switch ((uint)op % 5)
            {
                case 0 when data.Count > 0: data[pos] = value; break;
                case 1: data.Insert(pos, value); break;
                case 2 when data.Count > 0: data.RemoveRange(pos, Math.Min(value, data.Count - pos)); break;
                case 3: data.InsertRange(pos, data.Skip(pos).Take(value).ToList()); break;
                default: data.InsertRange(pos, "\r\n--"u8.ToArray()); break;
            }
        }
        return [.. data];
    }

    [Property(MaxTest = 400)]
    public bool MutatedVectors_EndInSuccessOrRejection_WithinBudget(int vector, (int, int, byte)[]? ops)
    {
        var input = Mutate(Corpus[(int)((uint)vector % (uint)Corpus.Count)], ops ?? []);
        var sw = Stopwatch.StartNew();

        var mime = MimeParser.Parse(input, MimeParserOptions.Default);
        if (!(mime.IsSuccess ^ (mime.Reason != MimeRejectionReason.None))) { return false; }
        if (mime.Entity is { } e) { Touch(e); }

        var cpimOk = CpimMessage.TryParse(input, MimeParserOptions.Default, out var cpim, out var cpimReason);
        if (cpimOk != (cpimReason == CpimRejectionReason.None)) { return false; }
        if (cpim is not null)
        {
            _ = (cpim.From, cpim.To.ToList(), cpim.Cc.ToList(), cpim.DateTime, cpim.Subjects, cpim.Require, cpim.ImdnMessageId, cpim.DispositionNotification, cpim.ContentType, cpim.GetDecodedBody());
        }

        var imdn = ImdnDocument.Parse(input, null, out var imdnReason);
        if ((imdn is null) == (imdnReason == ImdnRejectionReason.None)) { return false; }
        var list = ResourceList.Parse(input, null, out var listReason);
        if ((list is null) == (listReason == ResourceListRejectionReason.None)) { return false; }
        return sw.ElapsedMilliseconds < 1000;
    }

    private static void Touch(MimeEntity e)
    {
        foreach (var h in e.Headers) { _ = (h.Value, h.DecodedValue, MailboxAddress.ParseList(h.Value)); }
        _ = (e.ContentType.ToString(), e.ContentDisposition?.ToString(), e.ContentId, e.ContentLocation, e.ToBytes());
        switch (e)
        {
            case MimePart p: _ = (p.GetDecodedContent(), p.GetText()); break;
            case MimeMultipart m: _ = m.Root; foreach (var c in m.Parts) { Touch(c); } break;
            case MimeMessagePart mp: Touch(mp.Message); break;
        }
    }
}

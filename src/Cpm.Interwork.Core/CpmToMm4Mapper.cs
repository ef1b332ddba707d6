using Cpm.Interwork.Mime;
using Cpm.Interwork.Mime.Cpim;
using Cpm.Interwork.Mime.Imdn;
using Cpm.Interwork.Mime.ResourceLists;
using Cpm.Interwork.Mm4;
using Cpm.Interwork.Sip;

namespace Cpm.Interwork.Core;

/// <summary>
/// CPM MESSAGE → MM (OMA CPM–MMS interworking Table 1, see docs/mapping.md). Pure: the clock and the ID generator are
/// injected; a MESSAGE that cannot be mapped is a <see cref="CpmMappingFailure"/> (data), never an exception.
/// </summary>
public sealed class CpmToMm4Mapper
{
    private readonly InterworkOptions _options;
    private readonly IMm4IdGenerator _ids;
    private readonly TimeProvider _time;
    private readonly MimeParserOptions _mime;
    private readonly ResourceListParserOptions _lists;

    public CpmToMm4Mapper(InterworkOptions options, IMm4IdGenerator ids, TimeProvider time, MimeParserOptions? mime = null, ResourceListParserOptions? lists = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _ids = ids;
        _time = time;
        _mime = mime ?? MimeParserOptions.Default;
        _lists = lists ?? new ResourceListParserOptions { MaxEntries = Math.Max(options.MaxRecipients, 1) };
    }

    /// <summary>Maps a parsed SIP MESSAGE (body: message/cpim, text/*, or multipart/mixed with a recipient list).</summary>
    public CpmMappingResult Map(SipRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = _time.GetUtcNow();

        // Content-Type and body (Table 1: Content-Type → Content type, Body → Content)
        if (request.Body.IsEmpty) { return CpmMappingResult.Fail(CpmMappingError.EmptyBody, "MESSAGE without a body"); }
        if (request.ContentType is not { Length: > 0 } sipType) { return CpmMappingResult.Fail(CpmMappingError.MalformedContent, "MESSAGE body without Content-Type"); }
        var body = Body.Read(sipType, request.Body, _mime, _lists);
        if (body.Failure is { } bf) { return CpmMappingResult.Fail(bf.Error, bf.Detail, bf.Uri); }

        // From / P-Asserted-Identity → Sender address; anonymous → Sender visibility Hide
        var sender = ResolveSender(request, body.Cpim);
        if (sender.Failure is { } sf) { return CpmMappingResult.Fail(sf.Error, sf.Detail, sf.Uri); }
        var correlation = new CpmCorrelation(request.CallId, body.Cpim?.ImdnMessageId, sender.Uri!, sender.E164!);

        // Request-URI / URI list → Recipient(s) address
        var recipients = ResolveRecipients(request, body.List);
        if (recipients.Failure is { } rf) { return CpmMappingResult.Fail(rf.Error, rf.Detail, rf.Uri); }

        if (body.Imdn is { } imdn)
        {
            return CpmMappingResult.Ok(new CpmNotificationReceived(imdn, correlation, recipients.List![0].E164));
        }

        var forward = new CpmForward
        {
            Correlation = correlation,
            Mm4MessageId = _ids.NewMessageId(),
            Sender = Mm4Address.Plmn(sender.E164!),
            Recipients = recipients.List!,
            Content = body.Content!,
            Date = request.DateValue ?? body.Cpim?.DateTime ?? now,
            Expiry = ExpiryOf(request, now),
            RequestedNotifications = (body.Cpim?.DispositionNotification ?? DispositionNotification.None) | SipDisposition(request),
            Priority = PriorityOf(request.Priority),
            SenderVisibility = sender.Anonymous ? SenderVisibility.Hide : null,
            Subject = SubjectOf(request, body.Cpim),
            ForwardCounter = request.MaxForwards is { } mf ? Math.Max(0, _options.InitialMaxForwards - mf) : null,
        };
        return CpmMappingResult.Ok(forward);
    }

    /// <summary>Table 1 Priority: non-urgent → Low, normal → Normal, urgent and emergency → High; other values omit the header.</summary>
    public static Priority? PriorityOf(string? sipPriority) => sipPriority?.Trim().ToLowerInvariant() switch
    {
        "non-urgent" => Priority.Low,
        "normal" => Priority.Normal,
        "urgent" => Priority.High,
        "emergency" => Priority.High,
        _ => null,
    };

    /// <summary>Table 1 Subject: the CPIM Subject (end to end, written by the client) wins over the SIP Subject.</summary>
    private static string? SubjectOf(SipRequest request, CpimMessage? cpim) =>
        cpim?.Subject is { Length: > 0 } s ? s : request.Subject is { Length: > 0 } t ? t : null;

    /// <summary>Table 1 Expires → Time of Expiry: now + Expires seconds (capped at MaxExpiry); absent or 0 → DefaultExpiry.</summary>
    private DateTimeOffset? ExpiryOf(SipRequest request, DateTimeOffset now)
    {
        if (request.Expires is { } seconds && seconds > 0)
        {
            var after = TimeSpan.FromSeconds(Math.Min(seconds, (long)_options.MaxExpiry.TotalSeconds));
            return now + after;
        }
        return _options.DefaultExpiry is { } d ? now + d : null;
    }

    /// <summary>A SIP-level Disposition-Notification header (some clients put it there instead of, or beside, CPIM).</summary>
    private static DispositionNotification SipDisposition(SipRequest request)
    {
        var r = DispositionNotification.None;
        foreach (var v in request.GetHeaderListValues("Disposition-Notification")) { r |= ParseDisposition(v); }
        return r;
    }

    internal static DispositionNotification ParseDisposition(string value)
    {
        var r = DispositionNotification.None;
        foreach (var t in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            r |= t.ToLowerInvariant() switch
            {
                "positive-delivery" => DispositionNotification.PositiveDelivery,
                "negative-delivery" => DispositionNotification.NegativeDelivery,
                "display" => DispositionNotification.Display,
                "processing" => DispositionNotification.Processing,
                _ => DispositionNotification.None,
            };
        }
        return r;
    }

    private readonly record struct SenderResult(string? E164, string? Uri, bool Anonymous, CpmMappingFailure? Failure);

    private SenderResult ResolveSender(SipRequest request, CpimMessage? cpim)
    {
        // The SIP parser refuses a request without From; a rejected-but-answerable request may still reach here.
        if (!request.HasHeader(SipHeaderNames.From)) { return new(null, null, false, new(CpmMappingError.MissingSender, "no From header")); }
        var from = request.From;
        if (string.IsNullOrWhiteSpace(from.Uri)) { return new(null, null, false, new(CpmMappingError.MissingSender, "no From URI")); }

        var privacy = request.Privacy.Any(p => p.Equals("id", StringComparison.OrdinalIgnoreCase) || p.Equals("user", StringComparison.OrdinalIgnoreCase) || p.Equals("header", StringComparison.OrdinalIgnoreCase));
        var anonymous = string.Equals(from.DisplayName?.Trim(), "Anonymous", StringComparison.OrdinalIgnoreCase)
            || E164Addressing.IsAnonymousUri(from.Uri)
            || privacy
            || (cpim?.From is { } cf && (E164Addressing.IsAnonymousUri(cf.Address) || string.Equals(cf.DisplayName?.Trim(), "Anonymous", StringComparison.OrdinalIgnoreCase)));

        if (_options.TrustPAssertedIdentity)
        {
            foreach (var pai in request.PAssertedIdentities)
            {
                if (E164Addressing.TryGetE164(pai.Uri, out var e, out _)) { return new(e, pai.Uri, anonymous, null); }
            }
        }
        if (E164Addressing.TryGetE164(from.Uri, out var number, out _)) { return new(number, from.Uri, anonymous, null); }
        if (E164Addressing.IsAnonymousUri(from.Uri))
        {
            return new(null, null, true, new(CpmMappingError.AnonymousWithoutIdentity, "anonymous sender without a trusted P-Asserted-Identity", from.Uri));
        }
        return new(null, null, anonymous, new(CpmMappingError.SenderNotE164, "sender " + from.Uri + " is not an E.164 number", from.Uri));
    }

    private readonly record struct RecipientsResult(IReadOnlyList<CpmRecipient>? List, CpmMappingFailure? Failure);

    private RecipientsResult ResolveRecipients(SipRequest request, ResourceList? list)
    {
        var result = new List<CpmRecipient>();
        IEnumerable<(string Uri, RecipientRole Role)> source = list is null
            ? [(request.RequestUri, RecipientRole.To)]
            : list.Entries.Select(e => (e.Uri, e.EffectiveCopyControl switch { CopyControl.Cc => RecipientRole.Cc, CopyControl.Bcc => RecipientRole.Bcc, _ => RecipientRole.To }));
        foreach (var (uri, role) in source)
        {
            if (!E164Addressing.TryGetE164(uri, out var e164, out var error))
            {
                return error == E164UriError.LocalNumber
                    ? new(null, new(CpmMappingError.IncompleteRecipient, "recipient " + uri + " is not a global (+E.164) number", uri))
                    : new(null, new(CpmMappingError.NotE164Recipient, "recipient " + uri + " is not an E.164 number", uri));
            }
            var existing = result.FindIndex(r => r.E164 == e164);
            if (existing < 0) { result.Add(new CpmRecipient(e164, uri, role)); }
            else if (role < result[existing].Role) { result[existing] = result[existing] with { Role = role }; }
        }
        if (result.Count == 0) { return new(null, new(CpmMappingError.NoRecipients, "the URI list holds no recipient")); }
        if (result.Count > _options.MaxRecipients) { return new(null, new(CpmMappingError.TooManyRecipients, $"{result.Count} recipients, at most {_options.MaxRecipients} allowed")); }
        return new(result, null);
    }

    /// <summary>What the MESSAGE body holds: the CPIM wrapper (if any), the MM content or an IMDN, the recipient list.</summary>
    private sealed record Body(CpimMessage? Cpim, Mm4Content? Content, ImdnDocument? Imdn, ResourceList? List, CpmMappingFailure? Failure)
    {
        public static Body Fail(CpmMappingError e, string detail) => new(null, null, null, null, new CpmMappingFailure(e, detail));

        public static Body Read(string sipContentType, ReadOnlyMemory<byte> bytes, MimeParserOptions mime, ResourceListParserOptions lists)
        {
            var ct = ContentType.Parse(sipContentType);
            if (ct.Is("multipart", "mixed"))
            {
                var parsed = CpmContent.ParseEntity([(MimeHeaderNames.ContentType, sipContentType)], bytes, mime);
                if (!parsed.IsSuccess || parsed.Entity is not MimeMultipart mm || mm.Parts.Count == 0)
                {
                    return Fail(CpmMappingError.MalformedContent, "unreadable multipart body: " + parsed.Reason);
                }
                if (RecipientListBody.TryRead(mm, lists, out var message, out var list, out var reason))
                {
                    var inner = message switch
                    {
                        MimePart p => Single(p.ContentType, p.Headers, p.GetDecodedContent(), mime),
                        MimeMultipart m => new Body(null, CpmContent.Multipart(m), null, null, null),
                        _ => Fail(CpmMappingError.UnsupportedContent, "unsupported message part"),
                    };
                    return inner with { List = list };
                }
                if (reason == ResourceListRejectionReason.TooManyEntries) { return Fail(CpmMappingError.TooManyRecipients, "the URI list has too many entries"); }
                if (reason != ResourceListRejectionReason.NotResourceLists) { return Fail(CpmMappingError.MalformedRecipientList, "unreadable recipient list: " + reason); }
                return new Body(null, CpmContent.Multipart(mm), null, null, null);
            }
            var headers = new MimeHeaderList([MimeHeader.Create(MimeHeaderNames.ContentType, sipContentType)]);
            return Single(ct, headers, bytes.ToArray(), mime);
        }

        private static Body Single(ContentType ct, MimeHeaderList headers, byte[] content, MimeParserOptions mime)
        {
            if (ct.Is("message", "cpim"))
            {
                if (!CpimMessage.TryParse(content, mime, out var cpim, out var reason) || cpim is null)
                {
                    return Fail(CpmMappingError.MalformedCpim, "unreadable CPIM: " + reason);
                }
                return FromCpim(cpim, mime);
            }
            if (string.Equals(ct.MediaType, "text", StringComparison.OrdinalIgnoreCase))
            {
                return new Body(null, CpmContent.Leaf(headers, content), null, null, null);
            }
            return Fail(CpmMappingError.UnsupportedContent, "content type " + ct.MimeType + " cannot be sent as MMS");
        }

        /// <summary>CPIM headers the gateway understands (RFC 3862 §3.3 and the imdn namespace of RFC 5438).</summary>
        private static readonly string[] s_understood = ["From", "To", "cc", "DateTime", "Subject", "NS", "Require"];

        private static Body FromCpim(CpimMessage cpim, MimeParserOptions mime)
        {
            // RFC 3862 §3.3.8: a message whose Require names a header we do not understand must not be processed.
            foreach (var required in cpim.Require)
            {
                var dot = required.IndexOf('.', StringComparison.Ordinal);
                var understood = dot > 0
                    ? cpim.Namespaces.TryGetValue(required[..dot], out var urn) && string.Equals(urn, CpimMessage.ImdnNamespace, StringComparison.OrdinalIgnoreCase)
                    : s_understood.Contains(required, StringComparer.OrdinalIgnoreCase);
                if (!understood) { return Fail(CpmMappingError.UnsupportedContent, "CPIM requires header " + required + " that the gateway does not understand"); }
            }
            var inner = cpim.ContentType;
            if (inner.Is("message", "imdn+xml"))
            {
                var imdn = ImdnDocument.Parse(cpim.GetDecodedBody(), null, out var reason);
                return imdn is null ? Fail(CpmMappingError.MalformedContent, "unreadable IMDN: " + reason) : new Body(cpim, null, imdn, null, null);
            }
            if (inner.IsMultipart)
            {
                var parsed = CpmContent.ParseEntity(cpim.ContentHeaders.Select(h => (h.Name, h.Value)), cpim.Body, mime);
                if (!parsed.IsSuccess || parsed.Entity is not MimeMultipart mm || mm.Parts.Count == 0)
                {
                    return Fail(CpmMappingError.MalformedContent, "unreadable multipart content in CPIM: " + parsed.Reason);
                }
                return new Body(cpim, CpmContent.Multipart(mm), null, null, null);
            }
            if (!IsMmsMedia(inner))
            {
                return Fail(CpmMappingError.UnsupportedContent, "content type " + inner.MimeType + " cannot be sent as MMS");
            }
            return new Body(cpim, CpmContent.Leaf(cpim.ContentHeaders, cpim.GetDecodedBody()), null, null, null);
        }

        /// <summary>Media an MM can carry (TS 23.140 content: text, image, audio, video, SMIL); anything else is 415.</summary>
        private static bool IsMmsMedia(ContentType ct) =>
            ct.MediaType.ToLowerInvariant() is "text" or "image" or "audio" or "video" || ct.Is("application", "smil");
    }
}

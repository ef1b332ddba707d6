using Cpm.Interwork.Mime;
using Cpm.Interwork.Mime.Cpim;
using Cpm.Interwork.Mm4;
using Cpm.Interwork.Sip;

namespace Cpm.Interwork.Core;

/// <summary>Why an inbound MM cannot be delivered to a CPM user as a pager-mode MESSAGE.</summary>
public enum Mm4InboundError
{
    None = 0,
    /// <summary>The RCPT TO recipient is not a PLMN (+E.164) address.</summary>
    RecipientNotE164,
    /// <summary>The sender is not a PLMN or mailbox address (IPv4/IPv6/other types).</summary>
    UnsupportedSender,
    /// <summary>The message/cpim body is larger than Cpm:PagerModeMaxBytes (Large Message mode over MSRP is not implemented).</summary>
    TooLargeForPagerMode,
}

/// <summary>An inbound mapping failure as data, with the MM4_forward.RES status (and status text) it maps to.</summary>
public sealed record Mm4InboundFailure(Mm4InboundError Error, string StatusText)
{
    public Mm4RequestStatus RequestStatus => Mm4ToCpmMapper.StatusOf(Error);
}

/// <summary>
/// A SIP MESSAGE to send to one CPM user (MM4 → CPM, docs/mapping.md). The transaction layer adds Via, Call-ID, CSeq and
/// the From tag (or passes them to <see cref="ToBuilder"/>).
/// </summary>
public sealed record CpmOutboundMessage
{
    public const string CpmMessageIcsi = "urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg";
    public const string AcceptContactValue = "*;+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.msg\"";

    public required string RequestUri { get; init; }
    /// <summary>From as a name-addr without tag.</summary>
    public required string From { get; init; }
    /// <summary>To as a name-addr.</summary>
    public required string To { get; init; }
    /// <summary>Other headers in order (Accept-Contact, P-Asserted-Service, P-Asserted-Identity, Privacy, Priority, …).</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; }
    public string ContentType { get; init; } = "message/cpim";
    public required ReadOnlyMemory<byte> Body { get; init; }
    /// <summary>The fresh imdn.Message-ID (stored against X-Mms-Message-ID to correlate IMDNs).</summary>
    public required string ImdnMessageId { get; init; }
    public DispositionNotification RequestedNotifications { get; init; }

    /// <summary>A request builder holding everything; Via (when given) first, then From with <paramref name="fromTag"/>, To, Call-ID, CSeq, Max-Forwards.</summary>
    public SipRequestBuilder ToBuilder(string callId, string fromTag, long cseq, string? via = null, int maxForwards = 70)
    {
        var b = new SipRequestBuilder(SipMethods.Message, RequestUri);
        if (via is not null) { b.Header(SipHeaderNames.Via, via); }
        b.From(From + ";tag=" + fromTag).To(To).CallId(callId).CSeq(cseq).MaxForwards(maxForwards);
        foreach (var h in Headers) { b.Header(h.Key, h.Value); }
        return b.Body(Body, ContentType);
    }
}

/// <summary>Result of <see cref="Mm4ToCpmMapper.Map"/>: a MESSAGE to send or a failure.</summary>
public sealed record Mm4InboundResult(CpmOutboundMessage? Message, Mm4InboundFailure? Failure)
{
    public bool IsSuccess => Failure is null;
}

/// <summary>MM4_forward.REQ + one RCPT TO recipient → SIP MESSAGE with a CPIM body (issue 5 item 2). Pure.</summary>
public sealed class Mm4ToCpmMapper
{
    private readonly ImsOptions _ims;
    private readonly CpmOptions _cpm;

    public Mm4ToCpmMapper(ImsOptions ims, CpmOptions cpm)
    {
        ArgumentNullException.ThrowIfNull(ims);
        ArgumentNullException.ThrowIfNull(cpm);
        _ims = ims;
        _cpm = cpm;
    }

    /// <summary>The MM4_forward.RES status of an inbound failure.</summary>
    public static Mm4RequestStatus StatusOf(Mm4InboundError error) => Mm4RequestStatus.From(error switch
    {
        Mm4InboundError.RecipientNotE164 => RequestStatusCode.ErrorSendingAddressUnresolved,
        Mm4InboundError.UnsupportedSender => RequestStatusCode.ErrorUnsupportedMessage,
        Mm4InboundError.TooLargeForPagerMode => RequestStatusCode.ErrorContentNotAccepted,
        _ => RequestStatusCode.ErrorUnspecified,
    });

    /// <summary>The URI of a PLMN number on the IMS side (Ims:UriForm, Ims:Domain).</summary>
    public string UriOf(string e164) => E164Addressing.ToImsUri(e164, _ims.UriForm, _ims.Domain);

    /// <param name="request">The received forward.</param>
    /// <param name="recipient">One recipient taken from RCPT TO (qualified or not).</param>
    /// <param name="imdnMessageId">A fresh imdn.Message-ID (from the caller's generator, stored against X-Mms-Message-ID).</param>
    public Mm4InboundResult Map(Mm4ForwardRequest request, Mm4Address recipient, string imdnMessageId)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentException.ThrowIfNullOrEmpty(imdnMessageId);
        if (E164Addressing.FromMm4(recipient) is not { } toE164)
        {
            return Fail(Mm4InboundError.RecipientNotE164, "recipient " + recipient.AddressSpec + " is not an E.164 number");
        }
        var hidden = request.SenderVisibility == SenderVisibility.Hide;
        string? senderUri = request.From switch
        {
            { Kind: Mm4AddressKind.Plmn } f => UriOf(f.Value),
            { Kind: Mm4AddressKind.Email } f => "sip:" + f.Value,
            _ => null,
        };
        if (senderUri is null && !hidden)
        {
            return Fail(Mm4InboundError.UnsupportedSender, "sender " + request.From?.AddressSpec + " cannot be written as a SIP URI");
        }
        var fromUri = hidden ? E164Addressing.AnonymousUri : senderUri!;
        var fromName = hidden ? "Anonymous" : request.From?.DisplayName is { Length: > 0 } dn ? OneLine(dn).Trim() : null;
        var toUri = UriOf(toE164);

        var notifications = DispositionNotification.None;
        if (request.DeliveryReport == true) { notifications |= DispositionNotification.PositiveDelivery | DispositionNotification.NegativeDelivery; }
        if (request.ReadReply == true) { notifications |= DispositionNotification.Display; }

        var cpim = new CpimMessageBuilder()
            .From(new CpimAddress(fromName, fromUri))
            .To(new CpimAddress(null, toUri));
        if (request.Date is { } date) { cpim.DateTime(date); }
        if (request.Subject is { Length: > 0 } subject)
        {
            // CpimMessageBuilder writes a value starting with ';' as "Subject:;…", which reads back as parameters: keep a space.
            var line = OneLine(subject);
            cpim.Subject(line.StartsWith(';') ? " " + line : line);
        }
        cpim.Imdn(imdnMessageId, notifications);
        AddContent(cpim, _cpm.TextOnlyMmAsText && SingleText(request.Content!.Entity) is { } text ? new Mm4Content(text) : request.Content!);
        var body = cpim.ToBytes();
        if (body.Length > _cpm.PagerModeMaxBytes)
        {
            return Fail(Mm4InboundError.TooLargeForPagerMode, "Large Message mode (MSRP) not supported yet");
        }

        var headers = new List<KeyValuePair<string, string>>
        {
            new(SipHeaderNames.AcceptContact, CpmOutboundMessage.AcceptContactValue),
            new(SipHeaderNames.PAssertedService, CpmOutboundMessage.CpmMessageIcsi),
        };
        if (_ims.AssertIdentity && senderUri is not null) { headers.Add(new(SipHeaderNames.PAssertedIdentity, "<" + senderUri + ">")); }
        if (hidden) { headers.Add(new(SipHeaderNames.Privacy, "id")); }
        if (request.Priority is { } p) { headers.Add(new(SipHeaderNames.Priority, p switch { Priority.Low => "non-urgent", Priority.High => "urgent", _ => "normal" })); }

        return new Mm4InboundResult(new CpmOutboundMessage
        {
            RequestUri = toUri,
            From = NameAddr(fromName, fromUri),
            To = "<" + toUri + ">",
            Headers = headers,
            Body = body,
            ImdnMessageId = imdnMessageId,
            RequestedNotifications = notifications,
        }, null);
    }

    /// <summary>
    /// The MM content in the CPIM body: a leaf goes decoded (SIP is 8-bit clean) with its Content-Type/ID/Location/Disposition;
    /// a multipart (multipart/related with SMIL) goes whole, as written, each part keeping its own transfer encoding.
    /// </summary>
    private static void AddContent(CpimMessageBuilder cpim, Mm4Content content)
    {
        var entity = content.Entity;
        if (entity is MimePart part)
        {
            foreach (var h in part.Headers)
            {
                if (h.Name.Equals(MimeHeaderNames.ContentTransferEncoding, StringComparison.OrdinalIgnoreCase) || h.Name.Equals(MimeHeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase)) { continue; }
                cpim.ContentHeader(h.Name, h.Value);
            }
            cpim.Body(part.GetDecodedContent());
            return;
        }
        foreach (var h in entity.Headers)
        {
            if (h.Name.Equals(MimeHeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase)) { continue; }
            cpim.ContentHeader(h.Name, h.Value);
        }
        cpim.Body(content.GetWireBody());
    }

    /// <summary>The one text/plain part of a multipart whose other parts are all SMIL, else null.</summary>
    private static MimePart? SingleText(MimeEntity entity)
    {
        if (entity is not MimeMultipart m) { return null; }
        var others = m.Parts.Where(p => !p.ContentType.Is("application", "smil")).ToList();
        return others is [MimePart { } t] && t.ContentType.Is("text", "plain") ? t : null;
    }

    private static string OneLine(string s) => string.Create(s.Length, s, (span, src) =>
    {
        for (var i = 0; i < src.Length; i++) { span[i] = char.IsControl(src[i]) ? ' ' : src[i]; }
    });

    internal static string NameAddr(string? displayName, string uri) =>
        displayName is { Length: > 0 }
            ? "\"" + OneLine(displayName).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\" <" + uri + ">"
            : "<" + uri + ">";

    private static Mm4InboundResult Fail(Mm4InboundError error, string text) => new(null, new Mm4InboundFailure(error, text));
}

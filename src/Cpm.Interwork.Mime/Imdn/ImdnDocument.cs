using System.Globalization;
using System.Xml;

namespace Cpm.Interwork.Mime.Imdn;

/// <summary>Which notification an IMDN document carries (RFC 5438 §7.2).</summary>
public enum ImdnNotificationKind
{
    Delivery,
    Display,
    Processing,
}

/// <summary>IMDN status values (RFC 5438 §7.2.1). Delivery: Delivered, Failed, Forbidden, Error. Display:
/// Displayed, Forbidden, Error. Processing: Processed, Stored, Forbidden, Error.</summary>
public enum ImdnStatus
{
    Delivered,
    Failed,
    Forbidden,
    Error,
    Displayed,
    Processed,
    Stored,
}

/// <summary>Every reason an IMDN document can be rejected.</summary>
public enum ImdnRejectionReason
{
    None = 0,
    TooLarge,
    /// <summary>The document has a DOCTYPE (DTDs are never processed).</summary>
    DtdProhibited,
    MalformedXml,
    /// <summary>The root element is not &lt;imdn&gt;.</summary>
    NotImdn,
    MissingMessageId,
    MissingDateTime,
    InvalidDateTime,
    /// <summary>None of delivery-notification, display-notification, processing-notification.</summary>
    MissingNotification,
    MissingStatus,
    /// <summary>A status that the notification kind does not allow (e.g. displayed in a delivery-notification).</summary>
    StatusNotAllowed,
}

/// <summary>Options for reading IMDN documents.</summary>
public sealed class ImdnParserOptions
{
    public const int DefaultMaxBytes = 16 * 1024;
    public static ImdnParserOptions Default { get; } = new();

    /// <summary>Largest document accepted, in bytes (default 16 KiB).</summary>
    public int MaxBytes { get; set; } = DefaultMaxBytes;
}

/// <summary>An IMDN (message/imdn+xml, RFC 5438 §7). Immutable; <see cref="ToXml"/> writes it.</summary>
public sealed record ImdnDocument(
    string MessageId,
    DateTimeOffset DateTime,
    ImdnNotificationKind Kind,
    ImdnStatus Status,
    string? RecipientUri = null,
    string? OriginalRecipientUri = null,
    string? Subject = null)
{
    public const string Namespace = "urn:ietf:params:xml:ns:imdn";
    public const string ContentType = "message/imdn+xml";

    /// <summary>Whether <paramref name="status"/> is allowed in a notification of <paramref name="kind"/>.</summary>
    public static bool IsAllowed(ImdnNotificationKind kind, ImdnStatus status) => (kind, status) switch
    {
        (_, ImdnStatus.Forbidden or ImdnStatus.Error) => true,
        (ImdnNotificationKind.Delivery, ImdnStatus.Delivered or ImdnStatus.Failed) => true,
        (ImdnNotificationKind.Display, ImdnStatus.Displayed) => true,
        (ImdnNotificationKind.Processing, ImdnStatus.Processed or ImdnStatus.Stored) => true,
        _ => false,
    };

    /// <summary>Reads an IMDN leniently: elements matched by local name in the IMDN namespace or none; unknown
    /// elements (extensions) ignored; whitespace around values trimmed. Never throws on peer input.</summary>
    public static ImdnDocument? Parse(ReadOnlyMemory<byte> xml, ImdnParserOptions? options, out ImdnRejectionReason reason)
    {
        options ??= ImdnParserOptions.Default;
        if (xml.Length > options.MaxBytes) { reason = ImdnRejectionReason.TooLarge; return null; }
        try
        {
            using var r = SafeXml.CreateReader(xml, options.MaxBytes);
            return Read(r, out reason);
        }
        catch (XmlException e)
        {
            reason = SafeXml.IsDtd(e) ? ImdnRejectionReason.DtdProhibited : ImdnRejectionReason.MalformedXml;
            return null;
        }
    }

    private static bool IsOurs(XmlReader r) => r.NamespaceURI.Length == 0 || string.Equals(r.NamespaceURI, Namespace, StringComparison.OrdinalIgnoreCase);

    private static ImdnDocument? Read(XmlReader r, out ImdnRejectionReason reason)
    {
        if (r.MoveToContent() != XmlNodeType.Element || r.LocalName != "imdn" || !IsOurs(r)) { reason = ImdnRejectionReason.NotImdn; return null; }
        string? messageId = null, dateTime = null, recipient = null, original = null, subject = null;
        ImdnNotificationKind? kind = null;
        ImdnStatus? status = null;
        var rootDepth = r.Depth;
        if (!r.IsEmptyElement)
        {
            r.Read();
            while (!r.EOF && r.Depth > rootDepth)
            {
                if (r.NodeType != XmlNodeType.Element) { r.Read(); continue; }
                if (!IsOurs(r)) { r.Skip(); continue; }
                switch (r.LocalName)
                {
                    case "message-id": messageId = r.ReadElementContentAsString().Trim(); break;
                    case "datetime": dateTime = r.ReadElementContentAsString().Trim(); break;
                    case "recipient-uri": recipient = r.ReadElementContentAsString().Trim(); break;
                    case "original-recipient-uri": original = r.ReadElementContentAsString().Trim(); break;
                    case "subject": subject = r.ReadElementContentAsString().Trim(); break;
                    case "delivery-notification": kind = ImdnNotificationKind.Delivery; status = ReadStatus(r); break;
                    case "display-notification": kind = ImdnNotificationKind.Display; status = ReadStatus(r); break;
                    case "processing-notification": kind = ImdnNotificationKind.Processing; status = ReadStatus(r); break;
                    default: r.Skip(); break;
                }
            }
        }
        if (string.IsNullOrEmpty(messageId)) { reason = ImdnRejectionReason.MissingMessageId; return null; }
        if (string.IsNullOrEmpty(dateTime)) { reason = ImdnRejectionReason.MissingDateTime; return null; }
        if (!DateTimeOffset.TryParse(dateTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)) { reason = ImdnRejectionReason.InvalidDateTime; return null; }
        if (kind is null) { reason = ImdnRejectionReason.MissingNotification; return null; }
        if (status is null) { reason = ImdnRejectionReason.MissingStatus; return null; }
        if (!IsAllowed(kind.Value, status.Value)) { reason = ImdnRejectionReason.StatusNotAllowed; return null; }
        reason = ImdnRejectionReason.None;
        return new ImdnDocument(messageId, when, kind.Value, status.Value, Empty(recipient), Empty(original), Empty(subject));
    }

    private static string? Empty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    // <x-notification><status><delivered/></status></x-notification>; returns null when no known status
    private static ImdnStatus? ReadStatus(XmlReader r)
    {
        ImdnStatus? status = null;
        if (r.IsEmptyElement) { r.Read(); return null; }
        var depth = r.Depth;
        r.Read();
        while (!r.EOF && r.Depth > depth)
        {
            if (r.NodeType == XmlNodeType.Element && r.LocalName == "status" && IsOurs(r) && !r.IsEmptyElement)
            {
                var sd = r.Depth;
                r.Read();
                while (!r.EOF && r.Depth > sd)
                {
                    if (r.NodeType == XmlNodeType.Element && status is null)
                    {
                        status = r.LocalName switch
                        {
                            "delivered" => ImdnStatus.Delivered,
                            "failed" => ImdnStatus.Failed,
                            "forbidden" => ImdnStatus.Forbidden,
                            "error" => ImdnStatus.Error,
                            "displayed" => ImdnStatus.Displayed,
                            "processed" => ImdnStatus.Processed,
                            "stored" => ImdnStatus.Stored,
                            _ => null,
                        };
                    }
                    r.Read();
                }
                if (r.NodeType == XmlNodeType.EndElement) { r.Read(); }
                continue;
            }
            r.Read();
        }
        if (r.NodeType == XmlNodeType.EndElement) { r.Read(); }
        return status;
    }

    /// <summary>Writes the document as UTF-8 XML with the IMDN namespace (elements in RFC 5438 §7.2.1.1 order).</summary>
    /// <exception cref="InvalidOperationException">The status is not allowed for the kind.</exception>
    public byte[] ToXml()
    {
        if (!IsAllowed(Kind, Status)) { throw new InvalidOperationException($"status {Status} is not allowed in a {Kind} notification"); }
        using var ms = new MemoryStream();
        using (var w = XmlWriter.Create(ms, SafeXml.WriterSettings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("imdn", Namespace);
            w.WriteElementString("message-id", Namespace, MessageId);
            w.WriteElementString("datetime", Namespace, DateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFzzz", CultureInfo.InvariantCulture));
            if (RecipientUri is not null) { w.WriteElementString("recipient-uri", Namespace, RecipientUri); }
            if (OriginalRecipientUri is not null) { w.WriteElementString("original-recipient-uri", Namespace, OriginalRecipientUri); }
            if (Subject is not null) { w.WriteElementString("subject", Namespace, Subject); }
            w.WriteStartElement(Kind switch
            {
                ImdnNotificationKind.Delivery => "delivery-notification",
                ImdnNotificationKind.Display => "display-notification",
                _ => "processing-notification",
            }, Namespace);
            w.WriteStartElement("status", Namespace);
            w.WriteStartElement(Status.ToString().ToLowerInvariant(), Namespace);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }
        return ms.ToArray();
    }
}

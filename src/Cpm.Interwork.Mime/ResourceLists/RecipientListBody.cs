namespace Cpm.Interwork.Mime.ResourceLists;

/// <summary>A multi-recipient request body (RFC 5365 §4.1): multipart/mixed holding the message and an
/// application/resource-lists+xml part with <c>Content-Disposition: recipient-list</c>.</summary>
public static class RecipientListBody
{
    public const string Disposition = "recipient-list";

    /// <summary>Builds multipart/mixed: the message entity first, then the list.</summary>
    public static MimeMultipart Build(MimeEntity message, ResourceList recipients, string? boundary = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(recipients);
        var list = new MimePartBuilder(ResourceList.ContentType).ContentDisposition(Disposition).Content(recipients.ToXml(), "8bit").Build();
        var b = MimeMultipartBuilder.Mixed();
        if (boundary is not null) { b.Boundary(boundary); }
        return b.Add(message).Add(list).Build();
    }

    /// <summary>Finds the recipient list and the message in a multipart/mixed (lenient: the list is the first part
    /// with disposition recipient-list, or else the first resource-lists+xml part; the message is the first
    /// other part). False when either is missing or the list does not parse (<paramref name="reason"/>).</summary>
    public static bool TryRead(MimeEntity body, ResourceListParserOptions? options, out MimeEntity? message, out ResourceList? recipients, out ResourceListRejectionReason reason)
    {
        ArgumentNullException.ThrowIfNull(body);
        message = null;
        recipients = null;
        reason = ResourceListRejectionReason.None;
        if (body is not MimeMultipart m) { reason = ResourceListRejectionReason.NotResourceLists; return false; }
        var listPart = m.Parts.FirstOrDefault(p => string.Equals(p.ContentDisposition?.Disposition, Disposition, StringComparison.OrdinalIgnoreCase))
            ?? m.Parts.FirstOrDefault(p => p.ContentType.Is("application", "resource-lists+xml"));
        if (listPart is not MimePart lp) { reason = ResourceListRejectionReason.NotResourceLists; return false; }
        message = m.Parts.FirstOrDefault(p => !ReferenceEquals(p, lp));
        recipients = ResourceList.Parse(lp.GetDecodedContent(), options, out reason);
        return recipients is not null && message is not null;
    }
}

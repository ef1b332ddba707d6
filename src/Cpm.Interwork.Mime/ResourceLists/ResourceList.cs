using System.Xml;

namespace Cpm.Interwork.Mime.ResourceLists;

/// <summary>RFC 5366 copyControl: how a recipient received the message. <see cref="None"/> = attribute absent
/// (RFC 5366 §4.1 treats it as "to").</summary>
public enum CopyControl
{
    None = 0,
    To,
    Cc,
    Bcc,
}

/// <summary>One &lt;entry&gt; of a resource list (RFC 4826 §3.2.1) with the RFC 5366 attributes.</summary>
public sealed record ResourceListEntry(string Uri, string? DisplayName = null, CopyControl CopyControl = CopyControl.None, bool Anonymize = false, int? Count = null)
{
    /// <summary>copyControl with the RFC 5366 default applied (absent means To).</summary>
    public CopyControl EffectiveCopyControl => CopyControl == CopyControl.None ? CopyControl.To : CopyControl;
}

/// <summary>Every reason a resource-lists document can be rejected.</summary>
public enum ResourceListRejectionReason
{
    None = 0,
    TooLarge,
    DtdProhibited,
    MalformedXml,
    /// <summary>The root element is not &lt;resource-lists&gt;.</summary>
    NotResourceLists,
    TooManyEntries,
    /// <summary>An &lt;entry&gt; without a uri attribute.</summary>
    EntryWithoutUri,
}

/// <summary>Options for reading resource lists.</summary>
public sealed class ResourceListParserOptions
{
    public static ResourceListParserOptions Default { get; } = new();
    /// <summary>Largest document accepted, in bytes (default 64 KiB).</summary>
    public int MaxBytes { get; set; } = 64 * 1024;
    /// <summary>Most entries accepted across all lists (default 100).</summary>
    public int MaxEntries { get; set; } = 100;
}

/// <summary>application/resource-lists+xml (RFC 4826) as used for URI lists in SIP (RFC 5365/5366): the entries
/// of every &lt;list&gt;, nested lists flattened in document order. Immutable; <see cref="ToXml"/> writes it.</summary>
public sealed class ResourceList
{
    public const string Namespace = "urn:ietf:params:xml:ns:resource-lists";
    public const string CopyControlNamespace = "urn:ietf:params:xml:ns:copycontrol";
    public const string ContentType = "application/resource-lists+xml";

    public ResourceList(IEnumerable<ResourceListEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Entries = [.. entries];
    }

    public IReadOnlyList<ResourceListEntry> Entries { get; }

    /// <summary>Reads leniently: the copycontrol namespace and attribute names match case-insensitively
    /// (clients write <c>copyControl</c>, <c>copycontrol</c> and <c>urn:ietf:params:xml:ns:copyControl</c>);
    /// copyControl values are case-insensitive; unknown values read as <see cref="CopyControl.None"/>;
    /// &lt;external&gt; and &lt;entry-ref&gt; are ignored. Never throws on peer input.</summary>
    public static ResourceList? Parse(ReadOnlyMemory<byte> xml, ResourceListParserOptions? options, out ResourceListRejectionReason reason)
    {
        options ??= ResourceListParserOptions.Default;
        if (xml.Length > options.MaxBytes) { reason = ResourceListRejectionReason.TooLarge; return null; }
        try
        {
            using var r = SafeXml.CreateReader(xml, options.MaxBytes);
            return Read(r, options, out reason);
        }
        catch (XmlException e)
        {
            reason = SafeXml.IsDtd(e) ? ResourceListRejectionReason.DtdProhibited : ResourceListRejectionReason.MalformedXml;
            return null;
        }
    }

    private static ResourceList? Read(XmlReader r, ResourceListParserOptions options, out ResourceListRejectionReason reason)
    {
        if (r.MoveToContent() != XmlNodeType.Element || r.LocalName != "resource-lists") { reason = ResourceListRejectionReason.NotResourceLists; return null; }
        var entries = new List<ResourceListEntry>();
        var rootDepth = r.Depth;
        while (r.Read() && r.Depth > rootDepth)
        {
            if (r.NodeType != XmlNodeType.Element || r.LocalName != "entry") { continue; }
            if (entries.Count >= options.MaxEntries) { reason = ResourceListRejectionReason.TooManyEntries; return null; }
            string? uri = null;
            var cc = CopyControl.None;
            var anonymize = false;
            int? count = null;
            if (r.MoveToFirstAttribute())
            {
                do
                {
                    if (r.NamespaceURI.Length == 0 && r.LocalName == "uri") { uri = r.Value.Trim(); }
                    else if (string.Equals(r.NamespaceURI, CopyControlNamespace, StringComparison.OrdinalIgnoreCase))
                    {
                        if (string.Equals(r.LocalName, "copyControl", StringComparison.OrdinalIgnoreCase)) { cc = ReadCopyControl(r.Value); }
                        else if (string.Equals(r.LocalName, "anonymize", StringComparison.OrdinalIgnoreCase)) { anonymize = r.Value.Trim() is "true" or "1"; }
                        else if (string.Equals(r.LocalName, "count", StringComparison.OrdinalIgnoreCase) && int.TryParse(r.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var c)) { count = c; }
                    }
                }
                while (r.MoveToNextAttribute());
                r.MoveToElement();
            }
            if (string.IsNullOrEmpty(uri)) { reason = ResourceListRejectionReason.EntryWithoutUri; return null; }
            string? displayName = null;
            if (!r.IsEmptyElement)
            {
                var d = r.Depth;
                while (r.Read() && r.Depth > d)
                {
                    if (r.NodeType == XmlNodeType.Element && r.LocalName == "display-name" && displayName is null) { displayName = r.ReadElementContentAsString().Trim(); if (r.Depth <= d) { break; } }
                }
            }
            entries.Add(new ResourceListEntry(uri, string.IsNullOrEmpty(displayName) ? null : displayName, cc, anonymize, count));
        }
        reason = ResourceListRejectionReason.None;
        return new ResourceList(entries);
    }

    private static CopyControl ReadCopyControl(string v) => v.Trim().ToLowerInvariant() switch
    {
        "to" => CopyControl.To,
        "cc" => CopyControl.Cc,
        "bcc" => CopyControl.Bcc,
        _ => CopyControl.None,
    };

    /// <summary>Writes one &lt;list&gt; with the entries; the copycontrol namespace (prefix "cp") is declared only
    /// when an entry uses it; attribute spelled <c>copyControl</c> as RFC 5366 §6 does.</summary>
    public byte[] ToXml()
    {
        var usesCp = Entries.Any(e => e.CopyControl != CopyControl.None || e.Anonymize || e.Count is not null);
        using var ms = new MemoryStream();
        using (var w = XmlWriter.Create(ms, SafeXml.WriterSettings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("resource-lists", Namespace);
            if (usesCp) { w.WriteAttributeString("xmlns", "cp", null, CopyControlNamespace); }
            w.WriteStartElement("list", Namespace);
            foreach (var e in Entries)
            {
                w.WriteStartElement("entry", Namespace);
                w.WriteAttributeString("uri", e.Uri);
                if (e.CopyControl != CopyControl.None) { w.WriteAttributeString("copyControl", CopyControlNamespace, e.CopyControl.ToString().ToLowerInvariant()); }
                if (e.Anonymize) { w.WriteAttributeString("anonymize", CopyControlNamespace, "true"); }
                if (e.Count is { } c) { w.WriteAttributeString("count", CopyControlNamespace, c.ToString(System.Globalization.CultureInfo.InvariantCulture)); }
                if (e.DisplayName is not null) { w.WriteElementString("display-name", Namespace, e.DisplayName); }
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }
        return ms.ToArray();
    }
}

using System.Text;

namespace Cpm.Interwork.Mime;

/// <summary>Content-Type (RFC 2045 §5). Parse is lenient; ToString is strict with quoting.</summary>
public sealed class ContentType
{
    public ContentType(string mediaType, string mediaSubtype, IReadOnlyDictionary<string, string>? parameters = null)
    {
        MediaType = mediaType;
        MediaSubtype = mediaSubtype;
        Parameters = parameters ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    }

    public static ContentType TextPlainDefault { get; } = new("text", "plain", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["charset"] = "us-ascii" });

    public string MediaType { get; }
    public string MediaSubtype { get; }
    public string MimeType => MediaType + "/" + MediaSubtype;
    public IReadOnlyDictionary<string, string> Parameters { get; }
    public string? Boundary => GetParameter("boundary");
    public string? Charset => GetParameter("charset");
    public string? Start => GetParameter("start");
    public string? Type => GetParameter("type");
    public bool IsMultipart => string.Equals(MediaType, "multipart", StringComparison.OrdinalIgnoreCase);

    public string? GetParameter(string name) => Parameters.TryGetValue(name, out var v) ? v : null;

    public bool Is(string type, string subtype) =>
        string.Equals(MediaType, type, StringComparison.OrdinalIgnoreCase) && string.Equals(MediaSubtype, subtype, StringComparison.OrdinalIgnoreCase);

    public static ContentType Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var semi = value.IndexOf(';', StringComparison.Ordinal);
        var head = (semi < 0 ? value : value[..semi]).Trim();
        var eq = head.IndexOf('=', StringComparison.Ordinal);
        if (eq > 0 && head.AsSpan(0, eq).IndexOfAny(" \t") is var ws and > 0)
        {
            // lenient: parameters after whitespace without the ";" (RFC 2231 §4.1 example as printed)
            semi = value.Length - value.TrimStart().Length + ws; // the whitespace plays the ";"
            head = head[..ws];
        }
        var mime = head;
        var slash = mime.IndexOf('/', StringComparison.Ordinal);
        var type = slash < 0 ? mime : mime[..slash].Trim();
        var sub = slash < 0 ? string.Empty : mime[(slash + 1)..].Trim();
        var ps = semi < 0 ? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) : ParameterParser.Parse(value.AsSpan(semi + 1));
        return new ContentType(type, sub, ps);
    }

    public override string ToString()
    {
        var sb = new StringBuilder(MimeType);
        ParameterParser.Write(sb, Parameters);
        return sb.ToString();
    }
}

/// <summary>Content-Disposition (RFC 2183).</summary>
public sealed class ContentDisposition
{
    public ContentDisposition(string disposition, IReadOnlyDictionary<string, string>? parameters = null)
    {
        Disposition = disposition;
        Parameters = parameters ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    }

    public string Disposition { get; }
    public IReadOnlyDictionary<string, string> Parameters { get; }
    public string? FileName => Parameters.TryGetValue("filename", out var v) ? v : null;

    public static ContentDisposition Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var semi = value.IndexOf(';', StringComparison.Ordinal);
        var d = (semi < 0 ? value : value[..semi]).Trim();
        return new ContentDisposition(d, semi < 0 ? null : ParameterParser.Parse(value.AsSpan(semi + 1)));
    }

    public override string ToString()
    {
        var sb = new StringBuilder(Disposition);
        ParameterParser.Write(sb, Parameters);
        return sb.ToString();
    }
}

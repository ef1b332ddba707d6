using System.Buffers;
using System.Globalization;
using System.Text;

namespace Cpm.Interwork.Mime.Cpim;

/// <summary>Builds a message/cpim body (RFC 3862). Message headers are written in the order added; NS
/// declarations come first so that prefixed headers follow their namespace. Header values are UTF-8 and never
/// folded (CPIM has no folding); CR/LF in a value is refused.</summary>
public sealed class CpimMessageBuilder
{
    private readonly List<(string Name, string Value)> _ns = [];
    private readonly List<(string Name, string Value)> _headers = [];
    private readonly List<(string Name, string Value)> _content = [];
    private byte[] _body = [];

    public CpimMessageBuilder From(CpimAddress from) => Header("From", Address(from));
    public CpimMessageBuilder To(CpimAddress to) => Header("To", Address(to));
    public CpimMessageBuilder Cc(CpimAddress cc) => Header("cc", Address(cc));

    /// <summary>DateTime in RFC 3339 form, UTC with "Z" when the offset is zero.</summary>
    public CpimMessageBuilder DateTime(DateTimeOffset value) => Header("DateTime", value.Offset == TimeSpan.Zero
        ? value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFF'Z'", CultureInfo.InvariantCulture)
        : value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFzzz", CultureInfo.InvariantCulture));

    /// <summary>Subject, with an optional language tag written as <c>Subject:;lang=fr text</c>.</summary>
    public CpimMessageBuilder Subject(string text, string? language = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return language is null ? Header("Subject", text) : AddRaw(_headers, "Subject", ";lang=" + language + " " + text);
    }

    /// <summary>Declares a namespace prefix (empty prefix = default namespace): <c>NS: prefix &lt;urn&gt;</c>.</summary>
    public CpimMessageBuilder Namespace(string prefix, string urn)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(urn);
        if (_ns.Any(n => n.Value.StartsWith(prefix + " <", StringComparison.OrdinalIgnoreCase) || (prefix.Length == 0 && n.Value.StartsWith('<')))) { return this; }
        return AddRaw(_ns, "NS", prefix.Length == 0 ? "<" + urn + ">" : prefix + " <" + urn + ">");
    }

    /// <summary>Names a header the recipient must understand (RFC 3862 §3.3.8).</summary>
    public CpimMessageBuilder Require(string headerName) => Header("Require", headerName);

    /// <summary>Adds imdn.Message-ID and, unless None, imdn.Disposition-Notification, declaring the imdn namespace.</summary>
    public CpimMessageBuilder Imdn(string messageId, DispositionNotification notifications)
    {
        Namespace("imdn", CpimMessage.ImdnNamespace);
        Header("imdn.Message-ID", messageId);
        if (notifications != DispositionNotification.None)
        {
            var tokens = new List<string>();
            if (notifications.HasFlag(DispositionNotification.PositiveDelivery)) { tokens.Add("positive-delivery"); }
            if (notifications.HasFlag(DispositionNotification.NegativeDelivery)) { tokens.Add("negative-delivery"); }
            if (notifications.HasFlag(DispositionNotification.Processing)) { tokens.Add("processing"); }
            if (notifications.HasFlag(DispositionNotification.Display)) { tokens.Add("display"); }
            Header("imdn.Disposition-Notification", string.Join(", ", tokens));
        }
        return this;
    }

    /// <summary>Adds any message header (e.g. a prefixed one such as <c>MyFeatures.VitalMessageOption</c>).</summary>
    public CpimMessageBuilder Header(string name, string value) =>
        string.Equals(name, "NS", StringComparison.OrdinalIgnoreCase) ? AddRaw(_ns, "NS", value) : AddRaw(_headers, name, value);

    /// <summary>Adds an encapsulated MIME header (Content-Type, Content-ID, Content-Disposition…).</summary>
    public CpimMessageBuilder ContentHeader(string name, string value) => AddRaw(_content, name, value);

    public CpimMessageBuilder ContentType(string contentType) => SetContent(MimeHeaderNames.ContentType, contentType);

    /// <summary>The content bytes, written as they are (give a Content-Transfer-Encoding header if already encoded).</summary>
    public CpimMessageBuilder Body(ReadOnlySpan<byte> body)
    {
        _body = body.ToArray();
        return this;
    }

    public byte[] ToBytes()
    {
        var w = new ArrayBufferWriter<byte>(256 + _body.Length);
        foreach (var (n, v) in _ns.Concat(_headers)) { WriteLine(w, n, v); }
        w.Write("\r\n"u8);
        foreach (var (n, v) in _content) { WriteLine(w, n, v); }
        w.Write("\r\n"u8);
        w.Write(_body);
        return w.WrittenSpan.ToArray();
    }

    /// <summary>The immutable message this builder writes.</summary>
    public CpimMessage Build() =>
        CpimMessage.Parse(ToBytes(), new MimeParserOptions { MaxMessageBytes = int.MaxValue, MaxHeaderBytes = int.MaxValue, MaxLineLength = int.MaxValue })
        ?? throw new InvalidOperationException("the builder wrote a CPIM message it cannot read back");

    private static void WriteLine(ArrayBufferWriter<byte> w, string name, string value)
    {
        w.Write(Encoding.UTF8.GetBytes(name));
        // header parameters follow the colon directly (RFC 3862 §3.1: "Subject:;lang=fr text")
        w.Write(value.StartsWith(';') ? ":"u8 : ": "u8);
        w.Write(Encoding.UTF8.GetBytes(value));
        w.Write("\r\n"u8);
    }

    private static string Address(CpimAddress a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.ToString();
    }

    private CpimMessageBuilder SetContent(string name, string value)
    {
        _content.RemoveAll(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
        return AddRaw(_content, name, value);
    }

    private CpimMessageBuilder AddRaw(List<(string Name, string Value)> list, string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.AsSpan().IndexOfAny(": \t\r\n") >= 0) { throw new ArgumentException($"invalid header name {name}", nameof(name)); }
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0) { throw new ArgumentException("header values must not contain CR or LF", nameof(value)); }
        list.Add((name, value));
        return this;
    }
}

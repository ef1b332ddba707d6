using System.Collections;

namespace Cpm.Interwork.Sip;

/// <summary>
/// A parsed SIP message over its original bytes: an ordered raw header index, the body as bytes, and typed
/// accessors parsed lazily on first access (then cached). Immutable from the outside.
/// </summary>
public abstract class SipMessage
{
    private readonly SipHeaderEntry[] _headers;
    private readonly int _bodyStart;
    private readonly int _bodyLength;
    private IReadOnlyList<SipHeader>? _headerList;
    private IReadOnlyList<ViaHeader>? _vias;
    private NameAddress? _from;
    private NameAddress? _to;
    private CSeqHeader? _cseq;
    private string? _callId;

    private protected SipMessage(ReadOnlyMemory<byte> bytes, SipHeaderEntry[] headers, int bodyStart, int bodyLength)
    {
        Bytes = bytes;
        _headers = headers;
        _bodyStart = bodyStart;
        _bodyLength = bodyLength;
    }

    /// <summary>The whole message as received (start line, headers, body).</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The body bytes (Content-Length bytes after the empty line; in a datagram without Content-Length, the rest).</summary>
    public ReadOnlyMemory<byte> Body => Bytes.Slice(_bodyStart, _bodyLength);

    /// <summary>True for <see cref="SipRequest"/>.</summary>
    public abstract bool IsRequest { get; }

    /// <summary>All header lines in received order.</summary>
    public IReadOnlyList<SipHeader> Headers => _headerList ??= new HeaderList(this);

    /// <summary>Number of header lines.</summary>
    public int HeaderCount => _headers.Length;

    /// <summary>True if at least one header with this name (any case, compact or full form) is present.</summary>
    public bool HasHeader(string name) => IndexOf(name, 0) >= 0;

    /// <summary>The first header with this name, as text (unfolded); null when absent.</summary>
    public string? GetHeader(string name)
    {
        var i = IndexOf(name, 0);
        return i < 0 ? null : HeaderAt(i).Value;
    }

    /// <summary>The raw value bytes of the first header with this name.</summary>
    public bool TryGetHeader(string name, out SipHeader header)
    {
        var i = IndexOf(name, 0);
        header = i < 0 ? default : HeaderAt(i);
        return i >= 0;
    }

    /// <summary>Every header line with this name, in order, one string per line (not split at commas).</summary>
    public IReadOnlyList<string> GetHeaderValues(string name)
    {
        var result = new List<string>();
        for (var i = IndexOf(name, 0); i >= 0; i = IndexOf(name, i + 1)) { result.Add(HeaderAt(i).Value); }
        return result;
    }

    /// <summary>
    /// Every element of a list header (RFC 3261 §7.3.1: comma-separated, commas in quoted strings and &lt;&gt; kept), across
    /// all lines with this name, in order. Use for Require, Supported, Allow, Accept, Accept-Contact, etc.; not for Date.
    /// </summary>
    public IReadOnlyList<string> GetHeaderListValues(string name)
    {
        var result = new List<string>();
        for (var i = IndexOf(name, 0); i >= 0; i = IndexOf(name, i + 1)) { result.AddRange(SipGrammar.SplitList(ValueSpan(i))); }
        return result;
    }

    /// <summary>All Via values (every line, every comma-separated via-parm), top first.</summary>
    public IReadOnlyList<ViaHeader> Vias => _vias ??= ReadVias();

    /// <summary>The topmost Via.</summary>
    public ViaHeader TopVia => Vias[0];

    /// <summary>From (validated while parsing; on a rejected request a stand-in holding the raw text).</summary>
    public NameAddress From => _from ??= ReadNameAddress(SipHeaderId.From);

    /// <summary>To (validated while parsing; on a rejected request a stand-in holding the raw text).</summary>
    public NameAddress To => _to ??= ReadNameAddress(SipHeaderId.To);

    /// <summary>Call-ID (validated while parsing).</summary>
    public string CallId => _callId ??= SipGrammar.Text(ValueSpan(IndexOf(SipHeaderId.CallId, 0)));

    /// <summary>CSeq (validated while parsing).</summary>
    public CSeqHeader CSeq => _cseq ??= ReadCSeq();

    /// <summary>Max-Forwards, or null when absent.</summary>
    public int? MaxForwards => ReadNumber(SipHeaderId.MaxForwards, 255) is { } v ? (int)v : null;

    /// <summary>Content-Length as written, or null when absent (datagram).</summary>
    public long? ContentLength => ReadNumber(SipHeaderId.ContentLength, long.MaxValue);

    /// <summary>Content-Type value (media type with parameters), or null.</summary>
    public string? ContentType => GetHeader(SipHeaderNames.ContentType);

    /// <summary>Option tags of all Require headers.</summary>
    public IReadOnlyList<string> Require => GetHeaderListValues(SipHeaderNames.Require);

    /// <summary>Option tags of all Supported headers.</summary>
    public IReadOnlyList<string> Supported => GetHeaderListValues(SipHeaderNames.Supported);

    /// <summary>Option tags of all Proxy-Require headers.</summary>
    public IReadOnlyList<string> ProxyRequire => GetHeaderListValues(SipHeaderNames.ProxyRequire);

    /// <summary>Expires in seconds, or null when absent or not a number.</summary>
    public long? Expires => ReadNumber(SipHeaderId.Expires, uint.MaxValue);

    /// <summary>Date as written (RFC 1123 form, GMT), or null.</summary>
    public string? Date => GetHeader(SipHeaderNames.Date);

    /// <summary>Date parsed (RFC 3261 §20.17: rfc1123-date), or null when absent or unparsable.</summary>
    public DateTimeOffset? DateValue =>
        Date is { } d && DateTimeOffset.TryParseExact(d, "r", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var v) ? v : null;

    /// <summary>Subject, or null.</summary>
    public string? Subject => GetHeader(SipHeaderNames.Subject);

    /// <summary>Priority (emergency, urgent, normal, non-urgent or an extension), or null.</summary>
    public string? Priority => GetHeader(SipHeaderNames.Priority);

    /// <summary>Privacy values (RFC 3323 §4.2: priv-value *(";" priv-value)), e.g. ["id"].</summary>
    public IReadOnlyList<string> Privacy
    {
        get
        {
            var result = new List<string>();
            foreach (var line in GetHeaderValues(SipHeaderNames.Privacy))
            {
                foreach (var v in line.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) { result.Add(v); }
            }
            return result;
        }
    }

    /// <summary>P-Asserted-Identity values (RFC 3325), in order; malformed values are skipped.</summary>
    public IReadOnlyList<NameAddress> PAssertedIdentities => ReadNameAddressList(SipHeaderId.PAssertedIdentity);

    /// <summary>Contact values in order (a "*" Contact yields none).</summary>
    public IReadOnlyList<NameAddress> Contacts => ReadNameAddressList(SipHeaderId.Contact);

    /// <summary>Route values in order.</summary>
    public IReadOnlyList<NameAddress> Routes => ReadNameAddressList(SipHeaderId.Route);

    /// <summary>Record-Route values in order.</summary>
    public IReadOnlyList<NameAddress> RecordRoutes => ReadNameAddressList(SipHeaderId.RecordRoute);

    /// <summary>Accept-Contact values (RFC 3841), each "*;params" element as text.</summary>
    public IReadOnlyList<string> AcceptContact => GetHeaderListValues(SipHeaderNames.AcceptContact);

    internal SipHeader HeaderAt(int i) => new(Bytes, _headers[i]);

    internal ReadOnlySpan<byte> ValueSpan(int i) => Bytes.Span.Slice(_headers[i].ValueStart, _headers[i].ValueLength);

    internal SipHeaderEntry EntryAt(int i) => _headers[i];

    internal int IndexOf(SipHeaderId id, int from)
    {
        for (var i = from; i < _headers.Length; i++) { if (_headers[i].Id == id) { return i; } }
        return -1;
    }

    internal int IndexOf(string name, int from)
    {
        ArgumentNullException.ThrowIfNull(name);
        var id = SipHeaderIds.FromName(name);
        if (id != SipHeaderId.Unknown) { return IndexOf(id, from); }
        var span = Bytes.Span;
        for (var i = from; i < _headers.Length; i++)
        {
            var e = _headers[i];
            if (e.Id == SipHeaderId.Unknown && System.Text.Ascii.EqualsIgnoreCase(span.Slice(e.NameStart, e.NameLength), name)) { return i; }
        }
        return -1;
    }

    private List<ViaHeader> ReadVias()
    {
        var list = new List<ViaHeader>();
        for (var i = IndexOf(SipHeaderId.Via, 0); i >= 0; i = IndexOf(SipHeaderId.Via, i + 1)) { ViaHeader.ReadList(ValueSpan(i), list); }
        return list;
    }

    private NameAddress ReadNameAddress(SipHeaderId id)
    {
        var s = ValueSpan(IndexOf(id, 0));
        var pos = 0;
        return NameAddressSyntax.TryRead(s, ref pos, out var parts) ? NameAddress.Create(s, parts) : NameAddress.Unparsable(s);
    }

    private List<NameAddress> ReadNameAddressList(SipHeaderId id)
    {
        var list = new List<NameAddress>();
        for (var i = IndexOf(id, 0); i >= 0; i = IndexOf(id, i + 1)) { NameAddress.ReadList(ValueSpan(i), list); }
        return list;
    }

    private CSeqHeader ReadCSeq()
    {
        var s = ValueSpan(IndexOf(SipHeaderId.CSeq, 0));
        _ = CSeqHeader.TryRead(s, out var number, out var method);
        var m = method.Of(s);
        return new CSeqHeader(number, SipMethods.Known(m) ?? SipGrammar.Text(m));
    }

    private long? ReadNumber(SipHeaderId id, long max)
    {
        var i = IndexOf(id, 0);
        return i >= 0 && SipGrammar.TryParseDigits(SipGrammar.Trim(ValueSpan(i)), max, out var v) ? v : null;
    }

    private sealed class HeaderList(SipMessage message) : IReadOnlyList<SipHeader>
    {
        public SipHeader this[int index] => message.HeaderAt(index);
        public int Count => message._headers.Length;
        public IEnumerator<SipHeader> GetEnumerator()
        {
            for (var i = 0; i < Count; i++) { yield return message.HeaderAt(i); }
        }
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>A parsed SIP request (RFC 3261 §7.1).</summary>
public sealed class SipRequest : SipMessage
{
    private readonly int _uriStart;
    private readonly int _uriLength;
    private string? _uri;
    private SipUri? _sipUri;
    private TelUri? _telUri;
    private bool _uriParsed;

    internal SipRequest(ReadOnlyMemory<byte> bytes, SipHeaderEntry[] headers, int bodyStart, int bodyLength, string method, int uriStart, int uriLength)
        : base(bytes, headers, bodyStart, bodyLength)
    {
        Method = method;
        _uriStart = uriStart;
        _uriLength = uriLength;
    }

    /// <inheritdoc/>
    public override bool IsRequest => true;

    /// <summary>The method, case-sensitive (known methods are the <see cref="SipMethods"/> constants).</summary>
    public string Method { get; }

    /// <summary>The Request-URI as written.</summary>
    public string RequestUri => _uri ??= SipGrammar.Text(Bytes.Span.Slice(_uriStart, _uriLength));

    /// <summary>The Request-URI parsed as sip:/sips:, or null for other schemes.</summary>
    public SipUri? RequestSipUri { get { ParseUri(); return _sipUri; } }

    /// <summary>The Request-URI parsed as tel:, or null for other schemes.</summary>
    public TelUri? RequestTelUri { get { ParseUri(); return _telUri; } }

    private void ParseUri()
    {
        if (_uriParsed) { return; }
        var s = Bytes.Span.Slice(_uriStart, _uriLength);
        if (SipUri.TryParse(s, null, out var sip)) { _sipUri = sip; }
        else if (TelUri.TryParse(s, null, out var tel)) { _telUri = tel; }
        _uriParsed = true;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Method} {RequestUri} SIP/2.0";
}

/// <summary>A parsed SIP response (RFC 3261 §7.2).</summary>
public sealed class SipResponse : SipMessage
{
    private readonly int _reasonStart;
    private readonly int _reasonLength;
    private string? _reason;

    internal SipResponse(ReadOnlyMemory<byte> bytes, SipHeaderEntry[] headers, int bodyStart, int bodyLength, int statusCode, int reasonStart, int reasonLength)
        : base(bytes, headers, bodyStart, bodyLength)
    {
        StatusCode = statusCode;
        _reasonStart = reasonStart;
        _reasonLength = reasonLength;
    }

    /// <inheritdoc/>
    public override bool IsRequest => false;

    /// <summary>The status code (100–699).</summary>
    public int StatusCode { get; }

    /// <summary>The reason phrase as received (UTF-8).</summary>
    public string ReasonPhrase => _reason ??= SipGrammar.Text(Bytes.Span.Slice(_reasonStart, _reasonLength));

    /// <inheritdoc/>
    public override string ToString() => $"SIP/2.0 {StatusCode} {ReasonPhrase}";
}

using System.Globalization;
using System.Text;
using Cpm.Interwork.Mime;

namespace Cpm.Interwork.Mm4;

/// <summary>
/// Lenient MM4 reader: header names and type/value tokens case-insensitive, quoted or bare IDs, X-Mms-Expiry
/// absolute or relative, obsolete date forms, folded headers, RFC 2047 or raw UTF-8 in Subject. Problems come back
/// as <see cref="Mm4ReadError"/>; an optional header with a value we do not understand is kept in ExtraHeaders.
/// </summary>
public static class Mm4Reader
{
    private static readonly UTF8Encoding s_strictUtf8 = new(false, true);

    public static Mm4ReadResult Read(ReadOnlyMemory<byte> mail) => Read(mail, Mm4ReaderOptions.Default);

    public static Mm4ReadResult Read(ReadOnlyMemory<byte> mail, Mm4ReaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var parsed = MimeParser.Parse(mail, options.Mime);
        if (!parsed.IsSuccess)
        {
            var kind = parsed.Reason is MimeRejectionReason.MessageTooLarge or MimeRejectionReason.HeaderTooLarge
                ? Mm4ReadErrorKind.MessageTooLarge : Mm4ReadErrorKind.MalformedMime;
            return Fail(new Mm4ReadError { Kind = kind, MimeReason = parsed.Reason, Detail = $"{parsed.Reason} at byte {parsed.Offset}" });
        }
        var ctx = new Context(parsed.Entity!);
        return ctx.Read();
    }

    private static Mm4ReadResult Fail(Mm4ReadError e) => Mm4ReadResult.Failure(e);

    private sealed class Context(MimeEntity entity)
    {
        private readonly MimeHeaderList _headers = entity.Headers;
        private readonly Dictionary<string, MimeHeader> _first = FirstByName(entity.Headers);
        private readonly Dictionary<MimeHeader, string> _values = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<MimeHeader> _used = new(ReferenceEqualityComparer.Instance);
        private Mm4ReadError _template = new() { Kind = Mm4ReadErrorKind.MalformedMime };

        public Mm4ReadResult Read()
        {
            // What a failure response needs, read first and leniently.
            var typeText = Take(Mm4HeaderNames.MessageType);
            Mm4MessageType? type = typeText is not null && Mm4Values.TryParse(typeText, out Mm4MessageType t) ? t : null;
            var tid = TryId(Mm4HeaderNames.TransactionId);
            var mid = TryId(Mm4HeaderNames.MessageId);
            var sender = Mm4Address.TryParse(Peek(Mm4HeaderNames.Sender), out var s) ? s : null;
            var origin = Mm4Address.TryParse(Peek(Mm4HeaderNames.OriginatorSystem), out var o) ? o : null;
            _template = _template with
            {
                MessageType = type, MessageTypeText = typeText, TransactionId = tid, MessageId = mid, Sender = sender, OriginatorSystem = origin,
            };

            if (typeText is null) { return Missing(Mm4HeaderNames.MessageType); }
            if (type is null) { return Fail(_template with { Kind = Mm4ReadErrorKind.UnsupportedMessageType, Header = Mm4HeaderNames.MessageType, Detail = $"unsupported message type '{typeText}'" }); }
            var version = Take(Mm4HeaderNames.MmsVersion);
            if (version is null) { return Missing(Mm4HeaderNames.MmsVersion); }
            if (!IsPrintableAscii(version)) { return Invalid(Mm4HeaderNames.MmsVersion, version); }
            if (tid is null) { return MissingOrInvalidId(Mm4HeaderNames.TransactionId); }
            if (mid is null) { return MissingOrInvalidId(Mm4HeaderNames.MessageId); }

            return type.Value switch
            {
                Mm4MessageType.ForwardRequest => ReadForward(version, tid, mid),
                Mm4MessageType.ForwardResponse => ReadStatusResponse((s, txt) => new Mm4ForwardResponse { MmsVersion = version, TransactionId = tid, MessageId = mid, RequestStatus = s, StatusText = txt }),
                Mm4MessageType.DeliveryReportResponse => ReadStatusResponse((s, txt) => new Mm4DeliveryReportResponse { MmsVersion = version, TransactionId = tid, MessageId = mid, RequestStatus = s, StatusText = txt }),
                Mm4MessageType.ReadReplyReportResponse => ReadStatusResponse((s, txt) => new Mm4ReadReplyReportResponse { MmsVersion = version, TransactionId = tid, MessageId = mid, RequestStatus = s, StatusText = txt }),
                Mm4MessageType.DeliveryReportRequest => ReadDeliveryReport(version, tid, mid),
                _ => ReadReadReply(version, tid, mid),
            };
        }

        private Mm4ReadResult ReadForward(string version, string tid, string mid)
        {
            if (!ReadAddresses(Mm4HeaderNames.To, out var to, out var err)) { return err!; }
            if (!ReadAddresses(Mm4HeaderNames.Cc, out var cc, out err)) { return err!; }
            if (to.Count == 0 && cc.Count == 0) { return Missing(Mm4HeaderNames.To); }
            if (!ReadMandatoryAddress(Mm4HeaderNames.From, out var from, out err)) { return err!; }
            if (Peek(Mm4HeaderNames.ContentType) is null) { return Missing(Mm4HeaderNames.ContentType); }
            if (!ReadDate(out var date, out err)) { return err!; }
            var common = Common();
            var subjectHeader = Get(Mm4HeaderNames.Subject);
            if (subjectHeader is not null) { _used.Add(subjectHeader); }
            var m = new Mm4ForwardRequest
            {
                MmsVersion = version,
                TransactionId = tid,
                MessageId = mid,
                From = from,
                To = to,
                Cc = cc,
                Date = date,
                Sender = common.Sender,
                OriginatorSystem = common.Origin,
                RfcMessageId = common.RfcId,
                Subject = subjectHeader is null ? null : DecodeText(subjectHeader),
                MessageClass = Optional<MessageClass>(Mm4HeaderNames.MessageClass, Mm4Values.TryParse),
                Expiry = Optional<Mm4Expiry>(Mm4HeaderNames.Expiry, Mm4Expiry.TryParse),
                DeliveryReport = OptionalBool(Mm4HeaderNames.DeliveryReport),
                OriginatorRsDeliveryReport = OptionalBool(Mm4HeaderNames.OriginatorRsDeliveryReport),
                Priority = Optional<Priority>(Mm4HeaderNames.Priority, Mm4Values.TryParse),
                SenderVisibility = Optional<SenderVisibility>(Mm4HeaderNames.SenderVisibility, Mm4Values.TryParse),
                ReadReply = OptionalBool(Mm4HeaderNames.ReadReply),
                AckRequest = OptionalBool(Mm4HeaderNames.AckRequest),
                ForwardCounter = Optional<int>(Mm4HeaderNames.ForwardCounter, (string s, out int v) => int.TryParse(s.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out v)),
                PreviouslySentBy = TakeAll(Mm4HeaderNames.PreviouslySentBy),
                PreviouslySentDateAndTime = TakeAll(Mm4HeaderNames.PreviouslySentDateAndTime),
                VaspId = TakeAscii(Mm4HeaderNames.VaspId),
                VasId = TakeAscii(Mm4HeaderNames.VasId),
                ApplicId = TakeAscii(Mm4HeaderNames.ApplicId),
                ReplyApplicId = TakeAscii(Mm4HeaderNames.ReplyApplicId),
                AuxApplicInfo = TakeAscii(Mm4HeaderNames.AuxApplicInfo),
                ContentClass = TakeAscii(Mm4HeaderNames.ContentClass),
                DrmContent = OptionalBool(Mm4HeaderNames.DrmContent),
                AdaptationAllowed = OptionalBool(Mm4HeaderNames.AdaptationAllowed),
                Content = new Mm4Content(entity),
            };
            return Mm4ReadResult.Success(m with { ExtraHeaders = Extras() });
        }

        private Mm4ReadResult ReadStatusResponse(Func<Mm4RequestStatus, string?, Mm4Message> create)
        {
            var code = Take(Mm4HeaderNames.RequestStatusCode);
            if (code is null) { return Missing(Mm4HeaderNames.RequestStatusCode); }
            if (!IsPrintableAscii(code)) { return Invalid(Mm4HeaderNames.RequestStatusCode, code); }
            var to = TransportAddresses(Mm4HeaderNames.To);
            var from = OptionalAddress(Mm4HeaderNames.From);
            var date = OptionalDate();
            var common = Common();
            var m = create(Mm4RequestStatus.Parse(code), TakeText(Mm4HeaderNames.StatusText)) with
            {
                To = to, From = from, Date = date, Sender = common.Sender, OriginatorSystem = common.Origin, RfcMessageId = common.RfcId, Content = BodyContent(),
            };
            return Mm4ReadResult.Success(m with { ExtraHeaders = Extras() });
        }

        private Mm4ReadResult ReadDeliveryReport(string version, string tid, string mid)
        {
            if (!ReadReportAddressing(out var to, out var from, out var date, out var err)) { return err!; }
            var fwd = Take(Mm4HeaderNames.ForwardToOriginatorUa);
            if (fwd is null) { return Missing(Mm4HeaderNames.ForwardToOriginatorUa); }
            if (!Mm4Values.TryParse(fwd, out bool forward)) { return Invalid(Mm4HeaderNames.ForwardToOriginatorUa, fwd); }
            var status = Take(Mm4HeaderNames.MmStatusCode);
            if (status is null) { return Missing(Mm4HeaderNames.MmStatusCode); }
            if (!IsPrintableAscii(status)) { return Invalid(Mm4HeaderNames.MmStatusCode, status); }
            var common = Common();
            var m = new Mm4DeliveryReportRequest
            {
                MmsVersion = version, TransactionId = tid, MessageId = mid, To = to, From = from, Date = date,
                Sender = common.Sender, OriginatorSystem = common.Origin, RfcMessageId = common.RfcId,
                ForwardToOriginatorUa = forward,
                MmStatus = Mm4MmStatus.Parse(status),
                MmStatusExtension = TakeAscii(Mm4HeaderNames.MmStatusExtension),
                StatusText = TakeText(Mm4HeaderNames.StatusText),
                AckRequest = OptionalBool(Mm4HeaderNames.AckRequest),
                Content = BodyContent(),
            };
            return Mm4ReadResult.Success(m with { ExtraHeaders = Extras() });
        }

        private Mm4ReadResult ReadReadReply(string version, string tid, string mid)
        {
            if (!ReadReportAddressing(out var to, out var from, out var date, out var err)) { return err!; }
            var rs = Take(Mm4HeaderNames.ReadStatus);
            if (rs is null) { return Missing(Mm4HeaderNames.ReadStatus); }
            if (!Mm4Values.TryParse(rs, out ReadStatus readStatus)) { return Invalid(Mm4HeaderNames.ReadStatus, rs); }
            var common = Common();
            var m = new Mm4ReadReplyReportRequest
            {
                MmsVersion = version, TransactionId = tid, MessageId = mid, To = to, From = from, Date = date,
                Sender = common.Sender, OriginatorSystem = common.Origin, RfcMessageId = common.RfcId,
                ReadStatus = readStatus,
                StatusText = TakeText(Mm4HeaderNames.StatusText),
                AckRequest = OptionalBool(Mm4HeaderNames.AckRequest),
                Content = BodyContent(),
            };
            return Mm4ReadResult.Success(m with { ExtraHeaders = Extras() });
        }

        private bool ReadReportAddressing(out List<Mm4Address> to, out Mm4Address? from, out DateTimeOffset date, out Mm4ReadResult? err)
        {
            from = null;
            date = default;
            if (!ReadAddresses(Mm4HeaderNames.To, out to, out err)) { return false; }
            if (to.Count == 0) { err = Missing(Mm4HeaderNames.To); return false; }
            if (!ReadMandatoryAddress(Mm4HeaderNames.From, out from, out err)) { return false; }
            return ReadDate(out date, out err);
        }

        /// <summary>Transport-level headers: an unreadable Sender or X-Mms-Originator-System is kept in ExtraHeaders, not fatal.</summary>
        private (Mm4Address? Sender, Mm4Address? Origin, string? RfcId) Common()
        {
            var sender = OptionalAddress(Mm4HeaderNames.Sender);
            var origin = OptionalAddress(Mm4HeaderNames.OriginatorSystem);
            var rfc = TakeAscii(Mm4HeaderNames.MessageIdRfc, v => Strip(v, '<', '>'));
            return (sender, origin, rfc);
        }

        private Mm4Content? BodyContent()
        {
            var hasType = Peek(Mm4HeaderNames.ContentType) is not null;
            var empty = entity is MimePart p && p.RawBody.Span.Trim("\r\n"u8).IsEmpty;
            return hasType || !empty ? new Mm4Content(entity) : null;
        }

        private MimeHeaderList Extras()
        {
            var list = new List<MimeHeader>();
            foreach (var h in _headers)
            {
                if (_used.Contains(h) || Mm4Content.IsContentHeader(h)) { continue; }
                if (h.Name.Equals(Mm4HeaderNames.MimeVersion, StringComparison.OrdinalIgnoreCase)) { continue; }
                list.Add(h);
            }
            return list.Count == 0 ? MimeHeaderList.Empty : new MimeHeaderList(list);
        }

        private bool ReadAddresses(string name, out List<Mm4Address> result, out Mm4ReadResult? err)
        {
            result = [];
            err = null;
            foreach (var h in _headers.GetAll(name))
            {
                if (!Mm4Address.TryParseList(UnfoldedText(h), out var part, out var e))
                {
                    err = Invalid(name, V(h), e.ToString());
                    return false;
                }
                result.AddRange(part);
                _used.Add(h);
            }
            return true;
        }

        /// <summary>To: of a response is transport-level: an unreadable one is kept in ExtraHeaders, not fatal.</summary>
        private List<Mm4Address> TransportAddresses(string name)
        {
            var result = new List<Mm4Address>();
            foreach (var h in _headers.GetAll(name))
            {
                if (!Mm4Address.TryParseList(UnfoldedText(h), out var part, out _)) { continue; }
                result.AddRange(part);
                _used.Add(h);
            }
            return result;
        }

        private bool ReadMandatoryAddress(string name, out Mm4Address? address, out Mm4ReadResult? err)
        {
            address = null;
            err = null;
            var h = Get(name);
            if (h is null || V(h).Length == 0) { err = Missing(name); return false; }
            if (!Mm4Address.TryParse(UnfoldedText(h), out address, out var e)) { err = Invalid(name, V(h), e.ToString()); return false; }
            _used.Add(h);
            return true;
        }

        private Mm4Address? OptionalAddress(string name)
        {
            var h = Get(name);
            if (h is null || !Mm4Address.TryParse(UnfoldedText(h), out var a)) { return null; }
            _used.Add(h);
            return a;
        }

        private bool ReadDate(out DateTimeOffset date, out Mm4ReadResult? err)
        {
            err = null;
            date = default;
            var h = Get(Mm4HeaderNames.Date);
            if (h is null || V(h).Length == 0) { err = Missing(Mm4HeaderNames.Date); return false; }
            if (!Mm4Dates.TryParse(V(h), out date)) { err = Invalid(Mm4HeaderNames.Date, V(h)); return false; }
            _used.Add(h);
            return true;
        }

        private DateTimeOffset? OptionalDate() => Optional<DateTimeOffset>(Mm4HeaderNames.Date, Mm4Dates.TryParse);

        private delegate bool TryParser<T>(string text, out T value);

        private T? Optional<T>(string name, TryParser<T> parse) where T : struct
        {
            var h = Get(name);
            if (h is null || !parse(V(h), out var v)) { return null; }
            _used.Add(h);
            return v;
        }

        private bool? OptionalBool(string name) => Optional<bool>(name, Mm4Values.TryParse);

        private MimeHeader? Get(string name) => _first.GetValueOrDefault(name);

        /// <summary>The unfolded value, computed once per header.</summary>
        private string V(MimeHeader h)
        {
            if (!_values.TryGetValue(h, out var v)) { _values[h] = v = h.Value; }
            return v;
        }

        private static Dictionary<string, MimeHeader> FirstByName(MimeHeaderList headers)
        {
            var d = new Dictionary<string, MimeHeader>(headers.Count, StringComparer.OrdinalIgnoreCase);
            foreach (var h in headers)
            {
                if (!h.IsMalformed) { d.TryAdd(h.Name, h); }
            }
            return d;
        }

        private string? Peek(string name) => Get(name) is { } h && V(h) is { Length: > 0 } v ? v : null;

        /// <summary>The first non-empty value, marked as used.</summary>
        private string? Take(string name)
        {
            var h = Get(name);
            if (h is null || V(h).Length == 0) { return null; }
            _used.Add(h);
            return V(h);
        }

        private string? TakeText(string name)
        {
            var h = Get(name);
            if (h is null) { return null; }
            _used.Add(h);
            return DecodeText(h);
        }

        /// <summary>Printable-ASCII values only (what the writer can write back); anything else stays in ExtraHeaders.</summary>
        private string? TakeAscii(string name, Func<string, string>? normalize = null)
        {
            var h = Get(name);
            if (h is null) { return null; }
            var v = normalize is null ? V(h) : normalize(V(h));
            if (!IsPrintableAscii(v)) { return null; }
            _used.Add(h);
            return v;
        }

        private List<string> TakeAll(string name)
        {
            var list = new List<string>();
            foreach (var h in _headers.GetAll(name))
            {
                if (!IsPrintableAscii(V(h))) { continue; }
                _used.Add(h);
                list.Add(V(h));
            }
            return list;
        }

        private string? TryId(string name)
        {
            var h = Get(name);
            if (h is null) { return null; }
            var id = Strip(V(h), '"', '"');
            if (id.Length == 0 || id.Any(c => c <= ' ' || c >= 0x7F || c is '"' or '\\')) { return null; }
            _used.Add(h);
            return id;
        }

        private Mm4ReadResult MissingOrInvalidId(string name)
        {
            var h = Get(name);
            return h is null || Strip(V(h), '"', '"').Length == 0 ? Missing(name) : Invalid(name, V(h));
        }

        private Mm4ReadResult Missing(string name) =>
            Fail(_template with { Kind = Mm4ReadErrorKind.MissingMandatoryHeader, Header = name, Detail = $"{name} is missing" });

        private Mm4ReadResult Invalid(string name, string value, string? why = null) =>
            Fail(_template with { Kind = Mm4ReadErrorKind.InvalidHeaderValue, Header = name, Detail = $"cannot read {name}: '{Truncate(value)}'{(why is null ? string.Empty : " (" + why + ")")}" });

        private static string Truncate(string s) => s.Length <= 100 ? s : s[..100] + "...";
    }

    /// <summary>Unfolded header text, then RFC 2047 words decoded (unstructured fields: Subject, X-Mms-Status-Text).</summary>
    internal static string DecodeText(MimeHeader h) => EncodedWords.Decode(UnfoldedText(h));

    /// <summary>Unfolded header text: raw UTF-8 when valid (some peers send it unencoded), else Latin-1. Encoded words left alone
    /// (address fields decode them per display name, after splitting).</summary>
    internal static string UnfoldedText(MimeHeader h)
    {
        var raw = h.RawValue.Span;
        if (raw.IndexOfAnyInRange((byte)0x80, (byte)0xFF) < 0) { return h.Value; }
        string s;
        try { s = s_strictUtf8.GetString(raw); }
        catch (DecoderFallbackException) { s = Encoding.Latin1.GetString(raw); }
        return s.Replace("\r\n", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal).Trim();
    }

    private static bool IsPrintableAscii(string s) => s.Length > 0 && s.All(c => c is >= ' ' and < (char)0x7F);

    private static string Strip(string s, char open, char close)
    {
        var t = s.Trim();
        return t.Length >= 2 && t[0] == open && t[^1] == close ? t[1..^1].Trim() : t;
    }
}

namespace Cpm.Interwork.Sip;

/// <summary>Canonical SIP header names and their compact forms (RFC 3261 §7.3.3, §20; IANA registry).</summary>
public static class SipHeaderNames
{
#pragma warning disable CS1591
    public const string Accept = "Accept";
    public const string AcceptContact = "Accept-Contact";
    public const string AcceptEncoding = "Accept-Encoding";
    public const string AcceptLanguage = "Accept-Language";
    public const string Allow = "Allow";
    public const string AllowEvents = "Allow-Events";
    public const string CallId = "Call-ID";
    public const string Contact = "Contact";
    public const string ContentDisposition = "Content-Disposition";
    public const string ContentEncoding = "Content-Encoding";
    public const string ContentLength = "Content-Length";
    public const string ContentType = "Content-Type";
    public const string ContributionId = "Contribution-ID";
    public const string ConversationId = "Conversation-ID";
    public const string CSeq = "CSeq";
    public const string Date = "Date";
    public const string Event = "Event";
    public const string Expires = "Expires";
    public const string From = "From";
    public const string IdentityInfo = "Identity-Info";
    public const string Identity = "Identity";
    public const string InReplyToContributionId = "InReplyTo-Contribution-ID";
    public const string MaxForwards = "Max-Forwards";
    public const string PAssertedIdentity = "P-Asserted-Identity";
    public const string PAssertedService = "P-Asserted-Service";
    public const string PPreferredIdentity = "P-Preferred-Identity";
    public const string PPreferredService = "P-Preferred-Service";
    public const string Priority = "Priority";
    public const string Privacy = "Privacy";
    public const string ProxyRequire = "Proxy-Require";
    public const string RecordRoute = "Record-Route";
    public const string ReferredBy = "Referred-By";
    public const string ReferTo = "Refer-To";
    public const string RejectContact = "Reject-Contact";
    public const string RequestDisposition = "Request-Disposition";
    public const string Require = "Require";
    public const string RetryAfter = "Retry-After";
    public const string Route = "Route";
    public const string Server = "Server";
    public const string SessionExpires = "Session-Expires";
    public const string Subject = "Subject";
    public const string Supported = "Supported";
    public const string Timestamp = "Timestamp";
    public const string To = "To";
    public const string Unsupported = "Unsupported";
    public const string UserAgent = "User-Agent";
    public const string Via = "Via";
    public const string Warning = "Warning";
#pragma warning restore CS1591

    /// <summary>
    /// The canonical name for a header name as received: compact forms (i m e l c f s k t v u o a j r b x y d n)
    /// and case variants of the names above map to the constant; any other name is returned unchanged.
    /// </summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var id = SipHeaderIds.FromName(name);
        return id == SipHeaderId.Unknown ? name : SipHeaderIds.CanonicalName(id);
    }
}

/// <summary>Known headers, so lookups by name compare integers and compact forms need no special case.</summary>
internal enum SipHeaderId : byte
{
    Unknown = 0,
    Accept, AcceptContact, AcceptEncoding, AcceptLanguage, Allow, AllowEvents, CallId, Contact,
    ContentDisposition, ContentEncoding, ContentLength, ContentType, ContributionId, ConversationId, CSeq,
    Date, Event, Expires, From, Identity, IdentityInfo, InReplyToContributionId, MaxForwards,
    PAssertedIdentity, PAssertedService, PPreferredIdentity, PPreferredService, Priority, Privacy,
    ProxyRequire, RecordRoute, ReferredBy, ReferTo, RejectContact, RequestDisposition, Require, RetryAfter,
    Route, Server, SessionExpires, Subject, Supported, Timestamp, To, Unsupported, UserAgent, Via, Warning,
}

internal static class SipHeaderIds
{
    private static readonly string[] s_names =
    [
        "",
        SipHeaderNames.Accept, SipHeaderNames.AcceptContact, SipHeaderNames.AcceptEncoding, SipHeaderNames.AcceptLanguage,
        SipHeaderNames.Allow, SipHeaderNames.AllowEvents, SipHeaderNames.CallId, SipHeaderNames.Contact,
        SipHeaderNames.ContentDisposition, SipHeaderNames.ContentEncoding, SipHeaderNames.ContentLength,
        SipHeaderNames.ContentType, SipHeaderNames.ContributionId, SipHeaderNames.ConversationId, SipHeaderNames.CSeq,
        SipHeaderNames.Date, SipHeaderNames.Event, SipHeaderNames.Expires, SipHeaderNames.From, SipHeaderNames.Identity,
        SipHeaderNames.IdentityInfo, SipHeaderNames.InReplyToContributionId, SipHeaderNames.MaxForwards,
        SipHeaderNames.PAssertedIdentity, SipHeaderNames.PAssertedService, SipHeaderNames.PPreferredIdentity,
        SipHeaderNames.PPreferredService, SipHeaderNames.Priority, SipHeaderNames.Privacy, SipHeaderNames.ProxyRequire,
        SipHeaderNames.RecordRoute, SipHeaderNames.ReferredBy, SipHeaderNames.ReferTo, SipHeaderNames.RejectContact,
        SipHeaderNames.RequestDisposition, SipHeaderNames.Require, SipHeaderNames.RetryAfter, SipHeaderNames.Route,
        SipHeaderNames.Server, SipHeaderNames.SessionExpires, SipHeaderNames.Subject, SipHeaderNames.Supported,
        SipHeaderNames.Timestamp, SipHeaderNames.To, SipHeaderNames.Unsupported, SipHeaderNames.UserAgent,
        SipHeaderNames.Via, SipHeaderNames.Warning,
    ];

    private static readonly Dictionary<string, SipHeaderId> s_byName = Build();

    private static Dictionary<string, SipHeaderId> Build()
    {
        var d = new Dictionary<string, SipHeaderId>(StringComparer.OrdinalIgnoreCase);
        for (var i = 1; i < s_names.Length; i++) { d[s_names[i]] = (SipHeaderId)i; }
        // Compact forms: RFC 3261 §7.3.3 (i m e l c f s k t v), RFC 3265 (o u), RFC 3841 (a j d),
        // RFC 3515 (r), RFC 3892 (b), RFC 4028 (x), RFC 3893/IANA (y n).
        d["i"] = SipHeaderId.CallId; d["m"] = SipHeaderId.Contact; d["e"] = SipHeaderId.ContentEncoding;
        d["l"] = SipHeaderId.ContentLength; d["c"] = SipHeaderId.ContentType; d["f"] = SipHeaderId.From;
        d["s"] = SipHeaderId.Subject; d["k"] = SipHeaderId.Supported; d["t"] = SipHeaderId.To; d["v"] = SipHeaderId.Via;
        d["o"] = SipHeaderId.Event; d["u"] = SipHeaderId.AllowEvents; d["a"] = SipHeaderId.AcceptContact;
        d["j"] = SipHeaderId.RejectContact; d["d"] = SipHeaderId.RequestDisposition; d["r"] = SipHeaderId.ReferTo;
        d["b"] = SipHeaderId.ReferredBy; d["x"] = SipHeaderId.SessionExpires; d["y"] = SipHeaderId.Identity;
        d["n"] = SipHeaderId.IdentityInfo;
        return d;
    }

    public static string CanonicalName(SipHeaderId id) => s_names[(int)id];

    public static SipHeaderId FromName(string name) =>
        s_byName.TryGetValue(name, out var id) ? id : SipHeaderId.Unknown;

    // Full names bucketed by (length, lower-case first letter), lower-cased, so a raw name is matched with one table
    // index and one case-insensitive compare (two for the few colliding pairs): no hashing, no allocation.
    private static readonly int s_maxNameLength = s_names.Max(n => n.Length);
    private static readonly (byte[] Canonical, SipHeaderId Id)[]?[] s_buckets = BuildBuckets();

    private static (byte[] Canonical, SipHeaderId Id)[]?[] BuildBuckets()
    {
        var buckets = new List<(byte[], SipHeaderId)>?[(s_maxNameLength + 1) * 26];
        for (var i = 1; i < s_names.Length; i++)
        {
            var slot = (s_names[i].Length * 26) + (char.ToLowerInvariant(s_names[i][0]) - 'a');
            (buckets[slot] ??= []).Add((System.Text.Encoding.ASCII.GetBytes(s_names[i]), (SipHeaderId)i));
        }
        return [.. buckets.Select(b => b?.ToArray())];
    }

    /// <summary>Header id of a raw header name (ASCII bytes). Allocation-free.</summary>
    public static SipHeaderId FromName(ReadOnlySpan<byte> name)
    {
        if (name.Length == 1) { return Compact((byte)(name[0] | 0x20)); }
        var letter = (uint)((name.IsEmpty ? 0 : name[0] | 0x20) - 'a');
        if (name.Length > s_maxNameLength || letter > 25) { return SipHeaderId.Unknown; }
        var bucket = s_buckets[(name.Length * 26) + (int)letter];
        if (bucket is null) { return SipHeaderId.Unknown; }
        // Most peers write the canonical spelling: an exact compare first, the case-insensitive one only if needed.
        foreach (var (candidate, id) in bucket)
        {
            if (name.SequenceEqual(candidate)) { return id; }
        }
        foreach (var (candidate, id) in bucket)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(name, candidate)) { return id; }
        }
        return SipHeaderId.Unknown;
    }

    private static SipHeaderId Compact(byte c) => c switch
    {
        (byte)'i' => SipHeaderId.CallId,
        (byte)'m' => SipHeaderId.Contact,
        (byte)'e' => SipHeaderId.ContentEncoding,
        (byte)'l' => SipHeaderId.ContentLength,
        (byte)'c' => SipHeaderId.ContentType,
        (byte)'f' => SipHeaderId.From,
        (byte)'s' => SipHeaderId.Subject,
        (byte)'k' => SipHeaderId.Supported,
        (byte)'t' => SipHeaderId.To,
        (byte)'v' => SipHeaderId.Via,
        (byte)'o' => SipHeaderId.Event,
        (byte)'u' => SipHeaderId.AllowEvents,
        (byte)'a' => SipHeaderId.AcceptContact,
        (byte)'j' => SipHeaderId.RejectContact,
        (byte)'d' => SipHeaderId.RequestDisposition,
        (byte)'r' => SipHeaderId.ReferTo,
        (byte)'b' => SipHeaderId.ReferredBy,
        (byte)'x' => SipHeaderId.SessionExpires,
        (byte)'y' => SipHeaderId.Identity,
        (byte)'n' => SipHeaderId.IdentityInfo,
        _ => SipHeaderId.Unknown,
    };
}

namespace Cpm.Interwork.Sip;

/// <summary>What <see cref="SipFrameReader"/> found; offsets are relative to the start line.</summary>
internal struct SipFrame
{
    public bool IsRequest;
    public string? Method;
    public int UriStart;
    public int UriLength;
    public int StatusCode;
    public int ReasonStart;
    public int ReasonLength;
    public int HeaderCount;
    public int BodyStart;
    public int BodyLength;
    public int MessageLength;
    /// <summary>On Invalid: the essential headers are valid, so a request can be answered.</summary>
    public bool Answerable;
}

/// <summary>
/// Frames one message and validates the headers a transaction layer relies on. Works on one contiguous span that
/// starts at the start line. Limits are checked while scanning, before any value is interpreted.
/// </summary>
internal static class SipFrameReader
{
    private enum VersionCheck { Ok, Unsupported, Malformed }

    public static SipParseStatus Read(ReadOnlySpan<byte> s, SipParserOptions o, bool datagram, Span<SipHeaderEntry> headers,
        out SipFrame frame, out SipRejectionReason reason, out int offset)
    {
        frame = default;
        reason = SipRejectionReason.None;
        offset = 0;
        var deferred = SipRejectionReason.None;
        var deferredOffset = 0;

        // ---- start line ----
        var status = FindLineEnd(s, 0, o, datagram, out var lineEnd, out reason, out offset);
        if (status != SipParseStatus.Complete) { return status; }
        var line = s[..lineEnd];
        if (line.Length >= 4 && System.Text.Ascii.EqualsIgnoreCase(line[..4], "SIP/"u8))
        {
            // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF (§7.2)
            var sp = line.IndexOf((byte)' ');
            if (sp < 0 || line.Length < sp + 4 || !SipCharacters.IsDigit(line[sp + 1]) || !SipCharacters.IsDigit(line[sp + 2]) ||
                !SipCharacters.IsDigit(line[sp + 3]) || line[sp + 1] == (byte)'0' || (line.Length > sp + 4 && line[sp + 4] != (byte)' '))
            {
                return Fail(SipRejectionReason.MalformedStatusLine, 0, out reason, out offset);
            }
            switch (CheckVersion(line[..sp]))
            {
                case VersionCheck.Malformed: return Fail(SipRejectionReason.MalformedStatusLine, 0, out reason, out offset);
                case VersionCheck.Unsupported: return Fail(SipRejectionReason.UnsupportedVersion, 0, out reason, out offset);
            }
            frame.StatusCode = ((line[sp + 1] - '0') * 100) + ((line[sp + 2] - '0') * 10) + (line[sp + 3] - '0');
            frame.ReasonStart = Math.Min(sp + 5, lineEnd);
            frame.ReasonLength = lineEnd - frame.ReasonStart;
        }
        else
        {
            // Request-Line = Method SP Request-URI SP SIP-Version CRLF (§7.1). A line with a token method and two
            // spaces is framed and its fault deferred, so the request can still be answered with 400/416/505.
            frame.IsRequest = true;
            var sp1 = line.IndexOf((byte)' ');
            if (sp1 <= 0) { return Fail(SipRejectionReason.MalformedRequestLine, 0, out reason, out offset); }
            var method = line[..sp1];
            if (method.IndexOfAnyExcept(SipCharacters.Token) >= 0) { return Fail(SipRejectionReason.MalformedMethod, 0, out reason, out offset); }
            var lastSp = line.LastIndexOf((byte)' ');
            if (lastSp == sp1) { return Fail(SipRejectionReason.MalformedRequestLine, sp1, out reason, out offset); }
            frame.Method = SipMethods.Known(method) ?? SipGrammar.Text(method);
            frame.UriStart = sp1 + 1;
            frame.UriLength = lastSp - sp1 - 1;
            var uri = line.Slice(frame.UriStart, frame.UriLength);
            var check = CheckVersion(line[(lastSp + 1)..]);
            if (check == VersionCheck.Malformed || line[sp1 + 1] == (byte)' ' || line[lastSp - 1] == (byte)' ')
            {
                deferred = SipRejectionReason.MalformedRequestLine;
                deferredOffset = sp1;
            }
            else if (uri.IndexOf((byte)' ') >= 0)
            {
                deferred = SipRejectionReason.MalformedRequestUri;
                deferredOffset = frame.UriStart + uri.IndexOf((byte)' ');
            }
            else if (check == VersionCheck.Unsupported)
            {
                deferred = SipRejectionReason.UnsupportedVersion;
                deferredOffset = lastSp + 1;
            }
            else
            {
                var kind = SipUriSyntax.Classify(uri, out var uriHeaders);
                if (kind == UriKind.Invalid) { deferred = SipRejectionReason.MalformedRequestUri; deferredOffset = frame.UriStart; }
                else if (kind == UriKind.Other) { deferred = SipRejectionReason.UnsupportedUriScheme; deferredOffset = frame.UriStart; }
                else if (uriHeaders.IsPresent)
                {
                    // RFC 3261 §19.1.1 Table 1: headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11).
                    deferred = SipRejectionReason.RequestUriWithHeaders;
                    deferredOffset = frame.UriStart + uriHeaders.Start;
                }
            }
        }

        // ---- header lines ----
        var p = lineEnd + 2;
        var count = 0;
        int headerEnd;
        while (true)
        {
            if (p >= s.Length) { return More(datagram, p, out reason, out offset); }
            if (s[p] == (byte)'\r')
            {
                if (p + 1 >= s.Length) { return More(datagram, p, out reason, out offset); }
                if (s[p + 1] != (byte)'\n') { return Fail(SipRejectionReason.MalformedLineEnding, p, out reason, out offset); }
                headerEnd = p + 2;
                break;
            }
            if (SipCharacters.IsWsp(s[p]) || s[p] == (byte)'\n') { return Fail(SipRejectionReason.MalformedHeaderLine, p, out reason, out offset); }
            var lineStart = p;
            status = FindLineEnd(s, p, o, datagram, out var e, out reason, out offset);
            if (status != SipParseStatus.Complete) { return status; }
            var next = e + 2;
            while (next < s.Length && SipCharacters.IsWsp(s[next]))
            {
                status = FindLineEnd(s, next, o, datagram, out e, out reason, out offset);
                if (status != SipParseStatus.Complete) { return status; }
                next = e + 2;
            }
            if (next >= s.Length) { return More(datagram, next, out reason, out offset); }

            // header-name HCOLON header-value; HCOLON = *( SP / HTAB ) ":" SWS (§25.1)
            var nameLength = SipGrammar.CountOf(s, lineStart, SipCharacters.Token);
            if (nameLength == 0 || lineStart + nameLength >= e) { return Fail(SipRejectionReason.MalformedHeaderLine, lineStart, out reason, out offset); }
            var q = lineStart + nameLength;
            while (q < e && SipCharacters.IsWsp(s[q])) { q++; }
            if (q >= e || s[q] != (byte)':') { return Fail(SipRejectionReason.MalformedHeaderLine, lineStart, out reason, out offset); }
            q++;
            while (q < e && SipCharacters.IsLws(s[q])) { q++; }
            var valueEnd = e;
            while (valueEnd > q && SipCharacters.IsLws(s[valueEnd - 1])) { valueEnd--; }
            if (count >= o.MaxHeaderCount || count >= headers.Length) { return Fail(SipRejectionReason.TooManyHeaders, lineStart, out reason, out offset); }
            var id = SipHeaderIds.FromName(s.Slice(lineStart, nameLength));
            headers[count++] = new SipHeaderEntry(lineStart, nameLength, q, valueEnd - q, id);
            p = next;
        }
        frame.HeaderCount = count;
        frame.BodyStart = headerEnd;
        frame.MessageLength = headerEnd;

        // ---- essential headers (RFC 3261 §8.1.1): a request can be answered when every Via is valid and From, To,
        // Call-ID and CSeq are present (malformed ones are copied back raw) ----
        var essential = ValidateEssential(s, headers[..count], frame, out var essentialOffset, out var answerable);
        frame.Answerable = frame.IsRequest && answerable;
        if (deferred != SipRejectionReason.None) { return Fail(deferred, deferredOffset, out reason, out offset); }
        if (essential != SipRejectionReason.None) { return Fail(essential, essentialOffset, out reason, out offset); }

        // ---- Max-Forwards, Content-Length ----
        long contentLength = -1;
        var maxForwardsSeen = false;
        for (var i = 0; i < count; i++)
        {
            var h = headers[i];
            var v = s.Slice(h.ValueStart, h.ValueLength);
            if (h.Id == SipHeaderId.MaxForwards)
            {
                if (maxForwardsSeen) { return Fail(SipRejectionReason.DuplicateMaxForwards, h.NameStart, out reason, out offset); }
                maxForwardsSeen = true;
                if (!SipGrammar.TryParseDigits(v, 255, out _)) { return Fail(SipRejectionReason.MalformedMaxForwards, h.ValueStart, out reason, out offset); }
            }
            else if (h.Id == SipHeaderId.ContentLength)
            {
                if (!SipGrammar.TryParseDigits(v, long.MaxValue / 10, out var cl))
                {
                    return Fail(SipRejectionReason.MalformedContentLength, h.ValueStart, out reason, out offset);
                }
                if (contentLength >= 0 && cl != contentLength) { return Fail(SipRejectionReason.ConflictingContentLength, h.NameStart, out reason, out offset); }
                contentLength = cl;
            }
        }

        // ---- body framing (§18.3) ----
        var available = s.Length - headerEnd;
        if (contentLength < 0)
        {
            if (!datagram) { return Fail(SipRejectionReason.MissingContentLength, headerEnd, out reason, out offset); }
            contentLength = available;
        }
        if (contentLength > o.MaxBodyBytes) { return Fail(SipRejectionReason.BodyTooLarge, headerEnd, out reason, out offset); }
        if (contentLength > available)
        {
            if (datagram) { return Fail(SipRejectionReason.ContentLengthExceedsDatagram, s.Length, out reason, out offset); }
            return SipParseStatus.NeedMore;
        }
        frame.BodyLength = (int)contentLength;
        frame.MessageLength = headerEnd + (int)contentLength;
        frame.Answerable = false;
        return SipParseStatus.Complete;
    }

    private static SipRejectionReason ValidateEssential(ReadOnlySpan<byte> s, ReadOnlySpan<SipHeaderEntry> headers, in SipFrame frame,
        out int offset, out bool answerable)
    {
        int from = -1, to = -1, callId = -1, cseq = -1;
        var via = false;
        var viaValid = true;
        var first = SipRejectionReason.None;
        offset = 0;
        foreach (var h in headers)
        {
            var v = s.Slice(h.ValueStart, h.ValueLength);
            var r = SipRejectionReason.None;
            switch (h.Id)
            {
                case SipHeaderId.Via:
                    via = true;
                    if (!ViaSyntax.IsValidList(v)) { r = SipRejectionReason.MalformedVia; viaValid = false; }
                    break;
                case SipHeaderId.From:
                    if (from >= 0) { r = SipRejectionReason.DuplicateFrom; }
                    else if (!NameAddressSyntax.IsSingle(v)) { r = SipRejectionReason.MalformedFrom; }
                    from = h.NameStart;
                    break;
                case SipHeaderId.To:
                    if (to >= 0) { r = SipRejectionReason.DuplicateTo; }
                    else if (!NameAddressSyntax.IsSingle(v)) { r = SipRejectionReason.MalformedTo; }
                    to = h.NameStart;
                    break;
                case SipHeaderId.CallId:
                    if (callId >= 0) { r = SipRejectionReason.DuplicateCallId; }
                    else if (!IsCallId(v)) { r = SipRejectionReason.MalformedCallId; }
                    callId = h.NameStart;
                    break;
                case SipHeaderId.CSeq:
                    if (cseq >= 0) { r = SipRejectionReason.DuplicateCSeq; }
                    else if (!CSeqHeader.TryRead(v, out _, out var m)) { r = SipRejectionReason.MalformedCSeq; }
                    else if (frame.IsRequest && !m.Of(v).SequenceEqual(MethodBytes(s, frame))) { r = SipRejectionReason.CSeqMethodMismatch; }
                    cseq = h.NameStart;
                    break;
            }
            if (r != SipRejectionReason.None && first == SipRejectionReason.None) { first = r; offset = h.NameStart; }
        }
        answerable = via && viaValid && from >= 0 && to >= 0 && callId >= 0 && cseq >= 0;
        if (first != SipRejectionReason.None) { return first; }
        offset = headers.IsEmpty ? 0 : headers[^1].NameStart;
        if (!via) { return SipRejectionReason.MissingVia; }
        if (from < 0) { return SipRejectionReason.MissingFrom; }
        if (to < 0) { return SipRejectionReason.MissingTo; }
        if (callId < 0) { return SipRejectionReason.MissingCallId; }
        if (cseq < 0) { return SipRejectionReason.MissingCSeq; }
        return SipRejectionReason.None;
    }

    private static ReadOnlySpan<byte> MethodBytes(ReadOnlySpan<byte> s, in SipFrame frame) => s[..(frame.UriStart - 1)];

    /// <summary>callid = word [ "@" word ] (§25.1).</summary>
    private static bool IsCallId(ReadOnlySpan<byte> v)
    {
        var n = SipGrammar.CountOf(v, 0, SipCharacters.Word);
        if (n == 0) { return false; }
        if (n == v.Length) { return true; }
        if (v[n] != (byte)'@') { return false; }
        var m = SipGrammar.CountOf(v, n + 1, SipCharacters.Word);
        return m > 0 && n + 1 + m == v.Length;
    }

    /// <summary>SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT, case-insensitive (§7.1, §25.1).</summary>
    private static VersionCheck CheckVersion(ReadOnlySpan<byte> v)
    {
        if (v.Length < 7 || !System.Text.Ascii.EqualsIgnoreCase(v[..4], "SIP/"u8)) { return VersionCheck.Malformed; }
        var rest = v[4..];
        var dot = rest.IndexOf((byte)'.');
        if (dot <= 0 || dot == rest.Length - 1) { return VersionCheck.Malformed; }
        foreach (var b in rest[..dot]) { if (!SipCharacters.IsDigit(b)) { return VersionCheck.Malformed; } }
        foreach (var b in rest[(dot + 1)..]) { if (!SipCharacters.IsDigit(b)) { return VersionCheck.Malformed; } }
        return rest.SequenceEqual("2.0"u8) ? VersionCheck.Ok : VersionCheck.Unsupported;
    }

    /// <summary>Finds the CRLF ending the physical line that starts at <paramref name="start"/>, enforcing the limits.</summary>
    private static SipParseStatus FindLineEnd(ReadOnlySpan<byte> s, int start, SipParserOptions o, bool datagram,
        out int lineEnd, out SipRejectionReason reason, out int offset)
    {
        lineEnd = -1;
        reason = SipRejectionReason.None;
        offset = 0;
        var idx = s[start..].IndexOfAny((byte)'\r', (byte)'\n');
        if (idx < 0)
        {
            if (s.Length - start > o.MaxLineLength) { return Fail(SipRejectionReason.LineTooLong, start, out reason, out offset); }
            if (s.Length > o.MaxHeaderBlockBytes) { return Fail(SipRejectionReason.HeaderBlockTooLarge, o.MaxHeaderBlockBytes, out reason, out offset); }
            return More(datagram, s.Length, out reason, out offset);
        }
        if (idx > o.MaxLineLength) { return Fail(SipRejectionReason.LineTooLong, start, out reason, out offset); }
        var cr = start + idx;
        if (s[cr] == (byte)'\n') { return Fail(SipRejectionReason.MalformedLineEnding, cr, out reason, out offset); }
        if (cr + 2 > o.MaxHeaderBlockBytes) { return Fail(SipRejectionReason.HeaderBlockTooLarge, o.MaxHeaderBlockBytes, out reason, out offset); }
        if (cr + 1 >= s.Length) { return More(datagram, s.Length, out reason, out offset); }
        if (s[cr + 1] != (byte)'\n') { return Fail(SipRejectionReason.MalformedLineEnding, cr, out reason, out offset); }
        lineEnd = cr;
        return SipParseStatus.Complete;
    }

    private static SipParseStatus More(bool datagram, int at, out SipRejectionReason reason, out int offset)
    {
        if (datagram) { return Fail(SipRejectionReason.IncompleteHeaderBlock, at, out reason, out offset); }
        reason = SipRejectionReason.None;
        offset = 0;
        return SipParseStatus.NeedMore;
    }

    private static SipParseStatus Fail(SipRejectionReason r, int at, out SipRejectionReason reason, out int offset)
    {
        reason = r;
        offset = at;
        return SipParseStatus.Invalid;
    }
}

namespace Cpm.Interwork.Sip;

/// <summary>Outcome of one <see cref="SipParser"/> call.</summary>
public enum SipParseStatus
{
    /// <summary>A whole message was parsed; <c>consumed</c> points after it.</summary>
    Complete = 0,
    /// <summary>Stream mode only: the buffer holds a proper prefix of a message; nothing was consumed.</summary>
    NeedMore = 1,
    /// <summary>The input is not an acceptable SIP message; see <see cref="SipParseError"/>.</summary>
    Invalid = 2,
}

/// <summary>Why a message was rejected. Mapped to a SIP response in one table: <see cref="SipRejections"/>.</summary>
public enum SipRejectionReason
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>Datagram holding nothing but empty lines (a CRLF keep-alive): ignore it silently.</summary>
    EmptyMessage,
    /// <summary>Request-Line is not Method SP Request-URI SP SIP-Version.</summary>
    MalformedRequestLine,
    /// <summary>Method is not a token.</summary>
    MalformedMethod,
    /// <summary>Request-URI is not a valid SIP, SIPS, tel or absolute URI.</summary>
    MalformedRequestUri,
    /// <summary>Request-URI is an absolute URI of a scheme other than sip, sips, tel.</summary>
    UnsupportedUriScheme,
    /// <summary>SIP-Version is well formed but not 2.0.</summary>
    UnsupportedVersion,
    /// <summary>Status-Line is not SIP-Version SP 3DIGIT SP Reason-Phrase.</summary>
    MalformedStatusLine,
    /// <summary>A CR not followed by LF, or an LF not preceded by CR.</summary>
    MalformedLineEnding,
    /// <summary>A physical line longer than <see cref="SipParserOptions.MaxLineLength"/>.</summary>
    LineTooLong,
    /// <summary>Header block larger than <see cref="SipParserOptions.MaxHeaderBlockBytes"/>.</summary>
    HeaderBlockTooLarge,
    /// <summary>More header lines than <see cref="SipParserOptions.MaxHeaderCount"/>.</summary>
    TooManyHeaders,
    /// <summary>A header line without a token name and a colon.</summary>
    MalformedHeaderLine,
    /// <summary>Datagram ended before the empty line ending the header block.</summary>
    IncompleteHeaderBlock,
    /// <summary>Via missing.</summary>
    MissingVia,
    /// <summary>A Via value is not sent-protocol LWS sent-by *(;params).</summary>
    MalformedVia,
    /// <summary>From missing.</summary>
    MissingFrom,
    /// <summary>From is not name-addr / addr-spec with parameters.</summary>
    MalformedFrom,
    /// <summary>More than one From.</summary>
    DuplicateFrom,
    /// <summary>To missing.</summary>
    MissingTo,
    /// <summary>To is not name-addr / addr-spec with parameters.</summary>
    MalformedTo,
    /// <summary>More than one To.</summary>
    DuplicateTo,
    /// <summary>Call-ID missing.</summary>
    MissingCallId,
    /// <summary>Call-ID is not word ["@" word].</summary>
    MalformedCallId,
    /// <summary>More than one Call-ID.</summary>
    DuplicateCallId,
    /// <summary>CSeq missing.</summary>
    MissingCSeq,
    /// <summary>CSeq is not 1*DIGIT LWS Method, or the number exceeds 2^31-1.</summary>
    MalformedCSeq,
    /// <summary>More than one CSeq.</summary>
    DuplicateCSeq,
    /// <summary>CSeq method differs from the request method (RFC 3261 §8.1.1.5).</summary>
    CSeqMethodMismatch,
    /// <summary>Max-Forwards is not 1*DIGIT in 0..255.</summary>
    MalformedMaxForwards,
    /// <summary>More than one Max-Forwards.</summary>
    DuplicateMaxForwards,
    /// <summary>Content-Length is not 1*DIGIT.</summary>
    MalformedContentLength,
    /// <summary>Several Content-Length headers that disagree.</summary>
    ConflictingContentLength,
    /// <summary>Stream mode: no Content-Length (RFC 3261 §18.3, §20.14).</summary>
    MissingContentLength,
    /// <summary>Datagram: Content-Length larger than the bytes after the header block (RFC 3261 §18.3).</summary>
    ContentLengthExceedsDatagram,
    /// <summary>Body larger than <see cref="SipParserOptions.MaxBodyBytes"/>.</summary>
    BodyTooLarge,
    /// <summary>A sip:/sips: Request-URI with '?' headers (RFC 3261 §19.1.1 Table 1; RFC 4475 §3.1.2.11).</summary>
    RequestUriWithHeaders,
}

/// <summary>A rejection: the reason and the byte offset (from the start of the buffer) where it was found.</summary>
/// <param name="Reason">What is wrong.</param>
/// <param name="Offset">Offset of the offending byte or line from the start of the parsed buffer.</param>
public readonly record struct SipParseError(SipRejectionReason Reason, long Offset)
{
    /// <summary>The SIP status code to answer a request with (see <see cref="SipRejections"/>).</summary>
    public int StatusCode => SipRejections.StatusCodeOf(Reason);

    /// <summary>The reason phrase naming the fault (see <see cref="SipRejections"/>).</summary>
    public string ReasonPhrase => SipRejections.ReasonPhraseOf(Reason);
}

/// <summary>The one table mapping <see cref="SipRejectionReason"/> to a SIP status code and a reason phrase naming the fault.</summary>
public static class SipRejections
{
    /// <summary>Status code and reason phrase for a rejection.</summary>
    public static (int StatusCode, string ReasonPhrase) ToResponse(SipRejectionReason reason) => reason switch
    {
        SipRejectionReason.None => (SipStatusCodes.Ok, "OK"),
        SipRejectionReason.EmptyMessage => (400, "Bad Request (Empty Message)"),
        SipRejectionReason.MalformedRequestLine => (400, "Bad Request (Malformed Request-Line)"),
        SipRejectionReason.MalformedMethod => (400, "Bad Request (Malformed Method)"),
        SipRejectionReason.MalformedRequestUri => (400, "Bad Request (Malformed Request-URI)"),
        SipRejectionReason.UnsupportedUriScheme => (416, "Unsupported URI Scheme"),
        SipRejectionReason.UnsupportedVersion => (505, "Version Not Supported"),
        SipRejectionReason.MalformedStatusLine => (400, "Bad Request (Malformed Status-Line)"),
        SipRejectionReason.MalformedLineEnding => (400, "Bad Request (Malformed Line Ending)"),
        SipRejectionReason.LineTooLong => (513, "Message Too Large (Line Too Long)"),
        SipRejectionReason.HeaderBlockTooLarge => (513, "Message Too Large (Header Block)"),
        SipRejectionReason.TooManyHeaders => (513, "Message Too Large (Too Many Headers)"),
        SipRejectionReason.MalformedHeaderLine => (400, "Bad Request (Malformed Header Line)"),
        SipRejectionReason.IncompleteHeaderBlock => (400, "Bad Request (Incomplete Header Block)"),
        SipRejectionReason.MissingVia => (400, "Bad Request (Missing Via)"),
        SipRejectionReason.MalformedVia => (400, "Bad Request (Malformed Via)"),
        SipRejectionReason.MissingFrom => (400, "Bad Request (Missing From)"),
        SipRejectionReason.MalformedFrom => (400, "Bad Request (Malformed From)"),
        SipRejectionReason.DuplicateFrom => (400, "Bad Request (Duplicate From)"),
        SipRejectionReason.MissingTo => (400, "Bad Request (Missing To)"),
        SipRejectionReason.MalformedTo => (400, "Bad Request (Malformed To)"),
        SipRejectionReason.DuplicateTo => (400, "Bad Request (Duplicate To)"),
        SipRejectionReason.MissingCallId => (400, "Bad Request (Missing Call-ID)"),
        SipRejectionReason.MalformedCallId => (400, "Bad Request (Malformed Call-ID)"),
        SipRejectionReason.DuplicateCallId => (400, "Bad Request (Duplicate Call-ID)"),
        SipRejectionReason.MissingCSeq => (400, "Bad Request (Missing CSeq)"),
        SipRejectionReason.MalformedCSeq => (400, "Bad Request (Malformed CSeq)"),
        SipRejectionReason.DuplicateCSeq => (400, "Bad Request (Duplicate CSeq)"),
        SipRejectionReason.CSeqMethodMismatch => (400, "Bad Request (CSeq Method Mismatch)"),
        SipRejectionReason.MalformedMaxForwards => (400, "Bad Request (Malformed Max-Forwards)"),
        SipRejectionReason.DuplicateMaxForwards => (400, "Bad Request (Duplicate Max-Forwards)"),
        SipRejectionReason.MalformedContentLength => (400, "Bad Request (Malformed Content-Length)"),
        SipRejectionReason.ConflictingContentLength => (400, "Bad Request (Conflicting Content-Length)"),
        SipRejectionReason.MissingContentLength => (400, "Bad Request (Missing Content-Length)"),
        SipRejectionReason.ContentLengthExceedsDatagram => (400, "Bad Request (Content-Length Exceeds Datagram)"),
        SipRejectionReason.BodyTooLarge => (413, "Request Entity Too Large"),
        SipRejectionReason.RequestUriWithHeaders => (400, "Bad Request (Headers in Request-URI)"),
        _ => (400, "Bad Request"),
    };

    /// <summary>The status code for a rejection.</summary>
    public static int StatusCodeOf(SipRejectionReason reason) => ToResponse(reason).StatusCode;

    /// <summary>The reason phrase for a rejection.</summary>
    public static string ReasonPhraseOf(SipRejectionReason reason) => ToResponse(reason).ReasonPhrase;
}

namespace Cpm.Interwork.Sip.Stack;

/// <summary>
/// The final answer an application gives to a request: a status 200–699, a reason phrase, extra headers and an
/// optional body. The stack adds Via, From, To (with its tag), Call-ID, CSeq, Server and Content-Length.
/// </summary>
public sealed record SipFinalAnswer
{
    public SipFinalAnswer(int statusCode, string reasonPhrase)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 200);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 699);
        ArgumentNullException.ThrowIfNull(reasonPhrase);
        if (reasonPhrase.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("A reason phrase cannot hold CR or LF.", nameof(reasonPhrase));
        }

        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
    }

    public int StatusCode { get; }

    public string ReasonPhrase { get; }

    /// <summary>Extra header fields (name, value), written in order after the mandatory ones.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Body bytes; when not empty <see cref="ContentType"/> must be set.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    public string? ContentType { get; init; }

    /// <summary>200 OK: the request was delivered.</summary>
    public static SipFinalAnswer Ok() => new(200, "OK");
}

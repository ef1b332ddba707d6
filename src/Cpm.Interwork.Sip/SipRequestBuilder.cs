using System.Buffers;
using System.Globalization;
using System.Text;

namespace Cpm.Interwork.Sip;

/// <summary>
/// Builds a request (RFC 3261 §8.1.1): request line, headers in the order added, Content-Length computed from the body.
/// Values are written as given (UTF-8); names must be tokens and values must not contain CR/LF (a bug, so it throws).
/// </summary>
public sealed class SipRequestBuilder
{
    private readonly SipHeaderBlock _block = new();

    /// <summary>Starts a request.</summary>
    public SipRequestBuilder(string method, string requestUri)
    {
        SipHeaderBlock.CheckName(method);
        ArgumentException.ThrowIfNullOrEmpty(requestUri);
        if (requestUri.AsSpan().IndexOfAny(" \r\n") >= 0) { throw new ArgumentException("Request-URI must not contain SP, CR or LF", nameof(requestUri)); }
        Method = method;
        RequestUri = requestUri;
    }

    /// <summary>The method.</summary>
    public string Method { get; }

    /// <summary>The Request-URI.</summary>
    public string RequestUri { get; }

    /// <summary>Appends a header line.</summary>
    public SipRequestBuilder Header(string name, string value)
    {
        _block.Add(name, value);
        return this;
    }

    /// <summary>Appends <c>Via: SIP/2.0/{transport} {sentBy};branch={branch}[;rport]</c>.</summary>
    public SipRequestBuilder Via(string transport, string sentBy, string branch, bool rport = false) =>
        Header(SipHeaderNames.Via, $"SIP/2.0/{transport} {sentBy};branch={branch}{(rport ? ";rport" : "")}");

    /// <summary>Appends <c>From</c> (a name-addr, e.g. <c>&lt;sip:a@b&gt;;tag=x</c>).</summary>
    public SipRequestBuilder From(string nameAddress) => Header(SipHeaderNames.From, nameAddress);

    /// <summary>Appends <c>To</c>.</summary>
    public SipRequestBuilder To(string nameAddress) => Header(SipHeaderNames.To, nameAddress);

    /// <summary>Appends <c>Call-ID</c>.</summary>
    public SipRequestBuilder CallId(string callId) => Header(SipHeaderNames.CallId, callId);

    /// <summary>Appends <c>CSeq: {number} {Method}</c>.</summary>
    public SipRequestBuilder CSeq(long number) => Header(SipHeaderNames.CSeq, $"{number.ToString(CultureInfo.InvariantCulture)} {Method}");

    /// <summary>Appends <c>Max-Forwards</c>.</summary>
    public SipRequestBuilder MaxForwards(int hops) => Header(SipHeaderNames.MaxForwards, hops.ToString(CultureInfo.InvariantCulture));

    /// <summary>Sets the body and appends its <c>Content-Type</c>.</summary>
    public SipRequestBuilder Body(ReadOnlyMemory<byte> body, string contentType)
    {
        _block.Add(SipHeaderNames.ContentType, contentType);
        _block.Body = body;
        return this;
    }

    /// <summary>Writes the request; returns nothing, the writer advances by the message length.</summary>
    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Encoding.UTF8.GetBytes(Method, writer);
        writer.Write(" "u8);
        Encoding.UTF8.GetBytes(RequestUri, writer);
        writer.Write(" SIP/2.0\r\n"u8);
        _block.Write(writer);
    }

    /// <summary>The request as bytes.</summary>
    public byte[] ToArray() => SipHeaderBlock.ToArray(WriteTo);
}

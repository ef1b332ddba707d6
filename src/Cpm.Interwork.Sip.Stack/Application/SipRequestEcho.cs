using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Cpm.Interwork.Sip.Stack.Transport;

namespace Cpm.Interwork.Sip.Stack;

/// <summary>
/// What a response copies from its request (RFC 3261 §8.2.6.2): every Via in order, From, To, Call-ID, CSeq.
/// Made either from a parsed <see cref="SipRequest"/> or salvaged from bytes the parser rejected
/// (<see cref="SipRequestSalvage"/>), so even a malformed request gets a routable 400.
/// </summary>
internal sealed class SipRequestEcho
{
    private readonly string? _toTag;

    public SipRequestEcho(string method, IReadOnlyList<ViaHeader> vias, string? from, string? to, bool toHasTag, string? callId, string? cseq)
    {
        Method = method;
        Vias = vias;
        From = from;
        To = to;
        CallId = callId;
        CSeq = cseq;
        // RFC 3261 §8.2.6.2: a UAS adds a To tag when the request has none; one tag per transaction.
        _toTag = toHasTag ? null : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    }

    public string Method { get; }

    public IReadOnlyList<ViaHeader> Vias { get; }

    public ViaHeader TopVia => Vias[0];

    public string? From { get; }

    public string? To { get; }

    public string? CallId { get; }

    public string? CSeq { get; }

    public static SipRequestEcho Of(SipRequest request) =>
        new(request.Method, request.Vias, request.GetHeader(SipHeaderNames.From), request.GetHeader(SipHeaderNames.To), request.To.Tag is not null, request.CallId, request.GetHeader(SipHeaderNames.CSeq));

    /// <summary>
    /// Where UDP responses go (RFC 3261 §18.2.2, RFC 3581 §4): to maddr when present; otherwise to the source
    /// address (which is what <c>received</c> records), at the source port when the client asked for rport, else at
    /// the sent-by port (5060 when absent).
    /// </summary>
    public IPEndPoint UdpTarget(IPEndPoint source)
    {
        var top = TopVia;
        if (top.Maddr is { } maddr && IPAddress.TryParse(maddr.Trim('[', ']'), out var multicast))
        {
            return new IPEndPoint(multicast, top.Port ?? 5060);
        }

        return new IPEndPoint(source.Address, top.HasRPort ? source.Port : top.Port ?? 5060);
    }

    /// <summary>Writes a whole response: status line, the echoed headers, extra headers, Server, Content-Length, body.</summary>
    public byte[] Write(int statusCode, string reasonPhrase, IPEndPoint source, string serverName, IEnumerable<KeyValuePair<string, string>>? headers = null, ReadOnlyMemory<byte> body = default, string? contentType = null)
    {
        var sb = new StringBuilder(512);
        sb.Append("SIP/2.0 ").Append(statusCode.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Sanitize(reasonPhrase)).Append("\r\n");
        sb.Append("Via: ").Append(RewriteTopVia(source)).Append("\r\n");
        for (var i = 1; i < Vias.Count; i++)
        {
            sb.Append("Via: ").Append(Vias[i].ToString()).Append("\r\n");
        }

        AppendIfPresent(sb, SipHeaderNames.From, From);
        if (To is not null)
        {
            sb.Append("To: ").Append(To);
            if (_toTag is not null && statusCode > 100)
            {
                sb.Append(";tag=").Append(_toTag);
            }

            sb.Append("\r\n");
        }

        AppendIfPresent(sb, SipHeaderNames.CallId, CallId);
        AppendIfPresent(sb, SipHeaderNames.CSeq, CSeq);
        if (headers is not null)
        {
            foreach (var (name, value) in headers)
            {
                sb.Append(name).Append(": ").Append(Sanitize(value)).Append("\r\n");
            }
        }

        sb.Append("Server: ").Append(serverName).Append("\r\n");
        if (!body.IsEmpty && contentType is not null)
        {
            sb.Append("Content-Type: ").Append(Sanitize(contentType)).Append("\r\n");
        }

        sb.Append("Content-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
        var head = Encoding.UTF8.GetByteCount(sb.ToString());
        var bytes = new byte[head + body.Length];
        Encoding.UTF8.GetBytes(sb.ToString(), bytes);
        body.Span.CopyTo(bytes.AsSpan(head));
        return bytes;
    }

    /// <summary>
    /// RFC 3261 §18.2.1: add <c>received</c> when sent-by is not the source address; RFC 3581 §4: when the client
    /// sent <c>rport</c> without a value, fill it with the source port and always add <c>received</c>.
    /// </summary>
    private string RewriteTopVia(IPEndPoint source)
    {
        var top = TopVia;
        var sourceAddress = source.Address.IsIPv4MappedToIPv6 ? source.Address.MapToIPv4() : source.Address;
        var needReceived = top.HasRPort || !IPAddress.TryParse(top.Host.Trim('[', ']'), out var sentBy) || !sentBy.Equals(sourceAddress);
        var sb = new StringBuilder(128).Append(top.Protocol).Append('/').Append(top.Transport).Append(' ').Append(top.SentBy);
        foreach (var p in top.Parameters)
        {
            if (p.Name.Equals("received", StringComparison.OrdinalIgnoreCase) && needReceived)
            {
                continue;
            }

            sb.Append(';').Append(p.Name);
            if (p.Name.Equals("rport", StringComparison.OrdinalIgnoreCase))
            {
                sb.Append('=').Append(source.Port.ToString(CultureInfo.InvariantCulture));
            }
            else if (p.Value is not null)
            {
                sb.Append('=').Append(p.Value);
            }
        }

        if (needReceived)
        {
            // An IPv6 received value is written without brackets (RFC 5118 §4.5 allows both; bare is the RFC 3261 grammar).
            sb.Append(";received=").Append(sourceAddress.ToString());
        }

        return sb.ToString();
    }

    private static void AppendIfPresent(StringBuilder sb, string name, string? value)
    {
        if (value is not null)
        {
            sb.Append(name).Append(": ").Append(value).Append("\r\n");
        }
    }

    private static string Sanitize(string value) =>
        value.AsSpan().IndexOfAny('\r', '\n') < 0 ? value : value.Replace('\r', ' ').Replace('\n', ' ');
}

using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Cpm.Interwork.Sip.Stack;

/// <summary>
/// What a response copies from its request (RFC 3261 §8.2.6.2) and where it goes. Made from a parsed
/// <see cref="SipRequest"/> (the codec's <see cref="SipResponseBuilder.For"/> copies the headers) or salvaged from bytes
/// the parser could not turn into a message (<see cref="SipRequestSalvage"/>: the lines are copied as found), so even
/// a badly malformed request gets a routable 400. One To tag per transaction.
/// </summary>
internal sealed class SipRequestEcho
{
    private readonly SipRequest? _request;
    private readonly string? _from;
    private readonly string? _to;
    private readonly bool _toHasTag;
    private readonly string? _callId;
    private readonly string? _cseq;
    private readonly string _toTag = RandomNumberGenerator.GetHexString(16, lowercase: true);

    private SipRequestEcho(string method, IReadOnlyList<ViaHeader> vias, SipRequest? request, string? from, string? to, bool toHasTag, string? callId, string? cseq)
    {
        Method = method;
        Vias = vias;
        _request = request;
        _from = from;
        _to = to;
        _toHasTag = toHasTag;
        _callId = callId;
        _cseq = cseq;
    }

    public string Method { get; }

    public IReadOnlyList<ViaHeader> Vias { get; }

    public ViaHeader TopVia => Vias[0];

    public static SipRequestEcho Of(SipRequest request) =>
        new(request.Method, request.Vias, request, null, null, true, null, null);

    public static SipRequestEcho Salvaged(string method, IReadOnlyList<ViaHeader> vias, string? from, string? to, bool toHasTag, string? callId, string? cseq) =>
        new(method, vias, null, from, to, toHasTag, callId, cseq);

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

        return new IPEndPoint(Unmapped(source.Address), top.HasRPort ? source.Port : top.Port ?? 5060);
    }

    /// <summary>Writes a whole response: status line, the echoed headers, extra headers, Server, Content-Length, body.</summary>
    public byte[] Write(int statusCode, string reasonPhrase, IPEndPoint source, string serverName, IEnumerable<KeyValuePair<string, string>>? headers = null, ReadOnlyMemory<byte> body = default, string? contentType = null)
    {
        var sourceAddress = Unmapped(source.Address);
        var top = TopVia;

        // RFC 3261 §18.2.1: received when sent-by is not the source address; RFC 3581 §4: always when rport was asked for.
        var needReceived = top.HasRPort || !IPAddress.TryParse(top.Host.Trim('[', ']'), out var sentBy) || !sentBy.Equals(sourceAddress);
        SipResponseBuilder builder;
        if (_request is not null)
        {
            builder = SipResponseBuilder.For(_request, statusCode, reasonPhrase).ToTag(_toTag);
            if (needReceived)
            {
                builder.TopViaReceived(sourceAddress.ToString(), top.HasRPort ? source.Port : null);
            }
        }
        else
        {
            builder = new SipResponseBuilder(statusCode, reasonPhrase);
            builder.Header(SipHeaderNames.Via, needReceived ? RewriteTopVia(top, sourceAddress, source.Port) : top.ToString());
            for (var i = 1; i < Vias.Count; i++)
            {
                builder.Header(SipHeaderNames.Via, Vias[i].ToString());
            }

            AddIfPresent(builder, SipHeaderNames.From, _from);
            AddIfPresent(builder, SipHeaderNames.To, _to is not null && !_toHasTag && statusCode > 100 ? $"{_to};tag={_toTag}" : _to);
            AddIfPresent(builder, SipHeaderNames.CallId, _callId);
            AddIfPresent(builder, SipHeaderNames.CSeq, _cseq);
        }

        if (headers is not null)
        {
            foreach (var (name, value) in headers)
            {
                builder.Header(name, value);
            }
        }

        builder.Header(SipHeaderNames.Server, serverName);
        if (!body.IsEmpty)
        {
            builder.Body(body, contentType ?? "application/octet-stream");
        }

        return builder.ToArray();
    }

    private static string RewriteTopVia(ViaHeader top, IPAddress received, int sourcePort)
    {
        var sb = new StringBuilder(128).Append(top.Protocol).Append('/').Append(top.Transport).Append(' ').Append(top.SentBy);
        foreach (var p in top.Parameters)
        {
            if (p.Name.Equals("received", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            sb.Append(';').Append(p.Name);
            if (p.Name.Equals("rport", StringComparison.OrdinalIgnoreCase))
            {
                sb.Append('=').Append(sourcePort.ToString(CultureInfo.InvariantCulture));
            }
            else if (p.Value is not null)
            {
                sb.Append('=').Append(p.Value);
            }
        }

        return sb.Append(";received=").Append(received.ToString()).ToString();
    }

    private static void AddIfPresent(SipResponseBuilder builder, string name, string? value)
    {
        if (value is not null)
        {
            builder.Header(name, value);
        }
    }

    private static IPAddress Unmapped(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}

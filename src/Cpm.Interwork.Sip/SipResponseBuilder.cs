using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cpm.Interwork.Sip;

/// <summary>
/// Builds a response to a request (RFC 3261 §8.2.6): copies every Via (in order), From, To, Call-ID and CSeq from the
/// request, adds a To tag when the request has none (except for 100), then the headers added, then Content-Length.
/// </summary>
public sealed class SipResponseBuilder
{
    private readonly SipHeaderBlock _block = new();
    private readonly SipRequest? _request;
    private string? _toTag;
    private string? _received;
    private int? _rport;

    /// <summary>Starts a response with no copied headers (add them yourself).</summary>
    public SipResponseBuilder(int statusCode, string? reasonPhrase = null)
    {
        if (statusCode is < 100 or > 699) { throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "status code must be 100-699"); }
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase ?? SipStatusCodes.ReasonPhrase(statusCode);
        if (ReasonPhrase.AsSpan().IndexOfAny('\r', '\n') >= 0) { throw new ArgumentException("reason phrase must not contain CR or LF", nameof(reasonPhrase)); }
    }

    private SipResponseBuilder(SipRequest request, int statusCode, string? reasonPhrase) : this(statusCode, reasonPhrase) => _request = request;

    /// <summary>A response to <paramref name="request"/> (default reason phrase from <see cref="SipStatusCodes"/>).</summary>
    public static SipResponseBuilder For(SipRequest request, int statusCode, string? reasonPhrase = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new SipResponseBuilder(request, statusCode, reasonPhrase);
    }

    /// <summary>The response to a request the parser rejected but could still read (see <see cref="SipParser"/>).</summary>
    public static SipResponseBuilder ForRejection(SipRequest request, SipParseError error)
    {
        var (code, phrase) = SipRejections.ToResponse(error.Reason);
        return For(request, code, phrase);
    }

    /// <summary>The status code.</summary>
    public int StatusCode { get; }

    /// <summary>The reason phrase.</summary>
    public string ReasonPhrase { get; }

    /// <summary>The To tag to add when the request's To has none (default: a random tag).</summary>
    public SipResponseBuilder ToTag(string tag)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        foreach (var c in tag)
        {
            if (c > 0x7F || !SipCharacters.Token.Contains((byte)c)) { throw new ArgumentException("tag must be a token", nameof(tag)); }
        }
        _toTag = tag;
        return this;
    }

    /// <summary>
    /// Writes the top Via with <c>received</c> (RFC 3261 §18.2.1) and, when the request asked with <c>rport</c>, the
    /// source port (RFC 3581 §4). The other Via values are copied unchanged.
    /// </summary>
    public SipResponseBuilder TopViaReceived(string received, int? rport)
    {
        ArgumentException.ThrowIfNullOrEmpty(received);
        _received = received;
        _rport = rport;
        return this;
    }

    /// <summary>Appends a header line.</summary>
    public SipResponseBuilder Header(string name, string value)
    {
        _block.Add(name, value);
        return this;
    }

    /// <summary>Appends <c>Allow</c> with the methods.</summary>
    public SipResponseBuilder Allow(params string[] methods) => Header(SipHeaderNames.Allow, string.Join(", ", methods));

    /// <summary>Appends <c>Accept</c> with the media types.</summary>
    public SipResponseBuilder Accept(params string[] mediaTypes) => Header(SipHeaderNames.Accept, string.Join(", ", mediaTypes));

    /// <summary>Appends <c>Supported</c> with the option tags.</summary>
    public SipResponseBuilder Supported(params string[] optionTags) => Header(SipHeaderNames.Supported, string.Join(", ", optionTags));

    /// <summary>Appends <c>Unsupported</c> with the option tags (for 420).</summary>
    public SipResponseBuilder Unsupported(params string[] optionTags) => Header(SipHeaderNames.Unsupported, string.Join(", ", optionTags));

    /// <summary>Appends <c>Warning: {code} {agent} "{text}"</c> (RFC 3261 §20.43).</summary>
    public SipResponseBuilder Warning(int code, string agent, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (code is < 300 or > 399) { throw new ArgumentOutOfRangeException(nameof(code), code, "warn-code is 3xx"); }
        var quoted = text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        return Header(SipHeaderNames.Warning, $"{code.ToString(CultureInfo.InvariantCulture)} {agent} \"{quoted}\"");
    }

    /// <summary>Appends <c>Retry-After: {seconds}</c> (RFC 3261 §20.33).</summary>
    public SipResponseBuilder RetryAfter(int seconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seconds);
        return Header(SipHeaderNames.RetryAfter, seconds.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Sets the body and appends its <c>Content-Type</c>.</summary>
    public SipResponseBuilder Body(ReadOnlyMemory<byte> body, string contentType)
    {
        _block.Add(SipHeaderNames.ContentType, contentType);
        _block.Body = body;
        return this;
    }

    /// <summary>Writes the response.</summary>
    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("SIP/2.0 "u8);
        SipHeaderBlock.WriteAscii(writer, StatusCode.ToString(CultureInfo.InvariantCulture));
        writer.Write(" "u8);
        Encoding.UTF8.GetBytes(ReasonPhrase, writer);
        writer.Write("\r\n"u8);
        if (_request is not null) { WriteCopied(writer, _request); }
        _block.Write(writer);
    }

    /// <summary>The response as bytes.</summary>
    public byte[] ToArray() => SipHeaderBlock.ToArray(WriteTo);

    private void WriteCopied(IBufferWriter<byte> writer, SipRequest request)
    {
        var first = true;
        for (var i = request.IndexOf(SipHeaderId.Via, 0); i >= 0; i = request.IndexOf(SipHeaderId.Via, i + 1))
        {
            if (first && _received is not null)
            {
                WriteTopViaWithReceived(writer, request);
            }
            else
            {
                WriteLine(writer, SipHeaderNames.Via, request.ValueSpan(i));
            }
            first = false;
        }
        WriteLine(writer, SipHeaderNames.From, request.ValueSpan(request.IndexOf(SipHeaderId.From, 0)));
        var to = request.ValueSpan(request.IndexOf(SipHeaderId.To, 0));
        if (StatusCode > 100 && !NameAddressSyntax.TryGetTag(to, out _))
        {
            SipHeaderBlock.WriteAscii(writer, SipHeaderNames.To);
            writer.Write(": "u8);
            writer.Write(to);
            writer.Write(";tag="u8);
            SipHeaderBlock.WriteAscii(writer, _toTag ??= RandomNumberGenerator.GetHexString(16, lowercase: true));
            writer.Write("\r\n"u8);
        }
        else
        {
            WriteLine(writer, SipHeaderNames.To, to);
        }
        WriteLine(writer, SipHeaderNames.CallId, request.ValueSpan(request.IndexOf(SipHeaderId.CallId, 0)));
        WriteLine(writer, SipHeaderNames.CSeq, request.ValueSpan(request.IndexOf(SipHeaderId.CSeq, 0)));
    }

    private void WriteTopViaWithReceived(IBufferWriter<byte> writer, SipRequest request)
    {
        // The first Via line may hold several via-parms: rewrite the top one, keep the rest of that line as separate lines.
        var first = request.IndexOf(SipHeaderId.Via, 0);
        var vias = new List<ViaHeader>();
        ViaHeader.ReadList(request.ValueSpan(first), vias);
        var top = vias[0];
        var sb = new StringBuilder().Append(top.Protocol).Append('/').Append(top.Transport).Append(' ').Append(top.SentBy);
        foreach (var p in top.Parameters)
        {
            if (p.Name.Equals("received", StringComparison.OrdinalIgnoreCase)) { continue; }
            if (p.Name.Equals("rport", StringComparison.OrdinalIgnoreCase))
            {
                sb.Append(";rport");
                if (_rport is { } port) { sb.Append('=').Append(port.ToString(CultureInfo.InvariantCulture)); }
                else if (p.Value is not null) { sb.Append('=').Append(p.Value); }
                continue;
            }
            sb.Append(';').Append(p.Name);
            if (p.Value is not null) { sb.Append('=').Append(p.Value); }
        }
        sb.Append(";received=").Append(_received);
        WriteLine(writer, SipHeaderNames.Via, Encoding.UTF8.GetBytes(sb.ToString()));
        for (var k = 1; k < vias.Count; k++) { WriteLine(writer, SipHeaderNames.Via, Encoding.UTF8.GetBytes(vias[k].ToString())); }
    }

    private static void WriteLine(IBufferWriter<byte> writer, string name, ReadOnlySpan<byte> value)
    {
        SipHeaderBlock.WriteAscii(writer, name);
        writer.Write(": "u8);
        writer.Write(value);
        writer.Write("\r\n"u8);
    }
}

namespace Cpm.Interwork.Mime;

/// <summary>base64 / quoted-printable (RFC 2045 §6) encode and lenient decode.</summary>
public static class TransferEncodings
{
    /// <summary>Lenient base64 decode: line breaks and other whitespace skipped (fast path), then any other
    /// non-alphabet byte skipped and a missing padding tolerated (slow path).</summary>
    public static byte[] DecodeBase64(ReadOnlySpan<byte> encoded)
    {
        var result = new byte[System.Buffers.Text.Base64.GetMaxDecodedFromUtf8Length(encoded.Length)];
        if (System.Buffers.Text.Base64.DecodeFromUtf8(encoded, result, out _, out var written) == System.Buffers.OperationStatus.Done)
        {
            return written == result.Length ? result : result.AsSpan(0, written).ToArray();
        }
        return DecodeBase64Lenient(encoded);
    }

    private static byte[] DecodeBase64Lenient(ReadOnlySpan<byte> encoded)
    {
        var clean = new byte[encoded.Length];
        var n = 0;
        foreach (var b in encoded)
        {
            if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '+' || b == '/') { clean[n++] = b; }
        }
        var full = n / 4 * 4;
        var rem = n - full;
        var outLen = full / 4 * 3 + (rem == 2 ? 1 : rem == 3 ? 2 : 0);
        var result = new byte[outLen];
        System.Buffers.Text.Base64.DecodeFromUtf8(clean.AsSpan(0, full), result, out _, out var written);
        if (rem >= 2)
        {
            Span<byte> tail = [clean[full], clean[full + 1], rem == 3 ? clean[full + 2] : (byte)'=', (byte)'='];
            Span<byte> o = stackalloc byte[3];
            System.Buffers.Text.Base64.DecodeFromUtf8(tail, o, out _, out var w2);
            o[..w2].CopyTo(result.AsSpan(written));
        }
        return result;
    }

    public static byte[] EncodeBase64(ReadOnlySpan<byte> data)
    {
        var s = Convert.ToBase64String(data, Base64FormattingOptions.InsertLineBreaks);
        return System.Text.Encoding.ASCII.GetBytes(s + (s.Length > 0 ? "\r\n" : string.Empty));
    }

    public static byte[] DecodeQuotedPrintable(ReadOnlySpan<byte> encoded)
    {
        var o = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            var b = encoded[i];
            if (b != '=') { o.Add(b); continue; }
            if (i + 1 < encoded.Length && encoded[i + 1] == '\n') { i += 1; continue; }
            if (i + 2 < encoded.Length && encoded[i + 1] == '\r' && encoded[i + 2] == '\n') { i += 2; continue; }
            if (i + 2 < encoded.Length && Hex(encoded[i + 1]) >= 0 && Hex(encoded[i + 2]) >= 0)
            {
                o.Add((byte)((Hex(encoded[i + 1]) << 4) | Hex(encoded[i + 2])));
                i += 2;
                continue;
            }
            o.Add(b);
        }
        return [.. o];
    }

    public static byte[] EncodeQuotedPrintable(ReadOnlySpan<byte> data)
    {
        var o = new List<byte>(data.Length + data.Length / 8);
        var line = 0;
        for (var i = 0; i < data.Length; i++)
        {
            var b = data[i];
            if (b == '\r' && i + 1 < data.Length && data[i + 1] == '\n') { o.Add(13); o.Add(10); i++; line = 0; continue; }
            var lastOnLine = i + 1 == data.Length || data[i + 1] == '\r';
            var literal = (b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && !lastOnLine);
            var need = literal ? 1 : 3;
            if (line + need > 75) { o.Add((byte)'='); o.Add(13); o.Add(10); line = 0; }
            if (literal) { o.Add(b); }
            else { o.Add((byte)'='); o.Add((byte)"0123456789ABCDEF"[b >> 4]); o.Add((byte)"0123456789ABCDEF"[b & 15]); }
            line += need;
        }
        return [.. o];
    }

    private static int Hex(byte c) => c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

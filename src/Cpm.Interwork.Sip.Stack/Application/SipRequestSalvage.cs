using System.Text;

namespace Cpm.Interwork.Sip.Stack;

/// <summary>
/// Finds in bytes the parser rejected what a response needs (RFC 3261 §8.2.6.2): the request's method and its Via,
/// From, To, Call-ID and CSeq lines, compact forms included. Null when the bytes are not a request or no Via can be
/// read — such input cannot be answered and is dropped. Reads at most <see cref="MaxLines"/> lines.
/// </summary>
internal static class SipRequestSalvage
{
    private const int MaxLines = 200;

    public static SipRequestEcho? TryRead(ReadOnlySpan<byte> bytes)
    {
        // Skip the CRLFs a stream may carry between messages.
        while (!bytes.IsEmpty && (bytes[0] == (byte)'\r' || bytes[0] == (byte)'\n'))
        {
            bytes = bytes[1..];
        }

        var firstLineEnd = bytes.IndexOf((byte)'\n');
        var requestLine = firstLineEnd < 0 ? bytes : bytes[..firstLineEnd];
        var space = requestLine.IndexOf((byte)' ');
        if (space <= 0 || requestLine.StartsWith("SIP/"u8))
        {
            return null;
        }

        var method = Encoding.ASCII.GetString(requestLine[..space]);
        var vias = new List<ViaHeader>();
        string? from = null, to = null, callId = null, cseq = null;
        var rest = firstLineEnd < 0 ? [] : bytes[(firstLineEnd + 1)..];
        for (var lines = 0; lines < MaxLines && !rest.IsEmpty; lines++)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (line.IsEmpty)
            {
                break;
            }

            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || line[0] == (byte)' ' || line[0] == (byte)'\t')
            {
                continue;
            }

            var name = Encoding.ASCII.GetString(line[..colon]).Trim();
            var value = Encoding.UTF8.GetString(line[(colon + 1)..]).Trim();
            switch (name.ToUpperInvariant())
            {
                case "VIA" or "V":
                    if (ViaHeader.TryParseList(value, out var parsed))
                    {
                        vias.AddRange(parsed);
                    }
                    else if (vias.Count == 0)
                    {
                        return null; // the top Via is unreadable: no safe place to answer
                    }

                    break;
                case "FROM" or "F":
                    from ??= value;
                    break;
                case "TO" or "T":
                    to ??= value;
                    break;
                case "CALL-ID" or "I":
                    callId ??= value;
                    break;
                case "CSEQ":
                    cseq ??= value;
                    break;
            }
        }

        if (vias.Count == 0)
        {
            return null;
        }

        var toHasTag = to is not null && NameAddress.TryParse(to, out var toAddress) && toAddress.Tag is not null;
        return SipRequestEcho.Salvaged(method, vias, from, to, toHasTag, callId, cseq);
    }
}

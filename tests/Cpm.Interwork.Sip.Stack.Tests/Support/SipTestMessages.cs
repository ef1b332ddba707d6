using System.Text;

namespace Cpm.Interwork.Sip.Stack.Tests.Support;

/// <summary>Builds request bytes for tests: CRLF line ends, a correct Content-Length unless told otherwise.</summary>
internal static class SipTestMessages
{
    public static byte[] Request(
        string method,
        string transport,
        int localPort,
        string branch,
        string? extraHeaders = null,
        string body = "",
        string? contentType = "text/plain",
        string maxForwards = "70",
        string? via = null,
        string callId = "call-1@test")
    {
        var sb = new StringBuilder()
            .Append(method).Append(" sip:+15550100002@127.0.0.1 SIP/2.0\r\n")
            .Append("Via: ").Append(via ?? $"SIP/2.0/{transport} 127.0.0.1:{localPort};branch={branch};rport").Append("\r\n")
            .Append("Max-Forwards: ").Append(maxForwards).Append("\r\n")
            .Append("From: <sip:+15550100001@127.0.0.1>;tag=from1\r\n")
            .Append("To: <sip:+15550100002@127.0.0.1>\r\n")
            .Append("Call-ID: ").Append(callId).Append("\r\n")
            .Append("CSeq: 1 ").Append(method).Append("\r\n");
        if (extraHeaders is not null)
        {
            sb.Append(extraHeaders);
        }

        if (body.Length > 0 && contentType is not null)
        {
            sb.Append("Content-Type: ").Append(contentType).Append("\r\n");
        }

        sb.Append("Content-Length: ").Append(Encoding.UTF8.GetByteCount(body)).Append("\r\n\r\n").Append(body);
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>The status code of a response's first line.</summary>
    public static int StatusOf(string response) => int.Parse(response.AsSpan(8, 3), provider: System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The first line of a response.</summary>
    public static string StatusLineOf(string response) => response[..response.IndexOf("\r\n", StringComparison.Ordinal)];

    /// <summary>The value of the first header with this name, or null.</summary>
    public static string? HeaderOf(string response, string name)
    {
        foreach (var line in response.Split("\r\n"))
        {
            if (line.Length == 0)
            {
                break;
            }

            if (line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            {
                return line[(name.Length + 1)..].Trim();
            }
        }

        return null;
    }
}

using System.Globalization;
using System.Text;
using Cpm.Interwork.Sip.Stack.Tests.Support;

namespace Cpm.Interwork.Gateway.Tests.Interworking;

/// <summary>
/// One CPM pager-mode MESSAGE sent by SIPp (UAC) with a scenario written for the case; SIPp itself checks the final status
/// (<c>&lt;recv response="NNN"&gt;</c>) and, when given, regular expressions over response headers (exit ≠ 0 otherwise).
/// SIPp local ports rotate over 15071–15079.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed record SippMessage
{
    private static int s_next;

    public required string RequestUri { get; init; }

    public string From { get; init; } = "<sip:+15550100001@ims.example.net;user=phone>";

    public string? To { get; init; }

    public IReadOnlyList<string> Headers { get; init; } = [];

    public string ContentType { get; init; } = "text/plain;charset=UTF-8";

    public required string Body { get; init; }

    public string CallId { get; init; } = "[call_id]";

    /// <summary>(header name, regexp) the final response must match.</summary>
    public IReadOnlyList<(string Header, string Regexp)> ResponseChecks { get; init; } = [];

    public static int NextPort() => 15071 + (Interlocked.Increment(ref s_next) % 9);

    public string Scenario(int expectedStatus)
    {
        var sb = new StringBuilder();
        sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<!DOCTYPE scenario SYSTEM \"sipp.dtd\">\n<scenario name=\"cpm message\">\n<send retrans=\"500\"><![CDATA[\n");
        sb.Append("MESSAGE ").Append(RequestUri).Append(" SIP/2.0\n");
        sb.Append("Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n");
        sb.Append("Max-Forwards: 70\n");
        sb.Append("From: ").Append(From).Append(";tag=[pid]SIPpTag00[call_number]\n");
        sb.Append("To: ").Append(To ?? "<" + RequestUri + ">").Append('\n');
        sb.Append("Call-ID: ").Append(CallId).Append('\n');
        sb.Append("CSeq: 1 MESSAGE\n");
        foreach (var header in Headers)
        {
            sb.Append(header).Append('\n');
        }

        sb.Append("Content-Type: ").Append(ContentType).Append('\n');
        sb.Append("Content-Length: [len]\n\n");
        sb.Append(Body.Replace("\r\n", "\n", StringComparison.Ordinal));
        sb.Append("\n]]></send>\n");
        sb.Append("<recv response=\"").Append(expectedStatus.ToString(CultureInfo.InvariantCulture)).Append("\" rtd=\"true\"");
        if (ResponseChecks.Count == 0)
        {
            sb.Append("/>\n");
        }
        else
        {
            sb.Append("><action>\n");
            var i = 0;
            foreach (var (header, regexp) in ResponseChecks)
            {
                sb.Append("<ereg regexp=\"").Append(System.Security.SecurityElement.Escape(regexp)).Append("\" search_in=\"hdr\" header=\"")
                    .Append(header).Append(":\" check_it=\"true\" assign_to=\"c").Append((i++).ToString(CultureInfo.InvariantCulture)).Append("\"/>\n");
            }

            sb.Append("</action></recv>\n");
            sb.Append("<Reference variables=\"").Append(string.Join(",", Enumerable.Range(0, i).Select(n => "c" + n.ToString(CultureInfo.InvariantCulture)))).Append("\"/>\n");
        }

        sb.Append("</scenario>\n");
        return sb.ToString();
    }

    /// <summary>Runs SIPp through Kamailio; returns its result (exit 0 = the expected status and every check matched).</summary>
    public async Task<Sipp.Result> RunAsync(string transport, int expectedStatus, TimeSpan? timeout = null, int? target = null)
    {
        var file = Path.Combine(Path.GetTempPath(), "cpm-e2e-" + Guid.NewGuid().ToString("N") + ".xml");
        await File.WriteAllTextAsync(file, Scenario(expectedStatus), new UTF8Encoding(false));
        try
        {
            return await Sipp.RunAsync(file, transport, NextPort(), "127.0.0.1:" + (target ?? InterworkPeers.KamailioPort).ToString(CultureInfo.InvariantCulture),
                timeout: timeout ?? TimeSpan.FromSeconds(15));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>A CPIM (RFC 3862) body with IMDN headers (RFC 5438).</summary>
    public static string Cpim(string from, string to, string text, string? subject = null, string? imdnId = null, string? disposition = null, string contentType = "text/plain;charset=UTF-8")
    {
        var sb = new StringBuilder();
        sb.Append("From: <").Append(from).Append(">\n");
        sb.Append("To: <").Append(to).Append(">\n");
        sb.Append("NS: imdn <urn:ietf:params:imdn>\n");
        sb.Append("DateTime: 2026-11-25T12:00:00Z\n");
        if (subject is not null)
        {
            sb.Append("Subject: ").Append(subject).Append('\n');
        }

        sb.Append("imdn.Message-ID: ").Append(imdnId ?? Guid.NewGuid().ToString("N")).Append('\n');
        if (disposition is not null)
        {
            sb.Append("imdn.Disposition-Notification: ").Append(disposition).Append('\n');
        }

        sb.Append('\n');
        sb.Append("Content-Type: ").Append(contentType).Append('\n');
        sb.Append('\n');
        sb.Append(text);
        return sb.ToString();
    }
}

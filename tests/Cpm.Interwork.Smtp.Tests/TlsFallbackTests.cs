using System.Net;
using System.Net.Sockets;
using System.Text;
using Cpm.Interwork.Smtp.Client;

namespace Cpm.Interwork.Smtp.Tests;

public class TlsFallbackTests
{
    /// <summary>A scripted TCP server: the first connection breaks the TLS handshake after STARTTLS,
    /// later ones run a plain transaction. Returns what each connection received.</summary>
    private static async Task<List<string>> ServeAsync(TcpListener listener, int connections, CancellationToken ct)
    {
        var transcripts = new List<string>();
        for (var n = 0; n < connections; n++)
        {
            using var client = await listener.AcceptTcpClientAsync(ct);
            var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.ASCII);
            var seen = new StringBuilder();
            async Task Say(string s) => await stream.WriteAsync(Encoding.ASCII.GetBytes(s), ct);
            await Say("220 fake ESMTP\r\n");
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                seen.Append(line).Append('\n');
                if (line.StartsWith("EHLO", StringComparison.Ordinal)) await Say("250-fake\r\n250-PIPELINING\r\n250 STARTTLS\r\n");
                else if (line == "STARTTLS") { await Say("220 go\r\n"); await Task.Delay(50, ct); await Say("this is not a TLS server hello\r\n\r\n"); break; }
                else if (line.StartsWith("MAIL", StringComparison.Ordinal) || line.StartsWith("RCPT", StringComparison.Ordinal)) await Say("250 ok\r\n");
                else if (line == "DATA") await Say("354 go\r\n");
                else if (line == ".") await Say("250 queued\r\n");
                else if (line == "QUIT") { await Say("221 bye\r\n"); break; }
            }

            transcripts.Add(seen.ToString());
        }

        return transcripts;
    }

    [Fact]
    public async Task Rfc7435_opportunistic_TLS_that_fails_the_handshake_falls_back_to_plain_text_once()
    {
        var listener = new TcpListener(IPAddress.Loopback, 25275);
        listener.Start();
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var server = ServeAsync(listener, 2, cts.Token);
            await using (var pool = new SmtpClientPool(new SmtpClientOptions { GreetingTimeout = TimeSpan.FromSeconds(5) }))
            {
                var result = await pool.SendAsync(new SmtpEndpoint("127.0.0.1", 25275, SmtpTlsPolicy.Opportunistic), new SmtpEnvelope("a@x.example", "b@y.example"), "Subject: t\r\n\r\nx\r\n"u8.ToArray(), cts.Token);
                Assert.True(result.Kind == SmtpSendResultKind.Sent, result.ToString());
            }

            var transcripts = await server;
            Assert.EndsWith("STARTTLS\n", transcripts[0]);
            Assert.DoesNotContain("STARTTLS", transcripts[1]);
            Assert.Contains("MAIL FROM:<a@x.example>", transcripts[1]);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task Rfc3207_required_TLS_that_fails_the_handshake_is_a_connect_failure_without_fallback()
    {
        var listener = new TcpListener(IPAddress.Loopback, 25276);
        listener.Start();
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var server = ServeAsync(listener, 1, cts.Token);
            await using var pool = new SmtpClientPool(new SmtpClientOptions { GreetingTimeout = TimeSpan.FromSeconds(5) });
            var result = await pool.SendAsync(new SmtpEndpoint("127.0.0.1", 25276, SmtpTlsPolicy.Required), new SmtpEnvelope("a@x.example", "b@y.example"), "x\r\n"u8.ToArray(), cts.Token);
            Assert.Equal(SmtpSendResultKind.ConnectFailure, result.Kind);
            await server;
        }
        finally
        {
            listener.Stop();
        }
    }
}

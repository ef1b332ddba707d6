using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Cpm.Interwork.Smtp.Client;
using Cpm.Interwork.Smtp.Server;
using Cpm.Interwork.Smtp.Tests.Harness;

namespace Cpm.Interwork.Smtp.Tests;

/// <summary>Our client against our server on loopback: pool limits and STARTTLS both ways.</summary>
public class LoopbackTests
{
    private static readonly byte[] s_message = Encoding.ASCII.GetBytes("Subject: loop\r\n\r\nhello\r\n");

    private sealed class GateSink : IMessageSink
    {
        private int _inside;

        public int MaxInside;

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<SmtpReply> DeliverAsync(SmtpReceivedMessage message, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _inside);
            InterlockedMax(ref MaxInside, now);
            await Gate.Task.WaitAsync(cancellationToken);
            Interlocked.Decrement(ref _inside);
            return new SmtpReply(250, new(2, 0, 0), "ok");
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
        }
    }

    [Fact]
    public async Task The_pool_opens_at_most_MaxConnectionsPerEndpoint_and_reuses_them()
    {
        var sink = new GateSink();
        await using var server = new SmtpServer(new SmtpServerOptions { Listen = ["127.0.0.1:25267"], LocalDomains = ["mms.gateway.example"] }, sink);
        await server.StartAsync(default);
        await using var pool = new SmtpClientPool(new SmtpClientOptions { MaxConnectionsPerEndpoint = 2 });
        var relay = new SmtpEndpoint("127.0.0.1", 25267, SmtpTlsPolicy.Off);
        var sends = Enumerable.Range(0, 6).Select(i => pool.SendAsync(relay, new SmtpEnvelope("a@mms.peer.example", $"u{i}@mms.gateway.example"), s_message, default)).ToList();
        await Task.Delay(300);
        Assert.Equal(2, server.ActiveSessions);
        sink.Gate.SetResult();
        var results = await Task.WhenAll(sends).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.All(results, r => Assert.Equal(SmtpSendResultKind.Sent, r.Kind));
        Assert.Equal(2, sink.MaxInside);
        Assert.Equal(2, pool.IdleConnections(relay));
        Assert.Equal(2, server.ActiveSessions);
    }

    [Fact]
    public async Task A_connection_the_server_dropped_while_idle_is_replaced_transparently()
    {
        var sink = new RecordingSink();
        var options = new SmtpServerOptions { Listen = ["127.0.0.1:25268"], LocalDomains = ["mms.gateway.example"] };
        await using var pool = new SmtpClientPool(new SmtpClientOptions());
        var relay = new SmtpEndpoint("127.0.0.1", 25268, SmtpTlsPolicy.Off);
        var first = new SmtpServer(options, sink);
        await first.StartAsync(default);
        Assert.Equal(SmtpSendResultKind.Sent, (await pool.SendAsync(relay, new SmtpEnvelope("a@x.example", "u@mms.gateway.example"), s_message, default)).Kind);
        await first.DisposeAsync();
        await using var second = new SmtpServer(options, sink);
        await second.StartAsync(default);
        var result = await pool.SendAsync(relay, new SmtpEnvelope("a@x.example", "v@mms.gateway.example"), s_message, default);
        Assert.True(result.Kind == SmtpSendResultKind.Sent, result.ToString());
        Assert.Equal(2, sink.Messages.Count);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=mms.gateway.example", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("mms.gateway.example");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }

    [Fact]
    public async Task Rfc3207_our_server_offers_STARTTLS_with_a_certificate_and_our_client_pins_it()
    {
        using var cert = SelfSigned();
        var sink = new RecordingSink();
        await using var server = new SmtpServer(new SmtpServerOptions { Listen = ["127.0.0.1:25264"], LocalDomains = ["mms.gateway.example"], Certificate = cert }, sink);
        await server.StartAsync(default);
        var seen = "";
        await using var pool = new SmtpClientPool(new SmtpClientOptions
        {
            ServerCertificateValidation = (_, c, _, _) => { seen = c?.GetCertHashString() ?? ""; return seen == cert.GetCertHashString(); },
        });
        var result = await pool.SendAsync(new SmtpEndpoint("127.0.0.1", 25264, SmtpTlsPolicy.Required), new SmtpEnvelope("a@x.example", "u@mms.gateway.example"), s_message, default);
        Assert.True(result.Kind == SmtpSendResultKind.Sent, result.ToString());
        Assert.Equal(cert.GetCertHashString(), seen);
        var message = Assert.Single(sink.Messages);
        Assert.True(message.IsSecure);
        Assert.Equal(s_message, message.Data.ToArray());
    }

    [Fact]
    public async Task Rfc3207_after_STARTTLS_the_session_starts_over_and_EHLO_no_longer_offers_it()
    {
        using var cert = SelfSigned();
        await using var server = new SmtpServer(new SmtpServerOptions { Listen = ["127.0.0.1:25269"], LocalDomains = ["mms.gateway.example"], Certificate = cert }, new RecordingSink());
        await server.StartAsync(default);
        await using var raw = await RawSmtpClient.ConnectAsync(25269);
        await raw.ReadReplyAsync();
        await raw.SendAsync("EHLO c.example\r\n");
        Assert.EndsWith("250 STARTTLS", await raw.ReadReplyAsync());
        await raw.SendAsync("MAIL FROM:<a@b.example>\r\nSTARTTLS\r\n");
        await raw.ReadReplyAsync();
        Assert.Equal("503 5.5.1 Bad sequence of commands", await raw.ReadReplyAsync());
    }
}

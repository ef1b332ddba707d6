using System.Text;
using BenchmarkDotNet.Attributes;
using Cpm.Interwork.Smtp;
using Cpm.Interwork.Smtp.Client;
using Cpm.Interwork.Smtp.Server;

namespace Cpm.Interwork.Benchmarks;

/// <summary>Our SMTP client pool → our SMTP server on loopback, PIPELINING on, ~1 KB MM4-shaped
/// messages, a sink that accepts at once. One operation = one message delivered (250 received).</summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes through [GlobalCleanup].")]
public class SmtpBenchmarks
{
    private const int MessagesPerInvoke = 2000;
    private const int Port = 25290;
    private SmtpServer _server = null!;
    private SmtpClientPool _pool = null!;
    private SmtpEndpoint _relay = null!;
    private byte[] _message = [];
    private SmtpEnvelope _envelope = null!;

    [Params(8)]
    public int Connections { get; set; }

    private sealed class NullSink : IMessageSink
    {
        private static readonly SmtpReply s_ok = new(250, new(2, 0, 0), "Stored");

        public ValueTask<SmtpReply> DeliverAsync(SmtpReceivedMessage message, CancellationToken cancellationToken) => ValueTask.FromResult(s_ok);
    }

    [GlobalSetup]
    public void Setup()
    {
        var header = new StringBuilder()
            .Append("From: +15550100001/TYPE=PLMN\r\nSender: +15550100001/TYPE=PLMN@mms.peer.example\r\nTo: +15550100002/TYPE=PLMN\r\n")
            .Append("Message-ID: <k1uoj0sg@mms.peer.example>\r\nDate: Tue, 25 Jan 2022 22:17:44 +0000\r\nSubject: hello\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\nX-Mms-3GPP-MMS-Version: 6.10.0\r\nX-Mms-Message-Type: MM4_forward.REQ\r\n")
            .Append("X-Mms-Transaction-ID: \"3863722022012600@mms.peer.example\"\r\nX-Mms-Message-ID: \"k1uoj0sg@mms.peer.example\"\r\n")
            .Append("X-Mms-Message-Class: Personal\r\nX-Mms-Delivery-Report: Yes\r\nX-Mms-Ack-Request: Yes\r\nX-Mms-Originator-System: system-user@mms.peer.example\r\n\r\n");
        while (header.Length < 1000) header.Append("The quick brown fox jumps over the lazy dog, again and again.\r\n");
        _message = Encoding.ASCII.GetBytes(header.ToString());
        _envelope = new SmtpEnvelope("+15550100001/TYPE=PLMN@mms.peer.example", "+15550100002/TYPE=PLMN@mms.gateway.example");
        _server = new SmtpServer(new SmtpServerOptions { Listen = [$"127.0.0.1:{Port}"], LocalDomains = ["mms.gateway.example"], MaxConnections = 64 }, new NullSink());
        _server.StartAsync(default).GetAwaiter().GetResult();
        _pool = new SmtpClientPool(new SmtpClientOptions { MaxConnectionsPerEndpoint = Connections, MaxMessagesPerConnection = 0 });
        _relay = new SmtpEndpoint("127.0.0.1", Port, SmtpTlsPolicy.Off);
        Send().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pool.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = MessagesPerInvoke)]
    public Task Send() => Task.WhenAll(Enumerable.Range(0, Connections).Select(_ => Worker(MessagesPerInvoke / Connections)));

    private async Task Worker(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var result = await _pool.SendAsync(_relay, _envelope, _message, default).ConfigureAwait(false);
            if (result.Kind != SmtpSendResultKind.Sent) throw new InvalidOperationException(result.ToString());
        }
    }
}

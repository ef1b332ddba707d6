using System.Diagnostics.Metrics;
using System.Text;
using Cpm.Interwork.Core;
using Cpm.Interwork.Dns.Routing;
using Cpm.Interwork.Gateway.Configuration;
using Cpm.Interwork.Gateway.Interworking;
using Cpm.Interwork.Gateway.Interworking.Inbound;
using Cpm.Interwork.Mm4;
using Cpm.Interwork.Sip;
using Cpm.Interwork.Sip.Stack.Client;
using Cpm.Interwork.Smtp.Client;
using Cpm.Interwork.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cpm.Interwork.Gateway.Tests;

/// <summary>
/// One delivery attempt of <see cref="InboundWorker"/> against a scripted SIP client and a real SQLite store: what is
/// recorded per SIP outcome (issue 5 items 4 and 5), without peers.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xUnit disposes them through IAsyncLifetime.DisposeAsync")]
public sealed class InboundWorkerTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cpm-inbound-worker-").FullName;
    private readonly ScriptedSipClient _sip = new();
    private GatewayStore _store = null!;
    private InboundWorker _worker = null!;
    private SmtpClientPool _pool = null!;
    private MeterFactory _meters = null!;

    public async Task InitializeAsync()
    {
        var problems = new List<ConfigurationProblem>();
        var settings = InterworkSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mm4:Domains:0"] = "mms.gw.example", ["Store:Path"] = Path.Combine(_dir, "w.db"), ["Ims:Domain"] = "ims.example.net",
            ["Ims:OutboundProxy"] = "sip:127.0.0.1:15190", ["Ims:Retry:MaxAttempts"] = "3", ["Ims:Retry:Jitter"] = "0",
        }).Build(), problems);
        Assert.Empty(problems);
        _store = new GatewayStore(settings, TimeProvider.System, NullLoggerFactory.Instance);
        await _store.StartAsync(CancellationToken.None);
        _pool = new SmtpClientPool(settings.SmtpClient);
        _meters = new MeterFactory();
        var ids = new RandomMm4IdGenerator("mms.gw.example");
        var metrics = new InboundMetrics(_meters);
        var answers = new InboundAnswerSender(_store, _pool, new NoRoute(), ids, settings, TimeProvider.System, metrics, NullLogger<InboundAnswerSender>.Instance);
        _worker = new InboundWorker(_store, _sip, new Mm4ToCpmMapper(settings.Ims!, settings.Cpm), answers, settings, TimeProvider.System, new InboundSignal(), metrics, NullLogger<InboundWorker>.Instance);
    }

    public async Task DisposeAsync()
    {
        _worker.Dispose();
        await _pool.DisposeAsync();
        await _store.DisposeAsync();
        _meters.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<WorkItem> StoredDeliveryAsync(string rcpt = "+15550300001/TYPE=PLMN@mms.gw.example")
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var mail = "From: +15550100001/TYPE=PLMN\r\nSender: +15550100001/TYPE=PLMN@mms.example.net\r\nTo: +15550300001/TYPE=PLMN\r\nMessage-ID: <" + id + "@x>\r\n" +
                   "Date: Wed, 25 Nov 2026 12:00:00 +0000\r\nContent-Type: text/plain\r\nX-Mms-3GPP-MMS-Version: 6.10.0\r\nX-Mms-Message-Type: MM4_forward.REQ\r\n" +
                   "X-Mms-Transaction-ID: t" + id + "\r\nX-Mms-Message-ID: " + id + "\r\nX-Mms-Delivery-Report: Yes\r\nX-Mms-Ack-Request: Yes\r\n" +
                   "X-Mms-Originator-System: system-user@mms.example.net\r\n\r\nhello\r\n";
        var inserted = await _store.Store.InsertAsync(new NewWorkItem
        {
            Kind = WorkKind.DeliverToCpm, Direction = WorkDirection.MmsToCpm, DedupKey = "mm4:" + id + ":" + rcpt, GroupKey = "mm4:" + id, Mm4MessageId = id,
            ImdnMessageId = "imdn" + id, Recipients = [rcpt], Payload = Encoding.UTF8.GetBytes(mail), ExpiresAt = DateTimeOffset.UtcNow + TimeSpan.FromDays(1),
        }, CancellationToken.None);
        return inserted.Item;
    }

    private async Task<WorkItem> AttemptAsync(WorkItem item)
    {
        await _worker.DeliverAsync(item, CancellationToken.None);
        return (await _store.Store.GetAsync(item.Id, CancellationToken.None))!;
    }

    private async Task<WorkItem?> ReportOfAsync(WorkItem delivery) =>
        await _store.Store.FindByDedupKeyAsync("dr:" + delivery.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);

    [Fact]
    public async Task Response503WithRetryAfter_IsRetried_NotBeforeTheRetryAfter()
    {
        _sip.Next = ScriptedSipClient.Respond(503, "Retry-After: 120\r\n");
        var before = DateTimeOffset.UtcNow;
        var item = await AttemptAsync(await StoredDeliveryAsync());
        Assert.Equal(WorkState.Retrying, item.State);
        Assert.Equal(1, item.Attempts);
        Assert.Equal(503, item.StatusCode);
        Assert.True(item.NextAttemptAt >= before + TimeSpan.FromSeconds(120), item.NextAttemptAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(await ReportOfAsync(item));
    }

    [Fact]
    public async Task TimerF_ThenTimerF_ThenTimerF_Exhausts_FailedWithExpiredReport()
    {
        _sip.Next = new SipClientResult(SipClientOutcome.Timeout, null, "Timer F", SipClientTransport.Udp);
        var item = await StoredDeliveryAsync();
        for (var i = 1; i <= 3; i++)
        {
            item = await AttemptAsync(item);
            Assert.Equal(i, item.Attempts);
        }

        Assert.Equal(WorkState.Failed, item.State);
        Assert.StartsWith("Exhausted|Error-network-problem|Expired|", item.StatusText, StringComparison.Ordinal);
        var report = await ReportOfAsync(item);
        Assert.NotNull(report);
        var dr = Assert.IsType<Mm4DeliveryReportRequest>(Mm4Reader.Read(report.Payload).Message);
        Assert.Equal(MmStatusCode.Expired, dr.MmStatus.Code);
        Assert.Equal(item.Mm4MessageId, dr.MessageId);
    }

    [Fact]
    public async Task Response603_IsDefinitive_ReportRejected_NoRetry()
    {
        _sip.Next = ScriptedSipClient.Respond(603);
        var item = await AttemptAsync(await StoredDeliveryAsync());
        Assert.Equal(WorkState.Failed, item.State);
        Assert.StartsWith("Failed|Error-service-denied|Rejected|SIP 603", item.StatusText, StringComparison.Ordinal);
        var dr = Assert.IsType<Mm4DeliveryReportRequest>(Mm4Reader.Read((await ReportOfAsync(item))!.Payload).Message);
        Assert.Equal(MmStatusCode.Rejected, dr.MmStatus.Code);
    }

    [Fact]
    public async Task Response200_Delivered_ReportRetrieved_MessageCarriesTheStoredImdnId()
    {
        _sip.Next = ScriptedSipClient.Respond(200);
        var stored = await StoredDeliveryAsync();
        var item = await AttemptAsync(stored);
        Assert.Equal(WorkState.Completed, item.State);
        Assert.Contains("imdn.Message-ID: " + stored.ImdnMessageId, Encoding.UTF8.GetString(_sip.LastRequest!), StringComparison.Ordinal);
        Assert.StartsWith("MESSAGE sip:+15550300001@ims.example.net;user=phone SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKtest", Encoding.UTF8.GetString(_sip.LastRequest!), StringComparison.Ordinal);
        var dr = Assert.IsType<Mm4DeliveryReportRequest>(Mm4Reader.Read((await ReportOfAsync(item))!.Payload).Message);
        Assert.Equal(MmStatusCode.Retrieved, dr.MmStatus.Code);
    }

    [Fact]
    public async Task RecipientNotANumber_RefusedWithoutSending_ReportUnrecognised()
    {
        _sip.Next = ScriptedSipClient.Respond(200);
        var item = await AttemptAsync(await StoredDeliveryAsync("alice@mms.gw.example"));
        Assert.Equal(WorkState.Failed, item.State);
        Assert.Null(_sip.LastRequest);
        var dr = Assert.IsType<Mm4DeliveryReportRequest>(Mm4Reader.Read((await ReportOfAsync(item))!.Payload).Message);
        Assert.Equal(MmStatusCode.Unrecognised, dr.MmStatus.Code);
    }

    private sealed class ScriptedSipClient : ISipClient
    {
        public SipClientResult Next { get; set; } = null!;

        public byte[]? LastRequest { get; private set; }

        public Task<SipClientResult> SendAsync(SipClientRequest request, CancellationToken cancellationToken)
        {
            LastRequest = request.Build("SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKtest;rport");
            return Task.FromResult(Next);
        }

        public static SipClientResult Respond(int code, string extra = "")
        {
            var text = $"SIP/2.0 {code.ToString(System.Globalization.CultureInfo.InvariantCulture)} Reason\r\nVia: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKtest\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: c\r\nCSeq: 1 MESSAGE\r\n{extra}Content-Length: 0\r\n\r\n";
            Assert.Equal(SipParseStatus.Complete, SipParser.TryParseDatagram(Encoding.ASCII.GetBytes(text), new SipParserOptions(), out var m, out _));
            return new SipClientResult(SipClientOutcome.Response, (SipResponse)m!, null, SipClientTransport.Udp);
        }
    }

    private sealed class NoRoute : IMm4Router
    {
        public Task<RouteResult> RouteAsync(string recipient, CancellationToken cancellationToken = default) =>
            Task.FromResult(new RouteResult { Status = RouteStatus.NotFound, Recipient = recipient, Reason = "test" });
    }

    private sealed class MeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var m = new Meter(options);
            _meters.Add(m);
            return m;
        }

        public void Dispose()
        {
            foreach (var m in _meters) { m.Dispose(); }
        }
    }
}

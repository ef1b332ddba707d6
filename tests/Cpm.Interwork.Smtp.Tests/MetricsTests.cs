using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Cpm.Interwork.Smtp.Server;
using Cpm.Interwork.Smtp.Tests.Harness;

namespace Cpm.Interwork.Smtp.Tests;

public class MetricsTests
{
    [Fact]
    public async Task Rejections_are_counted_by_reason_on_the_Cpm_Interwork_Smtp_meter()
    {
        var seen = new ConcurrentQueue<(string Instrument, long Value, string? Reason)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == SmtpMetrics.MeterName) l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? reason = null;
            foreach (var tag in tags) if (tag.Key == "reason") reason = tag.Value?.ToString();
            seen.Enqueue((instrument.Name, value, reason));
        });
        listener.Start();
        await using var server = new SmtpServer(new SmtpServerOptions { Listen = ["127.0.0.1:25279"], LocalDomains = ["mms.gateway.example"] }, new RecordingSink());
        await server.StartAsync(default);
        await using var client = await RawSmtpClient.ConnectAsync(25279);
        await client.ReadReplyAsync();
        await client.SendAsync("EHLO c.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<x@relay.example>\r\n");
        for (var i = 0; i < 3; i++) await client.ReadReplyAsync();
        Assert.Contains(seen, m => m.Instrument == "smtp.server.rejections" && m.Reason == nameof(SmtpRejectionReason.RelayDenied) && m.Value == 1);
        Assert.Contains(seen, m => m.Instrument == "smtp.server.sessions");
    }
}

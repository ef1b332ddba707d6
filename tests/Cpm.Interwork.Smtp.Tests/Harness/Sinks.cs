using System.Collections.Concurrent;
using Cpm.Interwork.Smtp.Server;

namespace Cpm.Interwork.Smtp.Tests.Harness;

/// <summary>Records every message and answers with a fixed reply (or throws when told to).</summary>
public sealed class RecordingSink : IMessageSink
{
    public ConcurrentQueue<SmtpReceivedMessage> Messages { get; } = new();

    public Func<SmtpReceivedMessage, SmtpReply> Answer { get; set; } = _ => new SmtpReply(250, new(2, 0, 0), "Stored");

    public ValueTask<SmtpReply> DeliverAsync(SmtpReceivedMessage message, CancellationToken cancellationToken)
    {
        var reply = Answer(message);
        Messages.Enqueue(message);
        return ValueTask.FromResult(reply);
    }

    public async Task<SmtpReceivedMessage> WaitForAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Messages.Count < count && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(Messages.Count >= count, $"expected {count} messages, got {Messages.Count}");
        return Messages.ElementAt(count - 1);
    }
}

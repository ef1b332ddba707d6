using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace Cpm.Interwork.Store.Tests.Contract;

/// <summary>
/// The contract every <see cref="IMessageStore"/> must keep. Subclasses open the same store
/// location on every <see cref="OpenAsync"/> call, so closing and reopening is a restart.
/// </summary>
public abstract partial class MessageStoreContractTests : IAsyncLifetime
{
    private readonly List<IMessageStore> _opened = [];

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    protected IMessageStore Store { get; private set; } = null!;

    /// <summary>Opens (or reopens) the store under test at its fixed location.</summary>
    protected abstract Task<IMessageStore> OpenStoreAsync(TimeProvider time);

    /// <summary>Provider name and target for the crash-writer child process.</summary>
    protected abstract (string Provider, string Target) ChildProcessTarget { get; }

    /// <summary>Provider-specific checks of the stored data after the writer process was killed.</summary>
    protected virtual Task AssertIntactAfterCrashAsync() => Task.CompletedTask;

    public virtual async Task InitializeAsync() => Store = await OpenAsync();

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }
    }

    protected async Task<IMessageStore> OpenAsync()
    {
        var store = await OpenStoreAsync(Time);
        _opened.Add(store);
        return store;
    }

    /// <summary>Closes the current store and opens a new instance on the same data.</summary>
    protected async Task RestartAsync()
    {
        await Store.DisposeAsync();
        Store = await OpenAsync();
    }

    protected static NewWorkItem Forward(string key, string? transactionId = null, string? group = null) => new()
    {
        Kind = WorkKind.ForwardToMmse,
        Direction = WorkDirection.CpmToMms,
        DedupKey = key,
        GroupKey = group,
        SipCallId = "call-" + key,
        Sender = "sip:+15550100001@ims.example.net",
        ImdnMessageId = "imdn-" + key,
        Mm4TransactionId = transactionId ?? "tx-" + key,
        Mm4MessageId = "mid-" + key,
        Recipients = ["+15550100002/TYPE=PLMN", "+15550100003/TYPE=PLMN"],
        PeerDomain = "mms.example.org",
        Payload = Encoding.UTF8.GetBytes("X-Mms-Message-Type: MM4_forward.REQ\r\n\r\nbody of " + key),
        Envelope = Encoding.ASCII.GetBytes("MAIL FROM:<+15550100001/TYPE=PLMN@gw.example.net>"),
    };

    protected static NewWorkItem Delivery(string mm4MessageId, string recipient, string transactionId) => new()
    {
        Kind = WorkKind.DeliverToCpm,
        Direction = WorkDirection.MmsToCpm,
        DedupKey = "in:" + mm4MessageId + ":" + recipient,
        Mm4TransactionId = transactionId,
        Mm4MessageId = mm4MessageId,
        ImdnMessageId = "imdn-for-" + mm4MessageId + "-" + recipient,
        Sender = "+15550100009/TYPE=PLMN",
        Recipients = [recipient],
        PeerDomain = "mms.peer.example",
        Payload = Encoding.UTF8.GetBytes("inbound " + mm4MessageId),
    };

    private static readonly string[] s_noRecipients = [];

    /// <summary>The item with its byte and list members blanked, so record equality compares the scalar fields.</summary>
    protected static WorkItem Scalars(WorkItem item) =>
        item with { Payload = ReadOnlyMemory<byte>.Empty, Envelope = ReadOnlyMemory<byte>.Empty, Recipients = s_noRecipients };

    protected static LeaseRequest Lease(string owner, int max = 100, int seconds = 30, params WorkKind[] kinds) =>
        new(owner, max, TimeSpan.FromSeconds(seconds), kinds);
}

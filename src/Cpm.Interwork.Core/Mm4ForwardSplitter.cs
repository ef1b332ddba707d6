using Cpm.Interwork.Mm4;

namespace Cpm.Interwork.Core;

/// <summary>One MM4_forward.REQ towards one receiving MMSE: the request, its SMTP envelope and the recipients it serves.</summary>
public sealed record Mm4Outbound(string MmseDomain, Mm4ForwardRequest Request, Mm4Envelope Envelope, IReadOnlyList<CpmRecipient> Recipients)
{
    /// <summary>X-Mms-Transaction-ID of this REQ: the key that correlates the RES.</summary>
    public string TransactionId => Request.TransactionId;
}

/// <summary>The split of a <see cref="CpmForward"/>: one <see cref="Mm4Outbound"/> per MMSE, and the recipients without a route.</summary>
public sealed record Mm4SplitResult(IReadOnlyList<Mm4Outbound> Forwards, IReadOnlyList<CpmRecipient> Unrouted);

/// <summary>
/// Splits a CPM message per receiving MMSE (issue 4 item 2): one MM4_forward.REQ per MMSE domain with its own
/// X-Mms-Transaction-ID; RCPT TO holds only that MMSE's recipients qualified with its domain; MAIL FROM is the sender
/// qualified with the gateway's domain; To/Cc list the message's to/cc recipients (bcc never appears in a header).
/// </summary>
public sealed class Mm4ForwardSplitter
{
    private readonly InterworkOptions _options;
    private readonly IMm4IdGenerator _ids;
    private readonly TimeProvider _time;

    public Mm4ForwardSplitter(InterworkOptions options, IMm4IdGenerator ids, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _ids = ids;
        _time = time;
    }

    /// <summary>
    /// <paramref name="routes"/> maps a recipient's E.164 number (<c>+…</c>) to the domain of its MMSE (the caller's
    /// routing: static table, ENUM, MX). Recipients missing from it are returned in <see cref="Mm4SplitResult.Unrouted"/>.
    /// REQs come in the order of their first recipient.
    /// </summary>
    public Mm4SplitResult Split(CpmForward forward, IReadOnlyDictionary<string, string> routes)
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(routes);
        var groups = new List<(string Domain, List<CpmRecipient> Recipients)>();
        var unrouted = new List<CpmRecipient>();
        foreach (var r in forward.Recipients)
        {
            if (!routes.TryGetValue(r.E164, out var domain) || string.IsNullOrWhiteSpace(domain)) { unrouted.Add(r); continue; }
            var g = groups.FindIndex(x => string.Equals(x.Domain, domain, StringComparison.OrdinalIgnoreCase));
            if (g < 0) { groups.Add((domain.ToLowerInvariant(), [r])); }
            else { groups[g].Recipients.Add(r); }
        }

        // Header recipients are the same on every REQ: the message's visible recipients (RFC 5365 copyControl).
        var to = forward.Recipients.Where(r => r.Role == RecipientRole.To).Select(r => r.Address).ToArray();
        var cc = forward.Recipients.Where(r => r.Role == RecipientRole.Cc).Select(r => r.Address).ToArray();
        if (to.Length == 0 && cc.Length == 0)
        {
            // Only bcc recipients: MM4 needs To or Cc; like a mail client, address the message to its sender.
            to = [forward.Sender];
        }

        var outbound = new List<Mm4Outbound>(groups.Count);
        foreach (var (domain, recipients) in groups)
        {
            var request = Build(forward, to, cc);
            var envelope = Mm4Envelope.Create(forward.Sender.Qualify(_options.PrimaryDomain), recipients.Select(r => r.Address.Qualify(domain)));
            outbound.Add(new Mm4Outbound(domain, request, envelope, recipients));
        }
        return new Mm4SplitResult(outbound, unrouted);
    }

    private Mm4ForwardRequest Build(CpmForward f, Mm4Address[] to, Mm4Address[] cc)
    {
        var b = new Mm4ForwardRequestBuilder(_ids, _time)
            .MmsVersion(_options.MmsVersion)
            .TransactionId(_ids.NewTransactionId())
            .MessageId(f.Mm4MessageId)
            .From(f.Sender)
            .Sender(f.Sender.Qualify(_options.PrimaryDomain))
            .OriginatorSystem(_options.OriginatorSystem)
            .Date(f.Date)
            .Subject(f.Subject)
            .Content(f.Content)
            .DeliveryReport(f.DeliveryReport)
            .ReadReply(f.ReadReply)
            .AckRequest(true)
            .To(to)
            .Cc(cc);
        if (f.Expiry is { } e) { b.Expiry(Mm4Expiry.Absolute(e)); }
        if (f.Priority is { } p) { b.Priority(p); }
        if (f.SenderVisibility is { } v) { b.SenderVisibility(v); }
        if (f.ForwardCounter is { } c) { b.ForwardCounter(c); }
        return b.Build();
    }
}

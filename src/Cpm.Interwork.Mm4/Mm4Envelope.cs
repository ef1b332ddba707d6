namespace Cpm.Interwork.Mm4;

/// <summary>
/// The SMTP envelope of an MM4 mail. The envelope defines delivery: RCPT TO holds only the recipients served by the
/// receiving MMSE, qualified with its domain; MAIL FROM is the sender qualified with the originating MMSE's domain or a system address.
/// </summary>
public sealed record Mm4Envelope
{
    private Mm4Envelope(string mailFrom, IReadOnlyList<string> rcptTo)
    {
        MailFrom = mailFrom;
        RcptTo = rcptTo;
    }

    /// <summary>The reverse-path without angle brackets (e.g. <c>+15550100001/TYPE=PLMN@mms.example.net</c>).</summary>
    public string MailFrom { get; }

    /// <summary>The forward-paths without angle brackets, one per recipient, no duplicates.</summary>
    public IReadOnlyList<string> RcptTo { get; }

    /// <summary>An envelope from routable addresses: each must be qualified (PLMN/IP with a domain) or a mailbox.</summary>
    public static Mm4Envelope Create(Mm4Address mailFrom, IEnumerable<Mm4Address> rcptTo)
    {
        ArgumentNullException.ThrowIfNull(mailFrom);
        ArgumentNullException.ThrowIfNull(rcptTo);
        var rcpts = new List<string>();
        foreach (var r in rcptTo)
        {
            var spec = Routable(r, nameof(rcptTo));
            if (!rcpts.Contains(spec, StringComparer.OrdinalIgnoreCase)) { rcpts.Add(spec); }
        }
        if (rcpts.Count == 0) { throw new ArgumentException("an envelope needs at least one recipient", nameof(rcptTo)); }
        return new Mm4Envelope(Routable(mailFrom, nameof(mailFrom)), rcpts);
    }

    /// <summary>
    /// The envelope of a forward.REQ towards one MMSE: MAIL FROM is the originator qualified with
    /// <paramref name="originDomain"/>; RCPT TO holds the To/Cc recipients that <paramref name="servedBy"/> accepts
    /// (all when null), qualified with <paramref name="recipientDomain"/>.
    /// </summary>
    public static Mm4Envelope ForForward(Mm4ForwardRequest request, string originDomain, string recipientDomain, Func<Mm4Address, bool>? servedBy = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var from = request.From ?? throw new ArgumentException("the request has no From", nameof(request));
        var rcpts = request.Recipients.Where(r => servedBy is null || servedBy(r)).Select(r => r.Unqualified().Qualify(recipientDomain));
        return Create(from.Unqualified().Qualify(originDomain), rcpts);
    }

    private static string Routable(Mm4Address a, string param)
    {
        ArgumentNullException.ThrowIfNull(a, param);
        if (a.Kind != Mm4AddressKind.Email && !a.IsQualified)
        {
            throw new ArgumentException($"'{a}' is not routable: qualify it with an MMSE domain", param);
        }
        return a.AddressSpec;
    }
}

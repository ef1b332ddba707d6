using Cpm.Interwork.Mime;

namespace Cpm.Interwork.Mm4;

/// <summary>
/// Builds an MM4_forward.REQ to send. Transaction-ID and Message-ID come from the generator unless set, Date from the
/// clock unless set, X-Mms-Ack-Request defaults to Yes (the gateway always wants the RES). Build refuses a request
/// without From, a recipient or content.
/// </summary>
public sealed class Mm4ForwardRequestBuilder
{
    public const string DefaultMmsVersion = "6.10.0";

    private readonly IMm4IdGenerator _ids;
    private readonly TimeProvider _time;
    private readonly List<Mm4Address> _to = [];
    private readonly List<Mm4Address> _cc = [];
    private readonly MimeHeaderListBuilder _extra = new();
    private Mm4ForwardRequest _template = new() { MmsVersion = DefaultMmsVersion, TransactionId = string.Empty, MessageId = string.Empty, AckRequest = true };

    public Mm4ForwardRequestBuilder(IMm4IdGenerator ids, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(time);
        _ids = ids;
        _time = time;
    }

    public Mm4ForwardRequestBuilder MmsVersion(string version) => Set(_template with { MmsVersion = version });
    public Mm4ForwardRequestBuilder TransactionId(string id) => Set(_template with { TransactionId = id });
    public Mm4ForwardRequestBuilder MessageId(string id) => Set(_template with { MessageId = id });
    public Mm4ForwardRequestBuilder From(Mm4Address from) => Set(_template with { From = from });
    public Mm4ForwardRequestBuilder Sender(Mm4Address sender) => Set(_template with { Sender = sender });
    public Mm4ForwardRequestBuilder OriginatorSystem(Mm4Address system) => Set(_template with { OriginatorSystem = system });
    public Mm4ForwardRequestBuilder Date(DateTimeOffset date) => Set(_template with { Date = date });
    public Mm4ForwardRequestBuilder Subject(string? subject) => Set(_template with { Subject = subject });
    public Mm4ForwardRequestBuilder Content(Mm4Content content) => Set(_template with { Content = content });
    public Mm4ForwardRequestBuilder MessageClass(MessageClass value) => Set(_template with { MessageClass = value });
    public Mm4ForwardRequestBuilder Expiry(Mm4Expiry value) => Set(_template with { Expiry = value });
    public Mm4ForwardRequestBuilder DeliveryReport(bool value) => Set(_template with { DeliveryReport = value });
    public Mm4ForwardRequestBuilder OriginatorRsDeliveryReport(bool value) => Set(_template with { OriginatorRsDeliveryReport = value });
    public Mm4ForwardRequestBuilder Priority(Priority value) => Set(_template with { Priority = value });
    public Mm4ForwardRequestBuilder SenderVisibility(SenderVisibility value) => Set(_template with { SenderVisibility = value });
    public Mm4ForwardRequestBuilder ReadReply(bool value) => Set(_template with { ReadReply = value });

    /// <summary>Null omits the header.</summary>
    public Mm4ForwardRequestBuilder AckRequest(bool? value) => Set(_template with { AckRequest = value });

    public Mm4ForwardRequestBuilder ForwardCounter(int value) => Set(_template with { ForwardCounter = value });

    public Mm4ForwardRequestBuilder To(params Mm4Address[] recipients)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        _to.AddRange(recipients);
        return this;
    }

    public Mm4ForwardRequestBuilder Cc(params Mm4Address[] recipients)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        _cc.AddRange(recipients);
        return this;
    }

    /// <summary>An extra header written after the MM4 ones.</summary>
    public Mm4ForwardRequestBuilder Header(string name, string value)
    {
        _extra.Add(name, value);
        return this;
    }

    /// <summary>The request; throws <see cref="Mm4ValidationException"/> when From, every recipient or the content is missing.</summary>
    public Mm4ForwardRequest Build()
    {
        var messageId = _template.MessageId.Length > 0 ? _template.MessageId : _ids.NewMessageId();
        var m = _template with
        {
            TransactionId = _template.TransactionId.Length > 0 ? _template.TransactionId : _ids.NewTransactionId(),
            MessageId = messageId,
            RfcMessageId = messageId,
            Date = _template.Date ?? _time.GetUtcNow(),
            To = _to.ToArray(),
            Cc = _cc.ToArray(),
            ExtraHeaders = _extra.Build(),
        };
        var missing = m.GetMissingMandatoryHeaders();
        if (missing.Count > 0) { throw new Mm4ValidationException(missing); }
        return m;
    }

    private Mm4ForwardRequestBuilder Set(Mm4ForwardRequest template)
    {
        _template = template;
        return this;
    }
}

namespace Cpm.Interwork.Mm4;

/// <summary>
/// Builds the answers the gateway sends: MM4_forward.RES for a received forward.REQ (echoing Transaction-ID and
/// Message-ID, addressed to X-Mms-Originator-System else Sender), delivery and read-reply reports from an original
/// forward, and the .RES for received reports. The gateway's system address is Sender and X-Mms-Originator-System.
/// </summary>
public sealed class Mm4ReplyFactory
{
    private readonly IMm4IdGenerator _ids;
    private readonly TimeProvider _time;
    private readonly Mm4Address _system;
    private readonly string _version;

    public Mm4ReplyFactory(IMm4IdGenerator ids, TimeProvider time, Mm4Address systemAddress, string mmsVersion = Mm4ForwardRequestBuilder.DefaultMmsVersion)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(systemAddress);
        ArgumentException.ThrowIfNullOrWhiteSpace(mmsVersion);
        _ids = ids;
        _time = time;
        _system = systemAddress;
        _version = mmsVersion;
    }

    /// <summary>Where the answer to <paramref name="request"/> goes: X-Mms-Originator-System, else Sender (null when neither is present).</summary>
    public static Mm4Address? ReplyAddress(Mm4Message request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.OriginatorSystem ?? request.Sender;
    }

    public Mm4ForwardResponse ForwardResponse(Mm4ForwardRequest request, Mm4RequestStatus status, string? statusText = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Response(request, new Mm4ForwardResponse { MmsVersion = _version, TransactionId = request.TransactionId, MessageId = request.MessageId, RequestStatus = status, StatusText = statusText });
    }

    /// <summary>
    /// The forward.RES for a forward.REQ the reader rejected (status from the error table), or null when the error
    /// lacks what a RES needs (Transaction-ID, Message-ID, reply address) or the mail was another known type
    /// (an unsupported or missing X-Mms-Message-Type is answered: the peer most likely meant a forward).
    /// </summary>
    public Mm4ForwardResponse? ForwardResponse(Mm4ReadError error, string? statusText = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.MessageType is not (null or Mm4MessageType.ForwardRequest)
            || error.TransactionId is null || error.MessageId is null || error.ReplyAddress is null)
        {
            return null;
        }
        return new Mm4ForwardResponse
        {
            MmsVersion = _version,
            TransactionId = error.TransactionId,
            MessageId = error.MessageId,
            RequestStatus = error.RequestStatus,
            StatusText = statusText ?? error.Detail,
            Sender = _system,
            To = [error.ReplyAddress],
            Date = _time.GetUtcNow(),
            RfcMessageId = _ids.NewMessageId(),
        };
    }

    /// <summary>MM4_delivery_report.REQ about <paramref name="original"/>: To the original sender, From the recipient, the original X-Mms-Message-ID.</summary>
    public Mm4DeliveryReportRequest DeliveryReport(Mm4ForwardRequest original, Mm4Address recipient, Mm4MmStatus status, string? statusText = null, bool forwardToOriginatorUa = true)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(recipient);
        var originator = original.From ?? throw new ArgumentException("the original has no From", nameof(original));
        return new Mm4DeliveryReportRequest
        {
            MmsVersion = _version,
            TransactionId = _ids.NewTransactionId(),
            MessageId = original.MessageId,
            From = recipient.Unqualified(),
            To = [originator.Unqualified()],
            Sender = _system,
            OriginatorSystem = _system,
            Date = _time.GetUtcNow(),
            RfcMessageId = _ids.NewMessageId(),
            MmStatus = status,
            StatusText = statusText,
            ForwardToOriginatorUa = forwardToOriginatorUa,
            AckRequest = true,
        };
    }

    /// <summary>MM4_read_reply_report.REQ about <paramref name="original"/>.</summary>
    public Mm4ReadReplyReportRequest ReadReplyReport(Mm4ForwardRequest original, Mm4Address recipient, ReadStatus status, string? statusText = null)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(recipient);
        var originator = original.From ?? throw new ArgumentException("the original has no From", nameof(original));
        return new Mm4ReadReplyReportRequest
        {
            MmsVersion = _version,
            TransactionId = _ids.NewTransactionId(),
            MessageId = original.MessageId,
            From = recipient.Unqualified(),
            To = [originator.Unqualified()],
            Sender = _system,
            OriginatorSystem = _system,
            Date = _time.GetUtcNow(),
            RfcMessageId = _ids.NewMessageId(),
            ReadStatus = status,
            StatusText = statusText,
            AckRequest = true,
        };
    }

    public Mm4DeliveryReportResponse DeliveryReportResponse(Mm4DeliveryReportRequest request, Mm4RequestStatus status, string? statusText = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Response(request, new Mm4DeliveryReportResponse { MmsVersion = _version, TransactionId = request.TransactionId, MessageId = request.MessageId, RequestStatus = status, StatusText = statusText });
    }

    public Mm4ReadReplyReportResponse ReadReplyReportResponse(Mm4ReadReplyReportRequest request, Mm4RequestStatus status, string? statusText = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Response(request, new Mm4ReadReplyReportResponse { MmsVersion = _version, TransactionId = request.TransactionId, MessageId = request.MessageId, RequestStatus = status, StatusText = statusText });
    }

    /// <summary>
    /// The envelope destination for a report about <paramref name="original"/>: its Sender when routable (qualified or a
    /// mailbox), else its From qualified with the domain of its X-Mms-Originator-System mailbox; null when neither works.
    /// </summary>
    public static Mm4Address? ReportDestination(Mm4ForwardRequest original)
    {
        ArgumentNullException.ThrowIfNull(original);
        if (original.Sender is { } s && (s.IsQualified || s.Kind == Mm4AddressKind.Email)) { return s.WithDisplayName(null); }
        if (original.From is { } f && original.OriginatorSystem is { Kind: Mm4AddressKind.Email } os)
        {
            var at = os.Value.LastIndexOf('@');
            return f.Unqualified().Qualify(os.Value[(at + 1)..]);
        }
        return null;
    }

    private T Response<T>(Mm4Message request, T response) where T : Mm4Message
    {
        var to = ReplyAddress(request);
        return response with
        {
            Sender = _system,
            To = to is null ? [] : [to],
            Date = _time.GetUtcNow(),
            RfcMessageId = _ids.NewMessageId(),
        };
    }
}

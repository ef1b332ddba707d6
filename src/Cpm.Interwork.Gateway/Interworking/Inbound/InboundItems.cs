using System.Text;
using Cpm.Interwork.Core;
using Cpm.Interwork.Mm4;
using Cpm.Interwork.Smtp.Client;
using Cpm.Interwork.Store;

namespace Cpm.Interwork.Gateway.Interworking.Inbound;

/// <summary>
/// How the MMS → CPM direction keeps its work in the store:
/// <list type="bullet">
/// <item><see cref="WorkKind.DeliverToCpm"/> per RCPT TO recipient: Payload = the MM4_forward.REQ as received, Envelope = the
/// recipient, ImdnMessageId = the fresh imdn.Message-ID (same for every attempt), GroupKey = <c>mm4:&lt;X-Mms-Message-ID&gt;</c>.
/// Its outcome in StatusText: <c>&lt;Delivered|Accepted|Failed|Retry|Expired&gt;|&lt;Request-Status-Code&gt;|&lt;MM-Status-Code&gt;|&lt;text&gt;</c>,
/// the SIP status in StatusCode;</item>
/// <item><see cref="WorkKind.SendForwardResponse"/> per REQ (Ack-Request Yes): Payload = the REQ, due at receipt + Mm4:ResponseWait
/// unless the first outcome makes it due earlier; StatusText = <c>status:&lt;code&gt;|&lt;text&gt;</c> once decided, <c>sent:&lt;reply&gt;</c> after;</item>
/// <item><see cref="WorkKind.SendDeliveryReport"/> per delivered/failed recipient (X-Mms-Delivery-Report Yes): Payload = the report mail,
/// Envelope = MAIL FROM / RCPT TO; AwaitingResponse after the 250 until its MM4_delivery_report.RES (StatusText <c>res:&lt;code&gt;</c>).</item>
/// </list>
/// </summary>
internal static class InboundItems
{
    public const string StatusPrefix = "status:";
    public const string SentPrefix = "sent:";
    public const string ResPrefix = "res:";

    public static string GroupKey(string mm4MessageId) => "mm4:" + mm4MessageId;

    public static string DeliverKey(string mm4MessageId, string recipient) => "mm4:" + mm4MessageId + ":" + recipient.ToLowerInvariant();

    public static string OutcomeText(string kind, DeliveryOutcome outcome) =>
        kind + "|" + outcome.RequestStatus.Text + "|" + (outcome.MmStatus?.Text ?? string.Empty) + "|" + outcome.StatusText.Replace('\n', ' ').Replace('\r', ' ');

    /// <summary>The recorded outcome of a DeliverToCpm item: (kind, RES status, MM status, text), or null while none.</summary>
    public static (string Kind, Mm4RequestStatus Status, Mm4MmStatus? MmStatus, string Text)? ParseOutcome(string? statusText)
    {
        if (statusText is null) { return null; }
        var parts = statusText.Split('|', 4);
        if (parts.Length < 4) { return null; }
        return (parts[0], Mm4RequestStatus.Parse(parts[1]), parts[2].Length == 0 ? null : Mm4MmStatus.Parse(parts[2]), parts[3]);
    }

    public static byte[] EncodeEnvelope(SmtpEnvelope envelope) => Encoding.UTF8.GetBytes(envelope.MailFrom + "\n" + string.Join("\n", envelope.Recipients));

    public static SmtpEnvelope DecodeEnvelope(ReadOnlyMemory<byte> bytes)
    {
        var lines = Encoding.UTF8.GetString(bytes.Span).Split('\n');
        return new SmtpEnvelope(lines[0], lines.Skip(1).Where(l => l.Length > 0).ToArray());
    }

    public static string Recipient(WorkItem item) => item.Recipients.Count > 0 ? item.Recipients[0] : Encoding.UTF8.GetString(item.Envelope.Span);

    /// <summary>The stored REQ read again (it was readable when it was stored).</summary>
    public static Mm4ForwardRequest? Request(WorkItem item) => Mm4Reader.Read(item.Payload).Message as Mm4ForwardRequest;
}

namespace Cpm.Interwork.Mm4;

/// <summary>Header field names as we write them (3GPP TS 23.140 §8.4). Reading compares case-insensitively.</summary>
public static class Mm4HeaderNames
{
    public const string From = "From";
    public const string Sender = "Sender";
    public const string To = "To";
    public const string Cc = "Cc";
    public const string MessageIdRfc = "Message-ID";
    public const string Date = "Date";
    public const string Subject = "Subject";
    public const string MimeVersion = "MIME-Version";
    public const string ContentType = "Content-Type";
    public const string MmsVersion = "X-Mms-3GPP-MMS-Version";
    public const string MessageType = "X-Mms-Message-Type";
    public const string TransactionId = "X-Mms-Transaction-ID";
    public const string MessageId = "X-Mms-Message-ID";
    public const string MessageClass = "X-Mms-Message-Class";
    public const string Expiry = "X-Mms-Expiry";
    public const string DeliveryReport = "X-Mms-Delivery-Report";
    public const string OriginatorRsDeliveryReport = "X-Mms-Originator-R/S-Delivery-Report";
    public const string Priority = "X-Mms-Priority";
    public const string SenderVisibility = "X-Mms-Sender-Visibility";
    public const string ReadReply = "X-Mms-Read-Reply";
    public const string AckRequest = "X-Mms-Ack-Request";
    public const string ForwardCounter = "X-Mms-Forward-Counter";
    public const string PreviouslySentBy = "X-Mms-Previously-sent-by";
    public const string PreviouslySentDateAndTime = "X-Mms-Previously-sent-date-and-time";
    public const string VaspId = "X-Mms-VASP-ID";
    public const string VasId = "X-Mms-VAS-ID";
    public const string ApplicId = "X-Mms-Applic-ID";
    public const string ReplyApplicId = "X-Mms-Reply-Applic-ID";
    public const string AuxApplicInfo = "X-Mms-Aux-Applic-Info";
    public const string ContentClass = "X-Mms-Content-Class";
    public const string DrmContent = "X-Mms-DRM-Content";
    public const string AdaptationAllowed = "X-Mms-Adaptation-Allowed";
    public const string OriginatorSystem = "X-Mms-Originator-System";
    public const string RequestStatusCode = "X-Mms-Request-Status-Code";
    public const string StatusText = "X-Mms-Status-Text";
    public const string ForwardToOriginatorUa = "X-Mms-Forward-To-Originator-UA";
    public const string MmStatusCode = "X-Mms-MM-Status-Code";
    public const string MmStatusExtension = "X-Mms-MM-Status-Extension";
    public const string ReadStatus = "X-Mms-Read-Status";
}

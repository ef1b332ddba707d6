using System.Text;

namespace Cpm.Interwork.Mime;

/// <summary>Header names this codec reads, in one place.</summary>
public static class MimeHeaderNames
{
    public const string ContentType = "Content-Type";
    public const string ContentTransferEncoding = "Content-Transfer-Encoding";
    public const string ContentId = "Content-ID";
    public const string ContentLocation = "Content-Location";
    public const string ContentDisposition = "Content-Disposition";
    public const string ContentLength = "Content-Length";
    public const string MimeVersion = "MIME-Version";
    public const string Subject = "Subject";
    public const string From = "From";
    public const string To = "To";
    public const string Cc = "Cc";
    public const string Date = "Date";
    public const string MessageId = "Message-ID";
    public const string Sender = "Sender";

    // names as commonly spelled on the wire, so parsing them allocates no string
    private static readonly string[] s_common =
    [
        ContentType, ContentTransferEncoding, ContentId, ContentLocation, ContentDisposition, ContentLength, MimeVersion,
        Subject, From, To, Cc, Date, MessageId, Sender, "Content-type", "Content-Id", "Message-Id", "Mime-Version",
        "Content-transfer-encoding", "Content-Transfer-encoding", "X-Mms-3GPP-MMS-Version", "X-Mms-Message-Type",
        "X-Mms-Transaction-ID", "X-Mms-Message-ID", "X-Mms-Message-Class", "X-Mms-Expiry", "X-Mms-Delivery-Report",
        "X-Mms-Priority", "X-Mms-Read-Reply", "X-Mms-Ack-Request", "X-Mms-Originator-System",
        "X-Mms-Originator-R/S-Delivery-Report", "Received", "Return-Path", "DateTime", "NS",
    ];

    internal static string Intern(ReadOnlySpan<byte> name)
    {
        foreach (var s in s_common)
        {
            if (s.Length == name.Length && Ascii.Equals(name, s)) { return s; }
        }
        return Encoding.Latin1.GetString(name);
    }
}

namespace Cpm.Interwork.Mm4;

/// <summary>The six MM4 message types (X-Mms-Message-Type).</summary>
public enum Mm4MessageType
{
    ForwardRequest,
    ForwardResponse,
    DeliveryReportRequest,
    DeliveryReportResponse,
    ReadReplyReportRequest,
    ReadReplyReportResponse,
}

/// <summary>X-Mms-Request-Status-Code values (TS 23.140; MMS 1.2+ transient/permanent values accepted).</summary>
public enum RequestStatusCode
{
    /// <summary>A value we do not know; the wire text is kept in <see cref="Mm4RequestStatus.Text"/>.</summary>
    Unknown = 0,
    Ok,
    ErrorUnspecified,
    ErrorServiceDenied,
    ErrorMessageFormatCorrupt,
    ErrorSendingAddressUnresolved,
    ErrorMessageNotFound,
    ErrorNetworkProblem,
    ErrorContentNotAccepted,
    ErrorUnsupportedMessage,
    ErrorTransientFailure,
    ErrorTransientSendingAddressUnresolved,
    ErrorTransientMessageNotFound,
    ErrorTransientNetworkProblem,
    ErrorTransientPartialSuccess,
    ErrorPermanentFailure,
    ErrorPermanentServiceDenied,
    ErrorPermanentMessageFormatCorrupt,
    ErrorPermanentSendingAddressUnresolved,
    ErrorPermanentMessageNotFound,
    ErrorPermanentContentNotAccepted,
    ErrorPermanentReplyChargingLimitationsNotMet,
    ErrorPermanentReplyChargingRequestNotAccepted,
    ErrorPermanentReplyChargingForwardingDenied,
    ErrorPermanentReplyChargingNotSupported,
    ErrorPermanentAddressHidingNotSupported,
    ErrorPermanentLackOfPrepaid,
}

/// <summary>X-Mms-MM-Status-Code values.</summary>
public enum MmStatusCode
{
    /// <summary>A value we do not know; the wire text is kept in <see cref="Mm4MmStatus.Text"/>.</summary>
    Unknown = 0,
    Expired,
    Retrieved,
    Rejected,
    Deferred,
    Indeterminate,
    Forwarded,
    Unrecognised,
}

/// <summary>X-Mms-Read-Status values.</summary>
public enum ReadStatus
{
    Read,
    DeletedWithoutBeingRead,
}

/// <summary>X-Mms-Message-Class values.</summary>
public enum MessageClass
{
    Personal,
    Advertisement,
    Informational,
    Auto,
}

/// <summary>X-Mms-Priority values.</summary>
public enum Priority
{
    Low,
    Normal,
    High,
}

/// <summary>X-Mms-Sender-Visibility values.</summary>
public enum SenderVisibility
{
    Hide,
    Show,
}

/// <summary>A request status: the typed code and the exact token (kept for values we do not know).</summary>
public readonly record struct Mm4RequestStatus(RequestStatusCode Code, string Text)
{
    public static Mm4RequestStatus Ok { get; } = From(RequestStatusCode.Ok);

    public static Mm4RequestStatus From(RequestStatusCode code) => new(code, Mm4Values.Format(code));

    /// <summary>Case-insensitive; an unknown token gives <see cref="RequestStatusCode.Unknown"/> with the token kept.</summary>
    public static Mm4RequestStatus Parse(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var t = token.Trim();
        return Mm4Values.TryParse(t, out RequestStatusCode c) ? From(c) : new(RequestStatusCode.Unknown, t);
    }

    public bool IsOk => Code == RequestStatusCode.Ok;

    /// <summary>Error-transient-* (incl. unknown ones by prefix) and Error-network-problem: worth retrying.</summary>
    public bool IsTransient => Code == RequestStatusCode.ErrorNetworkProblem
        || Text.StartsWith("Error-transient-", StringComparison.OrdinalIgnoreCase);

    /// <summary>Error-permanent-* (incl. unknown ones by prefix).</summary>
    public bool IsPermanent => Text.StartsWith("Error-permanent-", StringComparison.OrdinalIgnoreCase);

    public override string ToString() => Text;
}

/// <summary>An MM status: typed code and exact token (kept for values we do not know).</summary>
public readonly record struct Mm4MmStatus(MmStatusCode Code, string Text)
{
    public static Mm4MmStatus From(MmStatusCode code) => new(code, Mm4Values.Format(code));

    public static Mm4MmStatus Parse(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var t = token.Trim();
        return Mm4Values.TryParse(t, out MmStatusCode c) ? From(c) : new(MmStatusCode.Unknown, t);
    }

    public override string ToString() => Text;
}

/// <summary>The one table between wire tokens and enum values. Parsing is case-insensitive.</summary>
public static class Mm4Values
{
    private static readonly (Mm4MessageType Value, string Token)[] s_types =
    [
        (Mm4MessageType.ForwardRequest, "MM4_forward.REQ"),
        (Mm4MessageType.ForwardResponse, "MM4_forward.RES"),
        (Mm4MessageType.DeliveryReportRequest, "MM4_delivery_report.REQ"),
        (Mm4MessageType.DeliveryReportResponse, "MM4_delivery_report.RES"),
        (Mm4MessageType.ReadReplyReportRequest, "MM4_read_reply_report.REQ"),
        (Mm4MessageType.ReadReplyReportResponse, "MM4_read_reply_report.RES"),
    ];

    private static readonly (RequestStatusCode Value, string Token)[] s_requestStatus =
    [
        (RequestStatusCode.Ok, "Ok"),
        (RequestStatusCode.ErrorUnspecified, "Error-unspecified"),
        (RequestStatusCode.ErrorServiceDenied, "Error-service-denied"),
        (RequestStatusCode.ErrorMessageFormatCorrupt, "Error-message-format-corrupt"),
        (RequestStatusCode.ErrorSendingAddressUnresolved, "Error-sending-address-unresolved"),
        (RequestStatusCode.ErrorMessageNotFound, "Error-message-not-found"),
        (RequestStatusCode.ErrorNetworkProblem, "Error-network-problem"),
        (RequestStatusCode.ErrorContentNotAccepted, "Error-content-not-accepted"),
        (RequestStatusCode.ErrorUnsupportedMessage, "Error-unsupported-message"),
        (RequestStatusCode.ErrorTransientFailure, "Error-transient-failure"),
        (RequestStatusCode.ErrorTransientSendingAddressUnresolved, "Error-transient-sending-address-unresolved"),
        (RequestStatusCode.ErrorTransientMessageNotFound, "Error-transient-message-not-found"),
        (RequestStatusCode.ErrorTransientNetworkProblem, "Error-transient-network-problem"),
        (RequestStatusCode.ErrorTransientPartialSuccess, "Error-transient-partial-success"),
        (RequestStatusCode.ErrorPermanentFailure, "Error-permanent-failure"),
        (RequestStatusCode.ErrorPermanentServiceDenied, "Error-permanent-service-denied"),
        (RequestStatusCode.ErrorPermanentMessageFormatCorrupt, "Error-permanent-message-format-corrupt"),
        (RequestStatusCode.ErrorPermanentSendingAddressUnresolved, "Error-permanent-sending-address-unresolved"),
        (RequestStatusCode.ErrorPermanentMessageNotFound, "Error-permanent-message-not-found"),
        (RequestStatusCode.ErrorPermanentContentNotAccepted, "Error-permanent-content-not-accepted"),
        (RequestStatusCode.ErrorPermanentReplyChargingLimitationsNotMet, "Error-permanent-reply-charging-limitations-not-met"),
        (RequestStatusCode.ErrorPermanentReplyChargingRequestNotAccepted, "Error-permanent-reply-charging-request-not-accepted"),
        (RequestStatusCode.ErrorPermanentReplyChargingForwardingDenied, "Error-permanent-reply-charging-forwarding-denied"),
        (RequestStatusCode.ErrorPermanentReplyChargingNotSupported, "Error-permanent-reply-charging-not-supported"),
        (RequestStatusCode.ErrorPermanentAddressHidingNotSupported, "Error-permanent-address-hiding-not-supported"),
        (RequestStatusCode.ErrorPermanentLackOfPrepaid, "Error-permanent-lack-of-prepaid"),
    ];

    private static readonly (MmStatusCode Value, string Token)[] s_mmStatus =
    [
        (MmStatusCode.Expired, "Expired"),
        (MmStatusCode.Retrieved, "Retrieved"),
        (MmStatusCode.Rejected, "Rejected"),
        (MmStatusCode.Deferred, "Deferred"),
        (MmStatusCode.Indeterminate, "Indeterminate"),
        (MmStatusCode.Forwarded, "Forwarded"),
        (MmStatusCode.Unrecognised, "Unrecognised"),
        (MmStatusCode.Unrecognised, "Unrecognized"),
    ];

    private static readonly (ReadStatus Value, string Token)[] s_readStatus =
    [
        (ReadStatus.Read, "Read"),
        (ReadStatus.DeletedWithoutBeingRead, "Deleted without being read"),
        (ReadStatus.DeletedWithoutBeingRead, "Deleted"),
    ];

    private static readonly (MessageClass Value, string Token)[] s_classes =
    [
        (MessageClass.Personal, "Personal"),
        (MessageClass.Advertisement, "Advertisement"),
        (MessageClass.Informational, "Informational"),
        (MessageClass.Auto, "Auto"),
    ];

    private static readonly (Priority Value, string Token)[] s_priorities =
    [
        (Priority.Low, "Low"),
        (Priority.Normal, "Normal"),
        (Priority.High, "High"),
    ];

    private static readonly (SenderVisibility Value, string Token)[] s_visibility =
    [
        (SenderVisibility.Hide, "Hide"),
        (SenderVisibility.Show, "Show"),
    ];

    public static string Format(Mm4MessageType value) => Find(s_types, value);
    public static string Format(RequestStatusCode value) =>
        value == RequestStatusCode.Unknown ? throw new ArgumentOutOfRangeException(nameof(value), "Unknown has no token; use Mm4RequestStatus.Text") : Find(s_requestStatus, value);
    public static string Format(MmStatusCode value) =>
        value == MmStatusCode.Unknown ? throw new ArgumentOutOfRangeException(nameof(value), "Unknown has no token; use Mm4MmStatus.Text") : Find(s_mmStatus, value);
    public static string Format(ReadStatus value) => Find(s_readStatus, value);
    public static string Format(MessageClass value) => Find(s_classes, value);
    public static string Format(Priority value) => Find(s_priorities, value);
    public static string Format(SenderVisibility value) => Find(s_visibility, value);
    public static string Format(bool value) => value ? "Yes" : "No";

    public static bool TryParse(string token, out Mm4MessageType value) => TryFind(s_types, token, out value);
    public static bool TryParse(string token, out RequestStatusCode value) => TryFind(s_requestStatus, token, out value);
    public static bool TryParse(string token, out MmStatusCode value) => TryFind(s_mmStatus, token, out value);
    public static bool TryParse(string token, out ReadStatus value) => TryFind(s_readStatus, token, out value);
    public static bool TryParse(string token, out MessageClass value) => TryFind(s_classes, token, out value);
    public static bool TryParse(string token, out Priority value) => TryFind(s_priorities, token, out value);
    public static bool TryParse(string token, out SenderVisibility value) => TryFind(s_visibility, token, out value);

    /// <summary>Yes / No, case-insensitive.</summary>
    public static bool TryParse(string token, out bool value)
    {
        ArgumentNullException.ThrowIfNull(token);
        var t = token.Trim();
        value = string.Equals(t, "Yes", StringComparison.OrdinalIgnoreCase);
        return value || string.Equals(t, "No", StringComparison.OrdinalIgnoreCase);
    }

    private static string Find<T>((T Value, string Token)[] table, T value) where T : struct, Enum
    {
        foreach (var (v, t) in table)
        {
            if (EqualityComparer<T>.Default.Equals(v, value)) { return t; }
        }
        throw new ArgumentOutOfRangeException(nameof(value), value, "no wire token");
    }

    private static bool TryFind<T>((T Value, string Token)[] table, string token, out T value) where T : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(token);
        var t = token.AsSpan().Trim();
        foreach (var (v, tok) in table)
        {
            if (t.Equals(tok, StringComparison.OrdinalIgnoreCase)) { value = v; return true; }
        }
        value = default;
        return false;
    }
}

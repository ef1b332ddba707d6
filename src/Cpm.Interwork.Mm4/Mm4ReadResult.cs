using System.Diagnostics.CodeAnalysis;
using Cpm.Interwork.Mime;

namespace Cpm.Interwork.Mm4;

/// <summary>Every reason a received mail is not a usable MM4 message.</summary>
public enum Mm4ReadErrorKind
{
    /// <summary>The MIME framing was rejected (see <see cref="Mm4ReadError.MimeReason"/>).</summary>
    MalformedMime = 1,
    /// <summary>The mail or its header block exceeds a configured limit.</summary>
    MessageTooLarge,
    /// <summary>A mandatory header is absent or empty (<see cref="Mm4ReadError.Header"/> names it).</summary>
    MissingMandatoryHeader,
    /// <summary>A mandatory header (or an address header) has a value we cannot read.</summary>
    InvalidHeaderValue,
    /// <summary>X-Mms-Message-Type is not one of the six MM4 types.</summary>
    UnsupportedMessageType,
}

/// <summary>
/// A rejected mail, as data. Carries what could still be read (type, IDs, reply address) so that a
/// response with <see cref="RequestStatus"/> can be sent.
/// </summary>
public sealed record Mm4ReadError
{
    public required Mm4ReadErrorKind Kind { get; init; }

    /// <summary>The header at fault, spelled as in <see cref="Mm4HeaderNames"/>; null for MIME-level errors.</summary>
    public string? Header { get; init; }

    public string? Detail { get; init; }
    public MimeRejectionReason MimeReason { get; init; }

    /// <summary>The message type when it was readable.</summary>
    public Mm4MessageType? MessageType { get; init; }

    /// <summary>The X-Mms-Message-Type text as received (also for unsupported types).</summary>
    public string? MessageTypeText { get; init; }

    public string? TransactionId { get; init; }
    public string? MessageId { get; init; }
    public Mm4Address? Sender { get; init; }
    public Mm4Address? OriginatorSystem { get; init; }

    /// <summary>Where a response would go: X-Mms-Originator-System, else Sender.</summary>
    public Mm4Address? ReplyAddress => OriginatorSystem ?? Sender;

    /// <summary>The status to answer with (one table: <see cref="Mm4ReadErrors.ToRequestStatus"/>).</summary>
    public Mm4RequestStatus RequestStatus => Mm4RequestStatus.From(Mm4ReadErrors.ToRequestStatus(Kind));

    public override string ToString() => $"{Kind}{(Header is null ? string.Empty : " " + Header)}{(Detail is null ? string.Empty : ": " + Detail)}";
}

/// <summary>The one table from read errors to X-Mms-Request-Status-Code.</summary>
public static class Mm4ReadErrors
{
    public static RequestStatusCode ToRequestStatus(Mm4ReadErrorKind kind) => kind switch
    {
        Mm4ReadErrorKind.MalformedMime => RequestStatusCode.ErrorMessageFormatCorrupt,
        Mm4ReadErrorKind.MessageTooLarge => RequestStatusCode.ErrorContentNotAccepted,
        Mm4ReadErrorKind.MissingMandatoryHeader => RequestStatusCode.ErrorMessageFormatCorrupt,
        Mm4ReadErrorKind.InvalidHeaderValue => RequestStatusCode.ErrorMessageFormatCorrupt,
        Mm4ReadErrorKind.UnsupportedMessageType => RequestStatusCode.ErrorUnsupportedMessage,
        _ => RequestStatusCode.ErrorUnspecified,
    };
}

/// <summary>Either a message or an error.</summary>
public sealed class Mm4ReadResult
{
    private Mm4ReadResult(Mm4Message? message, Mm4ReadError? error)
    {
        Message = message;
        Error = error;
    }

    public Mm4Message? Message { get; }
    public Mm4ReadError? Error { get; }

    [MemberNotNullWhen(true, nameof(Message))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Message is not null;

    public static Mm4ReadResult Success(Mm4Message message) => new(message ?? throw new ArgumentNullException(nameof(message)), null);
    public static Mm4ReadResult Failure(Mm4ReadError error) => new(null, error ?? throw new ArgumentNullException(nameof(error)));

    /// <summary>The message when it is a <typeparamref name="T"/>.</summary>
    public bool TryGet<T>([NotNullWhen(true)] out T? message) where T : Mm4Message
    {
        message = Message as T;
        return message is not null;
    }
}

/// <summary>Reader limits and leniency switches.</summary>
public sealed class Mm4ReaderOptions
{
    public static Mm4ReaderOptions Default { get; } = new();

    /// <summary>MIME framing limits (header size, depth, parts, line length, message size).</summary>
    public MimeParserOptions Mime { get; init; } = MimeParserOptions.Default;
}

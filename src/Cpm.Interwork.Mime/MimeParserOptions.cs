namespace Cpm.Interwork.Mime;

/// <summary>Limits enforced while parsing.</summary>
public sealed class MimeParserOptions
{
    public const int DefaultMaxHeaderBytes = 64 * 1024;
    public const int DefaultMaxDepth = 8;
    public const int DefaultMaxParts = 100;
    public const int DefaultMaxLineLength = 998 * 8;
    public const int DefaultMaxMessageBytes = 16 * 1024 * 1024;

    public static MimeParserOptions Default { get; } = new();

    public int MaxHeaderBytes { get; set; } = DefaultMaxHeaderBytes;
    public int MaxDepth { get; set; } = DefaultMaxDepth;
    public int MaxParts { get; set; } = DefaultMaxParts;
    public int MaxLineLength { get; set; } = DefaultMaxLineLength;
    public int MaxMessageBytes { get; set; } = DefaultMaxMessageBytes;

    /// <summary>Parse the body of a message/rfc822 part as a nested message (<see cref="MimeMessagePart"/>);
    /// false keeps it as a leaf <see cref="MimePart"/>. Default true. Counts against depth and part limits.</summary>
    public bool ParseMessageRfc822 { get; set; } = true;

    public IEnumerable<string> Validate()
    {
        if (MaxHeaderBytes <= 0) { yield return $"Mime:MaxHeaderBytes: {MaxHeaderBytes} must be positive"; }
        if (MaxDepth <= 0) { yield return $"Mime:MaxDepth: {MaxDepth} must be positive"; }
        if (MaxParts <= 0) { yield return $"Mime:MaxParts: {MaxParts} must be positive"; }
        if (MaxLineLength < 78) { yield return $"Mime:MaxLineLength: {MaxLineLength} must be at least 78"; }
        if (MaxMessageBytes <= 0) { yield return $"Mime:MaxMessageBytes: {MaxMessageBytes} must be positive"; }
    }
}

/// <summary>Every reason a MIME parse can be rejected.</summary>
public enum MimeRejectionReason
{
    None = 0,
    MessageTooLarge,
    HeaderTooLarge,
    LineTooLong,
    TooDeep,
    TooManyParts,
    MissingBoundary,
}

/// <summary>Parse outcome: an entity, or a rejection reason with byte offset.</summary>
public sealed class MimeParseResult
{
    private MimeParseResult(MimeEntity? entity, MimeRejectionReason reason, long offset)
    {
        Entity = entity;
        Reason = reason;
        Offset = offset;
    }

    public MimeEntity? Entity { get; }
    public MimeRejectionReason Reason { get; }
    public long Offset { get; }
    public bool IsSuccess => Entity is not null;

    public static MimeParseResult Success(MimeEntity entity) => new(entity, MimeRejectionReason.None, 0);
    public static MimeParseResult Reject(MimeRejectionReason reason, long offset) => new(null, reason, offset);
}

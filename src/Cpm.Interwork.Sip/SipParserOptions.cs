namespace Cpm.Interwork.Sip;

/// <summary>Limits enforced by <see cref="SipParser"/> while it frames and parses a message.</summary>
public sealed class SipParserOptions
{
    /// <summary>Default for <see cref="MaxHeaderBlockBytes"/>: start line, headers and the empty line.</summary>
    public const int DefaultMaxHeaderBlockBytes = 16 * 1024;
    /// <summary>Default for <see cref="MaxHeaderCount"/>.</summary>
    public const int DefaultMaxHeaderCount = 100;
    /// <summary>Default for <see cref="MaxLineLength"/> (one physical line, CRLF excluded).</summary>
    public const int DefaultMaxLineLength = 4 * 1024;
    /// <summary>Default for <see cref="MaxBodyBytes"/>.</summary>
    public const int DefaultMaxBodyBytes = 64 * 1024;

    /// <summary>The defaults; shared and immutable.</summary>
    public static SipParserOptions Default { get; } = new();

    /// <summary>Largest header block (start line through the empty line, leading CRLFs excluded). Over it: 513.</summary>
    public int MaxHeaderBlockBytes { get; init; } = DefaultMaxHeaderBlockBytes;
    /// <summary>Most header lines (a folded header counts once). Over it: 513.</summary>
    public int MaxHeaderCount { get; init; } = DefaultMaxHeaderCount;
    /// <summary>Longest physical line, CRLF excluded. Over it: 513.</summary>
    public int MaxLineLength { get; init; } = DefaultMaxLineLength;
    /// <summary>Largest body (Content-Length). Over it: 413.</summary>
    public int MaxBodyBytes { get; init; } = DefaultMaxBodyBytes;

    /// <summary>Describes every invalid setting; empty when the options are usable.</summary>
    public IEnumerable<string> Validate()
    {
        if (MaxHeaderBlockBytes < 64) { yield return $"Sip:MaxHeaderBlockBytes: {MaxHeaderBlockBytes} must be at least 64"; }
        if (MaxHeaderCount < 6) { yield return $"Sip:MaxHeaderCount: {MaxHeaderCount} must be at least 6"; }
        if (MaxLineLength < 32) { yield return $"Sip:MaxLineLength: {MaxLineLength} must be at least 32"; }
        if (MaxBodyBytes < 0) { yield return $"Sip:MaxBodyBytes: {MaxBodyBytes} must not be negative"; }
    }
}

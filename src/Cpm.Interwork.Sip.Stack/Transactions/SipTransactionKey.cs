namespace Cpm.Interwork.Sip.Stack.Transactions;

/// <summary>
/// Identifies a server transaction (RFC 3261 §17.2.3). With the magic cookie <c>z9hG4bK</c> in the top Via
/// branch the key is branch + sent-by + method; for RFC 2543 clients it falls back to Request-URI, To tag,
/// From tag, Call-ID, CSeq and the top Via. The parts are joined into one ordinal string.
/// </summary>
public readonly record struct SipTransactionKey(string Value)
{
    /// <summary>The RFC 3261 branch magic cookie.</summary>
    public const string MagicCookie = "z9hG4bK";

    /// <summary>Key for an RFC 3261 request: the branch is compared exactly, sent-by case-insensitively.</summary>
    public static SipTransactionKey ForRfc3261(string branch, string sentBy, string method) =>
        new(string.Concat("3261\n", branch, "\n", sentBy.ToLowerInvariant(), "\n", method));

    /// <summary>Key for an RFC 2543 request (no magic cookie): §17.2.3's fallback matching rules.</summary>
    public static SipTransactionKey ForRfc2543(string requestUri, string? toTag, string? fromTag, string callId, string cseq, string topVia) =>
        new(string.Join('\n', "2543", requestUri, toTag ?? string.Empty, fromTag ?? string.Empty, callId, cseq, topVia));

    /// <summary>True when a branch carries the RFC 3261 magic cookie.</summary>
    public static bool HasMagicCookie(string? branch) =>
        branch is not null && branch.StartsWith(MagicCookie, StringComparison.Ordinal);

    public override string ToString() => Value.Replace('\n', '|');
}

using System.Security.Cryptography;

namespace Cpm.Interwork.Mm4;

/// <summary>Makes X-Mms-Transaction-ID / X-Mms-Message-ID / Message-ID values. Tests plug in a fixed one.</summary>
public interface IMm4IdGenerator
{
    /// <summary>A new, unique X-Mms-Transaction-ID (one per message and receiving MMSE).</summary>
    string NewTransactionId();

    /// <summary>A new, unique message ID (X-Mms-Message-ID, and the RFC 5322 Message-ID of our mails).</summary>
    string NewMessageId();
}

/// <summary><c>&lt;20 random base32 chars&gt;@&lt;domain&gt;</c> (100 random bits), like real MMSEs write them.</summary>
public sealed class RandomMm4IdGenerator : IMm4IdGenerator
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private readonly string _domain;

    public RandomMm4IdGenerator(string domain)
    {
        if (string.IsNullOrWhiteSpace(domain) || domain.Any(c => c <= ' ' || c >= 0x7F || c is '"' or '\\' or '@' or '<' or '>'))
        {
            throw new ArgumentException($"invalid ID domain '{domain}'", nameof(domain));
        }
        _domain = domain;
    }

    public string NewTransactionId() => Next();
    public string NewMessageId() => Next();

    private string Next()
    {
        Span<byte> bytes = stackalloc byte[20];
        RandomNumberGenerator.Fill(bytes);
        Span<char> chars = stackalloc char[20];
        for (var i = 0; i < chars.Length; i++) { chars[i] = Alphabet[bytes[i] & 31]; }
        return string.Concat(chars, "@", _domain);
    }
}

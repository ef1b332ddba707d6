namespace Cpm.Interwork.Dns.E164;

/// <summary>What a NAPTR SERVICES field offers for MMS (RFC 6116 §3.4.3, RFC 4355 / RFC 6118).</summary>
public enum EnumMmsService
{
    /// <summary>No "mms" Enumservice (or not an E2U field).</summary>
    None,
    /// <summary>E2U+mms:mailto — MM4 over SMTP to the mailto: address (TS 23.140 §8.4).</summary>
    Mailto,
    /// <summary>E2U+mms:tel — MMS is possible, the relay must be found another way (informational only).</summary>
    Tel,
    /// <summary>An "mms" Enumservice with only subtypes we do not know.</summary>
    UnknownSubtype,
}

/// <summary>
/// Parses "E2U+type[:subtype]..." (several "+type:subtype" groups allowed), ASCII case-insensitive.
/// Unknown types and subtypes are tolerated: they simply do not offer mms:mailto.
/// </summary>
public static class EnumServices
{
    public static EnumMmsService Classify(string? services)
    {
        if (string.IsNullOrEmpty(services))
        {
            return EnumMmsService.None;
        }

        var parts = services.Split('+');
        if (!parts[0].Equals("E2U", StringComparison.OrdinalIgnoreCase))
        {
            return EnumMmsService.None;
        }

        var best = EnumMmsService.None;
        foreach (var enumservice in parts.Skip(1))
        {
            var tokens = enumservice.Split(':');
            if (!tokens[0].Trim().Equals("mms", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var subtype in tokens.Skip(1).Select(t => t.Trim()))
            {
                if (subtype.Equals("mailto", StringComparison.OrdinalIgnoreCase))
                {
                    return EnumMmsService.Mailto;
                }

                if (subtype.Equals("tel", StringComparison.OrdinalIgnoreCase))
                {
                    best = EnumMmsService.Tel;
                }
                else if (best == EnumMmsService.None)
                {
                    best = EnumMmsService.UnknownSubtype;
                }
            }

            if (tokens.Length == 1 && best == EnumMmsService.None)
            {
                best = EnumMmsService.UnknownSubtype;
            }
        }

        return best;
    }

    /// <summary>True for an E2U field (possibly with no Enumservice, as non-terminal rules have).</summary>
    public static bool IsE2U(string? services) =>
        string.IsNullOrEmpty(services) || services.Split('+')[0].Equals("E2U", StringComparison.OrdinalIgnoreCase);
}

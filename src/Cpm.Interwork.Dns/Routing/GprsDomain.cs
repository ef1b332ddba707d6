using System.Diagnostics.CodeAnalysis;

namespace Cpm.Interwork.Dns.Routing;

/// <summary>The 3GPP MMS domain of an operator (TS 23.003 §19.4, TS 23.140 Annex): mms.mnc&lt;MNC&gt;.mcc&lt;MCC&gt;.gprs.</summary>
public static class GprsDomain
{
    /// <summary>
    /// MCC is three digits, MNC two or three (a two-digit MNC is zero-padded to three):
    /// ("310", "26") → "mms.mnc026.mcc310.gprs".
    /// </summary>
    public static bool TryBuildMmsDomain(string? mcc, string? mnc, [NotNullWhen(true)] out string? domain)
    {
        domain = null;
        if (mcc is not { Length: 3 } || !mcc.All(char.IsAsciiDigit) || mnc is not { Length: 2 or 3 } || !mnc.All(char.IsAsciiDigit))
        {
            return false;
        }

        domain = $"mms.mnc{mnc.PadLeft(3, '0')}.mcc{mcc}.gprs";
        return true;
    }

    /// <summary>As <see cref="TryBuildMmsDomain"/>, throwing <see cref="ArgumentException"/> on bad input.</summary>
    public static string BuildMmsDomain(string mcc, string mnc) =>
        TryBuildMmsDomain(mcc, mnc, out var domain)
            ? domain
            : throw new ArgumentException($"MCC '{mcc}' must be 3 digits and MNC '{mnc}' 2 or 3 digits");
}

using System.Globalization;

namespace Cpm.Interwork.Mm4;

/// <summary>RFC 5322 §3.3 date-time: strict writing, lenient reading (obsolete zones, 2-digit years, comments, asctime order, ISO 8601).</summary>
public static class Mm4Dates
{
    private static readonly string[] s_months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    private static readonly Dictionary<string, int> s_zones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = 0, ["UTC"] = 0, ["GMT"] = 0, ["Z"] = 0,
        ["EST"] = -5, ["EDT"] = -4, ["CST"] = -6, ["CDT"] = -5, ["MST"] = -7, ["MDT"] = -6, ["PST"] = -8, ["PDT"] = -7,
    };

    /// <summary><c>Tue, 25 Jan 2022 22:17:44 +0000</c> with the value's own offset.</summary>
    public static string Format(DateTimeOffset value)
    {
        var off = value.Offset;
        var sign = off < TimeSpan.Zero ? '-' : '+';
        var abs = off.Duration();
        return value.ToString("ddd, dd MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture)
            + sign + abs.Hours.ToString("00", CultureInfo.InvariantCulture) + abs.Minutes.ToString("00", CultureInfo.InvariantCulture);
    }

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) { return false; }
        var s = StripComments(text);
        int? day = null, month = null, year = null, hour = null, minute = null, second = null;
        TimeSpan? zone = null;
        foreach (var raw in s.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            var tok = raw.Trim();
            if (tok.Contains(':', StringComparison.Ordinal) && hour is null)
            {
                var p = tok.Split(':');
                if (p.Length is < 2 or > 3 || !TryInt(p[0], out var h) || !TryInt(p[1], out var m)) { return TryIso(text, out value); }
                var sec = 0;
                if (p.Length == 3 && !TryInt(p[2].Split('.')[0], out sec)) { return false; }
                hour = h; minute = m; second = sec;
            }
            else if ((tok[0] == '+' || tok[0] == '-') && tok.Length == 5 && TryInt(tok[1..3], out var zh) && TryInt(tok[3..], out var zm) && zone is null)
            {
                zone = new TimeSpan(zh, zm, 0) * (tok[0] == '-' ? -1 : 1);
            }
            else if (char.IsAsciiLetter(tok[0]))
            {
                var mi = tok.Length >= 3 ? Array.IndexOf(s_months, tok[..3].ToLowerInvariant()) : -1;
                if (mi >= 0 && month is null && (tok.Length == 3 || tok.Length > 4)) { month = mi + 1; }
                else if (s_zones.TryGetValue(tok, out var zh2) && zone is null) { zone = TimeSpan.FromHours(zh2); }
                else if (tok.Length == 1 && zone is null) { zone = TimeSpan.Zero; } // obsolete military zone: treat as -0000
                // day names and unknown words are ignored
            }
            else if (TryInt(tok, out var n))
            {
                if (day is null && tok.Length <= 2 && n is >= 1 and <= 31) { day = n; }
                else if (year is null) { year = tok.Length switch { 2 => n < 50 ? 2000 + n : 1900 + n, 3 => 1900 + n, _ => n }; }
                else { return false; }
            }
            else
            {
                return TryIso(text, out value);
            }
        }
        if (day is null || month is null || year is null || hour is null) { return TryIso(text, out value); }
        if (hour > 23 || minute > 59 || second > 60 || year < 1 || year > 9999 || day > DateTime.DaysInMonth(year.Value, month.Value)) { return false; }
        var z = zone ?? TimeSpan.Zero;
        if (z.Duration() > TimeSpan.FromHours(14)) { return false; }
        value = new DateTimeOffset(year.Value, month.Value, day.Value, hour.Value, minute!.Value, Math.Min(second!.Value, 59), z);
        return true;
    }

    private static bool TryIso(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value)
        && text.Contains('-', StringComparison.Ordinal) && text.Contains('T', StringComparison.OrdinalIgnoreCase);

    private static bool TryInt(string s, out int n) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out n);

    private static string StripComments(string s)
    {
        if (!s.Contains('(', StringComparison.Ordinal)) { return s; }
        var sb = new System.Text.StringBuilder(s.Length);
        var depth = 0;
        foreach (var c in s)
        {
            if (c == '(') { depth++; }
            else if (c == ')' && depth > 0) { depth--; }
            else if (depth == 0) { sb.Append(c); }
        }
        return sb.ToString();
    }
}

/// <summary>X-Mms-Expiry: an absolute date or a number of seconds relative to the message's Date. Which one it was is kept.</summary>
public readonly record struct Mm4Expiry
{
    private Mm4Expiry(DateTimeOffset? absolute, TimeSpan? relative)
    {
        AbsoluteTime = absolute;
        RelativeTime = relative;
    }

    public DateTimeOffset? AbsoluteTime { get; }
    public TimeSpan? RelativeTime { get; }
    public bool IsRelative => RelativeTime.HasValue;

    public static Mm4Expiry Absolute(DateTimeOffset at) => new(at, null);

    /// <summary>Relative expiry in whole seconds (fractions are dropped on the wire).</summary>
    public static Mm4Expiry Relative(TimeSpan after)
    {
        if (after < TimeSpan.Zero) { throw new ArgumentOutOfRangeException(nameof(after), "relative expiry must not be negative"); }
        return new(null, TimeSpan.FromSeconds(Math.Floor(after.TotalSeconds)));
    }

    /// <summary>The absolute expiry time, resolving a relative one against <paramref name="sent"/> (the message Date).</summary>
    public DateTimeOffset ResolveAgainst(DateTimeOffset sent) => AbsoluteTime ?? sent + RelativeTime!.Value;

    public static bool TryParse(string? text, out Mm4Expiry expiry)
    {
        var t = text?.Trim() ?? string.Empty;
        if (t.Length > 0 && t.All(char.IsAsciiDigit))
        {
            if (long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var secs) && secs <= (long)TimeSpan.MaxValue.TotalSeconds / 2)
            {
                expiry = new(null, TimeSpan.FromSeconds(secs));
                return true;
            }
            expiry = default;
            return false;
        }
        if (Mm4Dates.TryParse(t, out var at)) { expiry = new(at, null); return true; }
        expiry = default;
        return false;
    }

    public override string ToString() => IsRelative
        ? ((long)RelativeTime!.Value.TotalSeconds).ToString(CultureInfo.InvariantCulture)
        : Mm4Dates.Format(AbsoluteTime ?? default);
}

namespace Cpm.Interwork.Store.Internal;

/// <summary>All stored times are UTC with microsecond precision, so both providers round-trip identically.</summary>
internal static class StoreClock
{
    private const long TicksPerMicrosecond = 10;

    public static DateTimeOffset Truncate(DateTimeOffset t)
    {
        var utc = t.UtcTicks;
        return new DateTimeOffset(utc - (utc % TicksPerMicrosecond), TimeSpan.Zero);
    }

    public static long ToUnixMicroseconds(DateTimeOffset t) =>
        (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TicksPerMicrosecond;

    public static DateTimeOffset FromUnixMicroseconds(long micros) =>
        new(DateTimeOffset.UnixEpoch.UtcTicks + (micros * TicksPerMicrosecond), TimeSpan.Zero);

    public static DateTimeOffset Now(TimeProvider time) => Truncate(time.GetUtcNow());
}

namespace Cpm.Interwork.Core;

/// <summary>Exponential back-off settings (section given by the user, e.g. <c>Ims:Retry</c> for deliveries to CPM users).</summary>
public sealed class RetryPolicyOptions
{
    /// <summary>Delay before the second attempt.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Factor applied per attempt.</summary>
    public double Multiplier { get; set; } = 2.0;

    /// <summary>Largest delay from the back-off (a longer Retry-After is still honoured).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Relative jitter: the delay is scaled by a factor in [1 − Jitter, 1 + Jitter].</summary>
    public double Jitter { get; set; } = 0.2;

    /// <summary>Most attempts in total (the first one included).</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Defaults for deliveries to CPM users (<c>Ims:Retry</c>).</summary>
    public static RetryPolicyOptions SipDelivery() => new();

    /// <summary>Defaults for SMTP 4xx retries inside Interwork:ResponseWait (<c>Interwork:SmtpRetry</c>).</summary>
    public static RetryPolicyOptions SmtpInsideWait() => new() { InitialDelay = TimeSpan.FromSeconds(1), Multiplier = 2, MaxDelay = TimeSpan.FromSeconds(5), Jitter = 0.2, MaxAttempts = 4 };

    public IReadOnlyList<string> Validate(string section)
    {
        var e = new List<string>();
        if (InitialDelay <= TimeSpan.Zero || InitialDelay > TimeSpan.FromHours(1)) { e.Add($"{section}:InitialDelay: must be > 0 and ≤ 1 h"); }
        if (double.IsNaN(Multiplier) || Multiplier < 1 || Multiplier > 10) { e.Add($"{section}:Multiplier: must be 1..10"); }
        if (MaxDelay < InitialDelay || MaxDelay > TimeSpan.FromDays(1)) { e.Add($"{section}:MaxDelay: must be ≥ InitialDelay and ≤ 1 day"); }
        if (double.IsNaN(Jitter) || Jitter < 0 || Jitter >= 1) { e.Add($"{section}:Jitter: must be in [0, 1)"); }
        if (MaxAttempts is < 1 or > 100) { e.Add($"{section}:MaxAttempts: must be 1..100"); }
        return e;
    }
}

/// <summary>Why no further attempt is made.</summary>
public enum RetryStop
{
    None = 0,
    MaxAttempts,
    /// <summary>The next attempt would come after the deadline (X-Mms-Expiry, or the end of the wait).</summary>
    Expired,
}

/// <summary>The decision after a failed attempt: retry at <see cref="At"/> (after <see cref="Delay"/>) or stop.</summary>
public readonly record struct RetryDecision(bool Retry, TimeSpan Delay, DateTimeOffset At, RetryStop Stop)
{
    public static RetryDecision StopWith(RetryStop stop) => new(false, TimeSpan.Zero, default, stop);
}

/// <summary>
/// Exponential back-off with cap and jitter, honouring Retry-After, never past the deadline. Pure: the random value
/// comes from the injected source (tests give a fixed one).
/// </summary>
public sealed class RetryPolicy
{
    private readonly RetryPolicyOptions _options;
    private readonly Func<double> _random;

    /// <param name="random">Uniform values in [0, 1); default <see cref="Random.Shared"/>.</param>
    public RetryPolicy(RetryPolicyOptions options, Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>The decision after <paramref name="attemptsMade"/> failed attempts (1 after the first).</summary>
    public RetryDecision Next(int attemptsMade, DateTimeOffset now, DateTimeOffset? deadline, TimeSpan? retryAfter = null) =>
        Decide(_options, attemptsMade, now, deadline, retryAfter, _random());

    /// <summary>
    /// delay = min(MaxDelay, InitialDelay · Multiplier^(attemptsMade−1)) · (1 + Jitter · (2·random − 1));
    /// then at least Retry-After; stop when attemptsMade ≥ MaxAttempts or now + delay is after the deadline.
    /// </summary>
    public static RetryDecision Decide(RetryPolicyOptions options, int attemptsMade, DateTimeOffset now, DateTimeOffset? deadline, TimeSpan? retryAfter, double random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(attemptsMade, 1);
        if (attemptsMade >= options.MaxAttempts) { return RetryDecision.StopWith(RetryStop.MaxAttempts); }
        if (deadline is { } d0 && now >= d0) { return RetryDecision.StopWith(RetryStop.Expired); }
        var exponent = Math.Min(attemptsMade - 1, 60);
        var baseTicks = Math.Min(options.MaxDelay.Ticks, options.InitialDelay.Ticks * Math.Pow(options.Multiplier, exponent));
        var factor = 1 + (options.Jitter * ((2 * Math.Clamp(random, 0, 1)) - 1));
        var delay = TimeSpan.FromTicks((long)(baseTicks * factor));
        if (retryAfter is { } ra && ra > delay) { delay = ra; }
        if (delay < TimeSpan.Zero) { delay = TimeSpan.Zero; }
        var at = now + delay;
        if (deadline is { } d && at > d) { return RetryDecision.StopWith(RetryStop.Expired); }
        return new RetryDecision(true, delay, at, RetryStop.None);
    }
}

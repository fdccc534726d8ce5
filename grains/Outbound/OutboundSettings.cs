namespace Flexoraa.Outbound;

/// <summary>The <c>Flexoraa:Outbound</c> section: how replies are retried and given up on, and the sandbox sender.</summary>
public sealed record OutboundSettings
{
    public const string Section = "Flexoraa:Outbound";

    /// <summary>
    /// true: every reply goes to the sandbox sender (recorded in <c>sandbox_sends</c>, never delivered), in any mode.
    /// false: never. Unset: only in local mode, for channel accounts whose credentials cannot be used.
    /// </summary>
    public bool? Sandbox { get; init; }

    /// <summary>A reply Meta keeps refusing for reasons that heal by waiting is marked failed this long after it was queued.</summary>
    public TimeSpan GiveUpAfter { get; init; } = TimeSpan.FromHours(1);

    /// <summary>After the X-th refused attempt (X = 1, 2...) the next one waits 4^(X-1) times this, Meta's advice for 131056.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(4);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The durable reminder's period (Orleans' minimum applies); short waits run on a timer in the grain.</summary>
    public TimeSpan ReminderPeriod { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan RetryDelayAfter(int failedAttempts)
    {
        var delay = TimeSpan.FromTicks((long)Math.Min(RetryBaseDelay.Ticks * Math.Pow(4, Math.Clamp(failedAttempts - 1, 0, 12)), MaxRetryDelay.Ticks));
        return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
    }
}

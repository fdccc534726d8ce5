namespace Flexoraa.Contacts;

/// <summary>How often Messenger and Instagram profiles are looked up: the <c>Flexoraa:ContactProfiles</c> section.</summary>
public sealed record ContactProfileSettings
{
    public const string Section = "Flexoraa:ContactProfiles";

    /// <summary>
    /// A look-up Meta answered (found, no profile, no consent) is not repeated for this long. Short enough that the
    /// picture URL, which Meta lets expire within days, is renewed while the contact keeps writing.
    /// </summary>
    public TimeSpan RefreshPeriod { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The wait after the first look-up that failed for a reason that heals (rate limit, 5xx, unreachable); it doubles per failure.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromHours(1);

    public TimeSpan RetryDelayAfter(int failures)
    {
        var delay = RetryBaseDelay * Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        return delay > RetryMaxDelay ? RetryMaxDelay : delay;
    }
}

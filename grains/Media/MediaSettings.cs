namespace Flexoraa.Media;

/// <summary>
/// The <c>Flexoraa:Media</c> section: limits on inbound media, where it is kept, and how failed fetches are retried.
/// List settings replace their defaults when set (a partial list is not merged into them).
/// </summary>
public sealed record MediaSettings
{
    public const string Section = "Flexoraa:Media";

    public static readonly IReadOnlyList<string> DefaultAllowedMimeTypes =
    [
        "image/*", "video/*", "audio/*", "application/pdf", "text/plain", "text/csv",
        "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.*", "application/vnd.oasis.opendocument.*",
    ];

    public static readonly IReadOnlyList<TimeSpan> DefaultRetryDelays =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(6)];

    /// <summary>Meta's CDNs. Messenger and Instagram attachment URLs come from webhooks, so only these hosts are fetched.</summary>
    public static readonly IReadOnlyList<string> DefaultAllowedUrlHosts = ["fbcdn.net", "fbsbx.com", "cdninstagram.com", "facebook.com", "instagram.com"];

    /// <summary>16 MiB, WhatsApp's limit for video and audio.</summary>
    public long MaxBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Types (parameters ignored) that are kept; <c>type/*</c> and a trailing <c>*</c> match prefixes.</summary>
    public string[]? AllowedMimeTypes { get; init; }

    /// <summary>Attempts in all, the first included, before a fetch that keeps failing transiently is marked failed.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>Wait after the 1st, 2nd, ... failed attempt; the last repeats. A longer Retry-After from Meta wins.</summary>
    public TimeSpan[]? RetryDelays { get; init; }

    /// <summary>
    /// The durable reminder's period: it wakes a pending fetch whose grain was deactivated or whose silo died. Orleans'
    /// minimum reminder period (1 minute by default) applies. Short waits are run by a timer in the grain.
    /// </summary>
    public TimeSpan ReminderPeriod { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one download's body may take.</summary>
    public TimeSpan DownloadTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Hosts (and their subdomains) that Messenger / Instagram attachment URLs may point at.</summary>
    public string[]? AllowedUrlHosts { get; init; }

    /// <summary>Allow plain http attachment URLs; for tests against a loopback fake only.</summary>
    public bool AllowInsecureUrls { get; init; }

    /// <summary>Where the file-system blob store keeps media; <c>{DataDirectory}/media</c> when unset.</summary>
    public string? Directory { get; init; }

    public IReadOnlyList<string> EffectiveAllowedMimeTypes => AllowedMimeTypes is { Length: > 0 } types ? types : DefaultAllowedMimeTypes;
    public IReadOnlyList<TimeSpan> EffectiveRetryDelays => RetryDelays is { Length: > 0 } delays ? delays : DefaultRetryDelays;
    public IReadOnlyList<string> EffectiveAllowedUrlHosts => AllowedUrlHosts is { Length: > 0 } hosts ? hosts : DefaultAllowedUrlHosts;

    /// <summary>The wait after the <paramref name="failedAttempts"/>-th failed attempt.</summary>
    public TimeSpan RetryDelayAfter(int failedAttempts)
    {
        var delays = EffectiveRetryDelays;
        var delay = delays[Math.Clamp(failedAttempts - 1, 0, delays.Count - 1)];
        return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
    }
}

namespace Flexoraa.FrontendApi.Platform;

/// <summary>The <c>Flexoraa:RateLimits</c> configuration section: requests per minute, per fixed one-minute window.</summary>
public sealed record RateLimitSettings
{
    /// <summary>Per client IP on the unauthenticated <c>/api/v1/auth/*</c> endpoints (sign-up, login, refresh): slows password guessing.</summary>
    public int AuthPerIpPerMinute { get; init; } = 30;

    /// <summary>Per signed-in user or API key, on every authenticated request.</summary>
    public int PerUserPerMinute { get; init; } = 600;

    /// <summary>Per tenant, across all its users and keys: one noisy integration cannot take the whole cluster.</summary>
    public int PerTenantPerMinute { get; init; } = 3000;

    /// <summary>
    /// Per client IP, requests with an unknown or revoked API key. Each costs a database look-up; once an IP has used
    /// these up, its API-key requests get 429 without a look-up until the minute is over.
    /// </summary>
    public int FailedApiKeyLookupsPerIpPerMinute { get; init; } = 20;

    public const string Section = "Flexoraa:RateLimits";
}

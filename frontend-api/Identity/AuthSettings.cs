namespace Flexoraa.FrontendApi.Identity;

/// <summary>The <c>Flexoraa:Auth</c> configuration section.</summary>
public sealed record AuthSettings
{
    /// <summary>Base64 HMAC-SHA256 key (at least 32 bytes). Local mode generates one in its data directory when unset.</summary>
    public string? SigningKey { get; init; }
    public string Issuer { get; init; } = "flexoraa";
    public string Audience { get; init; } = "flexoraa-api";
    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromMinutes(15);
    public TimeSpan RefreshTokenLifetime { get; init; } = TimeSpan.FromDays(30);
    public TimeSpan SignupLinkLifetime { get; init; } = TimeSpan.FromHours(24);
    public TimeSpan InvitationLifetime { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Failed logins in a row before the account locks for <see cref="LockoutDuration"/>.</summary>
    public int LockoutThreshold { get; init; } = 5;
    public TimeSpan LockoutDuration { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Where links in emails point (the web console). Unset, they point at the address this host listens on
    /// (<see cref="Email.EmailLinks"/>).
    /// </summary>
    public string? PublicBaseUrl { get; init; }

    public const string Section = "Flexoraa:Auth";
}

namespace Flexoraa.FrontendApi.Accounts;

/// <summary>A row of <c>users</c>.</summary>
public sealed record UserRecord(
    string Id,
    string Email,
    string DisplayName,
    string? PasswordHash,
    int FailedLogins,
    DateTimeOffset? LockedUntil);

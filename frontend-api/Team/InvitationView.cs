namespace Flexoraa.FrontendApi.Team;

/// <summary>An invitation as the API shows it. The token is never part of it: it exists only in the email.</summary>
public sealed record InvitationView(
    string Id,
    string Email,
    string Role,
    string Status,
    string InvitedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt);

namespace Flexoraa.FrontendApi.Team;

/// <summary>Where a page of invitations ends: newest first, ties broken by id.</summary>
public sealed record InvitationCursor(DateTimeOffset CreatedAt, string Id);

namespace Flexoraa.FrontendApi.Team;

/// <summary>Where a page of members ends: members are listed by join time, then user id.</summary>
public sealed record MemberCursor(DateTimeOffset JoinedAt, string UserId);

namespace Flexoraa.FrontendApi.Leads;

/// <summary>Where a page of a lead's timeline ends: newest first by when it happened, then by id.</summary>
public sealed record TimelineCursor(DateTimeOffset OccurredAt, long Id);

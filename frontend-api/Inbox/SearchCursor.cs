namespace Flexoraa.FrontendApi.Inbox;

/// <summary>
/// Where a page of search hits ends: keyset over (rank, occurred-at, id) rather than an offset, so a message arriving
/// between pages cannot shift later pages and repeat or skip a hit. The rank is a float4 that round-trips exactly
/// through JSON, so the comparison resumes precisely after the last hit.
/// </summary>
public sealed record SearchCursor(float Rank, DateTimeOffset OccurredAt, long Id);

namespace Flexoraa.FrontendApi.Audit;

/// <summary>Where a page of the audit log ends, in list order (newest first; the id breaks ties within one instant).</summary>
public sealed record AuditCursor(DateTimeOffset OccurredAt, long Id);

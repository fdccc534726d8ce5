using System.Collections.Immutable;

namespace Flexoraa.Leads.Bulk;

/// <summary>
/// Where a bulk action stands: what <c>GET /api/v1/lead-bulk-actions/{id}</c> answers and what a
/// <c>LeadBulkActionProgress</c> hub update carries. Of <see cref="Total"/> leads (fixed when it was asked for),
/// <see cref="Processed"/> are done: <see cref="Changed"/> changed (or exported), <see cref="Skipped"/> left as they were
/// (already so, gone meanwhile, or no longer the caller's to change). <see cref="HasFile"/>: an export's CSV is ready.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.Bulk.LeadBulkActionStatus")]
public sealed record LeadBulkActionStatus(
    [property: Id(0)] string Id,
    [property: Id(1)] LeadBulkActionKind Action,
    [property: Id(2)] LeadBulkActionState Status,
    [property: Id(3)] int Total,
    [property: Id(4)] int Processed,
    [property: Id(5)] int Changed,
    [property: Id(6)] int Skipped,
    [property: Id(7)] bool CancelRequested,
    [property: Id(8)] bool HasFile,
    [property: Id(9)] string? Error,
    [property: Id(10)] string? CreatedByUserId,
    [property: Id(11)] DateTimeOffset CreatedAt,
    [property: Id(12)] DateTimeOffset? StartedAt,
    [property: Id(13)] DateTimeOffset? FinishedAt)
{
    public bool IsFinished => Status is LeadBulkActionState.Completed or LeadBulkActionState.Failed or LeadBulkActionState.Cancelled;
}

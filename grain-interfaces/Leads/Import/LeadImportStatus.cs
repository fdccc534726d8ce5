namespace Flexoraa.Leads.Import;

/// <summary>
/// Where an import stands: what <c>GET /api/v1/lead-imports/{id}</c> answers and what an <c>ImportProgress</c> hub
/// update carries. <see cref="RowsRead"/> of <see cref="TotalRows"/> have been decided; every one of them is in exactly
/// one of <see cref="Created"/>, <see cref="Updated"/>, <see cref="Skipped"/> and <see cref="Failed"/>, and all of it is
/// committed: after a crash the counts are what was applied.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.Import.LeadImportStatus")]
public sealed record LeadImportStatus(
    [property: Id(0)] string Id,
    [property: Id(1)] LeadImportState Status,
    [property: Id(2)] string? FileName,
    [property: Id(3)] string Encoding,
    [property: Id(4)] string Delimiter,
    [property: Id(5)] DuplicatePolicy Duplicates,
    [property: Id(6)] int TotalRows,
    [property: Id(7)] int RowsRead,
    [property: Id(8)] int Created,
    [property: Id(9)] int Updated,
    [property: Id(10)] int Skipped,
    [property: Id(11)] int Failed,
    [property: Id(12)] bool CancelRequested,
    [property: Id(13)] string? Error,
    [property: Id(14)] DateTimeOffset CreatedAt,
    [property: Id(15)] DateTimeOffset? StartedAt,
    [property: Id(16)] DateTimeOffset? FinishedAt)
{
    public bool IsFinished => Status is LeadImportState.Completed or LeadImportState.Failed or LeadImportState.Cancelled;
}

namespace Flexoraa.Leads.Bulk;

/// <summary>
/// What a bulk action sets, checked when it is asked for and stored with it: the stage (and its pipeline, and a lost
/// stage's reason), the owner (null: nobody), the tags, or an export's columns.
/// </summary>
public sealed record LeadBulkParameters(
    string? PipelineId = null,
    string? StageId = null,
    string? LostReason = null,
    string? OwnerUserId = null,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyList<string>? Columns = null);

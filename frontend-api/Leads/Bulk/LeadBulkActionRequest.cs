namespace Flexoraa.FrontendApi.Leads.Bulk;

/// <summary>
/// The body of <c>POST /api/v1/lead-bulk-actions</c>. <c>action</c> is changeStage, changeOwner, addTags, removeTags,
/// delete or export. The leads are either <c>leadIds</c>, or every lead the list's filter matches (its query parameters on
/// this request, as on <c>GET /api/v1/leads</c>) with <c>allMatching: true</c>, so an empty filter never means "all"
/// by accident. What the action sets: <c>stageId</c> (and <c>pipelineId</c>, and <c>lostReason</c> for a lost stage),
/// <c>ownerUserId</c> (null: nobody), <c>tags</c>, or an export's <c>columns</c>.
/// </summary>
public sealed record LeadBulkActionRequest(
    string? Action,
    string?[]? LeadIds,
    bool? AllMatching,
    string? PipelineId,
    string? StageId,
    string? LostReason,
    string? OwnerUserId,
    string?[]? Tags,
    string?[]? Columns);

using System.Collections.Immutable;

namespace Flexoraa.Leads;

/// <summary>
/// One entry of a lead's timeline, as <c>GET /api/v1/leads/{id}/timeline</c> returns it. <see cref="Details"/> holds what
/// the kind needs: a stage change's <c>fromStageId</c>/<c>toStageId</c>/<c>pipelineId</c>, a field change's
/// <c>fields</c> (comma-separated names), a call's <c>durationSeconds</c> and <c>outcome</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.LeadActivity")]
public sealed record LeadActivity(
    [property: Id(0)] long Id,
    [property: Id(1)] string LeadId,
    [property: Id(2)] LeadActivityKind Kind,
    [property: Id(3)] DateTimeOffset OccurredAt,
    [property: Id(4)] string? ActorUserId,
    [property: Id(5)] string? Body,
    [property: Id(6)] ImmutableDictionary<string, string> Details,
    [property: Id(7)] string? ConversationId = null);

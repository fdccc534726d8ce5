namespace Flexoraa.Realtime;

/// <summary>A conversation was assigned, reassigned or unassigned (<see cref="AssigneeUserId"/> null).</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Realtime.AssignmentChanged")]
public sealed record AssignmentChanged(
    string TenantId,
    string ConversationId,
    DateTimeOffset OccurredAt,
    [property: Id(0)] string? AssigneeUserId,
    [property: Id(1)] string? PreviousAssigneeUserId,
    [property: Id(2)] string? ChangedByUserId)
    : TenantUpdate(TenantId, ConversationId, OccurredAt);

namespace Flexoraa.Assignment;

/// <summary>
/// What auto-assignment needs to know of one conversation: who holds it and whether it counts against their capacity
/// (<see cref="Active"/>: open or pending). <see cref="NeedsAgent"/> marks the triggers: its first inbound message, or
/// it reopened; an unassigned conversation with it set gets an agent or joins the queue.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Assignment.ConversationWorkload")]
public sealed record ConversationWorkload(
    [property: Id(0)] string ConversationId,
    [property: Id(1)] string? AssigneeUserId,
    [property: Id(2)] bool Active,
    [property: Id(3)] bool NeedsAgent);

using System.Collections.Immutable;

namespace Flexoraa.Conversations;

/// <summary>
/// Everything one request changes about a conversation's workflow, applied by <see cref="IConversationGrain.Apply"/> as a
/// whole or not at all. A null field is left as it is; <see cref="SetsAssignee"/> tells "unassign" (true, with a null
/// <see cref="AssigneeUserId"/>) from "leave the assignee alone". <see cref="SnoozeUntil"/> is required for, and only
/// allowed with, <see cref="ConversationStatus.Snoozed"/>. <see cref="Origin"/> is set for changes that are audited (a
/// person's or API key's request); changes the system makes (auto-assignment, the end of a snooze) have none.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Conversations.ConversationChange")]
public sealed record ConversationChange(
    [property: Id(0)] ConversationActor Actor,
    [property: Id(1)] ConversationStatus? Status = null,
    [property: Id(2)] DateTimeOffset? SnoozeUntil = null,
    [property: Id(3)] bool SetsAssignee = false,
    [property: Id(4)] string? AssigneeUserId = null,
    [property: Id(5)] ImmutableArray<string>? Tags = null,
    [property: Id(6)] bool MarkRead = false,
    [property: Id(7)] ConversationChangeOrigin? Origin = null);

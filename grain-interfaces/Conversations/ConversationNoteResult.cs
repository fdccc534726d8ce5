namespace Flexoraa.Conversations;

/// <summary>
/// The answer to <see cref="AddConversationNote"/>: the stored note's message id and time when
/// <see cref="ConversationChangeOutcome.Changed"/>; why, when <see cref="ConversationChangeOutcome.Forbidden"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Conversations.ConversationNoteResult")]
public sealed record ConversationNoteResult(
    [property: Id(0)] ConversationChangeOutcome Outcome,
    [property: Id(1)] long? NoteId,
    [property: Id(2)] DateTimeOffset? OccurredAt,
    [property: Id(3)] string? Error = null);

namespace Flexoraa.Conversations;

/// <summary>
/// Who asks for a workflow change. <see cref="OwnWorkOnly"/> is the SDR rule: such an actor may change only conversations
/// assigned to them or to no one, and assign only themselves. The grain enforces it so that it holds even when two
/// requests race over one conversation.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Conversations.ConversationActor")]
public sealed record ConversationActor(
    [property: Id(0)] string? UserId,
    [property: Id(1)] bool OwnWorkOnly);

using System.Collections.Immutable;

namespace Flexoraa.Conversations;

/// <summary>Replaces the conversation's tags; they are normalised by <see cref="ConversationTags.TryNormalize"/>.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Conversations.SetConversationTags")]
public sealed record SetConversationTags(
    [property: Id(0)] ImmutableArray<string> Tags,
    [property: Id(1)] ConversationActor Actor);

namespace Flexoraa.Conversations;

/// <summary>
/// Where an audited change came from, for its audit entries: the API key that made it (when a key did) and the client's
/// address. The acting user is the change's <see cref="ConversationActor.UserId"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Conversations.ConversationChangeOrigin")]
public sealed record ConversationChangeOrigin(
    [property: Id(0)] string? ApiKeyId,
    [property: Id(1)] string? Ip);

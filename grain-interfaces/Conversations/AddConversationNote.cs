namespace Flexoraa.Conversations;

/// <summary>
/// A private note for the team. It goes through the grain like every other conversation write, so the SDR rule is
/// checked in the same single-threaded turn that stores it, and the note and its audit entry commit together.
/// <see cref="AuthorApiKeyId"/> is set when an API key writes it; <see cref="Ip"/> is the client's address, for the audit.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Conversations.AddConversationNote")]
public sealed record AddConversationNote(
    [property: Id(0)] string Body,
    [property: Id(1)] ConversationActor Actor,
    [property: Id(2)] string? AuthorApiKeyId,
    [property: Id(3)] string? Ip = null);

namespace Flexoraa.Channels;

/// <summary>
/// The current reaction of one person to a message: <see cref="By"/> is their channel id (wa_id, PSID, IGSID). A
/// message shows one per person; a removed reaction is not shown.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.MessageReaction")]
public sealed record MessageReaction(
    [property: Id(0)] string By,
    [property: Id(1)] string Emoji,
    [property: Id(2)] DateTimeOffset At);

using Flexoraa.Channels;

namespace Flexoraa.Contacts;

/// <summary>
/// Who a conversation is with, as it knows them at one moment: what a <see cref="Flexoraa.Realtime.ConversationUpdated"/>
/// carries so the hub can show the same <c>contact</c> object as the REST conversation (display name included, which
/// the frontend derives from these fields the same way for both). A null <see cref="ProfileStatus"/> means never looked up.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Contacts.ContactSnapshot")]
public sealed record ContactSnapshot(
    [property: Id(0)] ChannelKind Channel,
    [property: Id(1)] string ContactId,
    [property: Id(2)] string? Name,
    [property: Id(3)] string? Username,
    [property: Id(4)] string? AvatarUrl,
    [property: Id(5)] ContactProfileStatus? ProfileStatus,
    [property: Id(6)] string? UserId = null);

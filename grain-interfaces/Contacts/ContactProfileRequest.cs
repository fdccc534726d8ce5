using Flexoraa.Channels;

namespace Flexoraa.Contacts;

/// <summary>Whose profile to look up: the contact's PSID or IGSID on the channel account whose page token may ask for it.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Contacts.ContactProfileRequest")]
public sealed record ContactProfileRequest(
    [property: Id(0)] ChannelKind Channel,
    [property: Id(1)] string ChannelAccountId,
    [property: Id(2)] string ContactId);

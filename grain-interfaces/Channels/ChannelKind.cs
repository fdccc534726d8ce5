using System.Text.Json.Serialization;

namespace Flexoraa.Channels;

/// <summary>
/// The messaging channel an event came through. The numbers are stored and serialized; never renumber them. The names
/// (<see cref="ChannelKindNames"/>) are one word in lower case everywhere: the API, the hub, the database, webhook paths.
/// </summary>
public enum ChannelKind
{
    [JsonStringEnumMemberName(ChannelKindNames.WhatsApp)] WhatsApp = 0,
    [JsonStringEnumMemberName(ChannelKindNames.Messenger)] Messenger = 1,
    [JsonStringEnumMemberName(ChannelKindNames.Instagram)] Instagram = 2,
}

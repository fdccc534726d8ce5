namespace Flexoraa.Channels;

/// <summary>The messaging channel an event came through. The numbers are stored and serialized; never renumber them.</summary>
public enum ChannelKind
{
    WhatsApp = 0,
    Messenger = 1,
    Instagram = 2,
}

namespace Flexoraa.Channels;

/// <summary>
/// The one spelling of channels, used by the API and the hub (through <see cref="ChannelKind"/>'s JSON names), in
/// <c>channel_accounts.channel</c> and <c>messages.channel</c>, in grain keys and in webhook paths: <c>whatsapp</c>,
/// <c>messenger</c>, <c>instagram</c>. Parsing accepts only these names (any case), never the enum's numbers.
/// </summary>
public static class ChannelKindNames
{
    public const string WhatsApp = "whatsapp";
    public const string Messenger = "messenger";
    public const string Instagram = "instagram";

    public const string Choices = $"{WhatsApp}, {Messenger} or {Instagram}";

    public static string Of(ChannelKind channel) => channel switch
    {
        ChannelKind.WhatsApp => WhatsApp,
        ChannelKind.Messenger => Messenger,
        ChannelKind.Instagram => Instagram,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Unknown channel."),
    };

    public static bool TryParse(string? name, out ChannelKind channel)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case WhatsApp: channel = ChannelKind.WhatsApp; return true;
            case Messenger: channel = ChannelKind.Messenger; return true;
            case Instagram: channel = ChannelKind.Instagram; return true;
            default: channel = default; return false;
        }
    }
}

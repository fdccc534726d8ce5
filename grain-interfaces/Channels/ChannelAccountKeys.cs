namespace Flexoraa.Channels;

/// <summary>Grain keys for <see cref="IChannelAccountGrain"/>: <c>whatsapp/{phone_number_id}</c>, <c>messenger/{page_id}</c>, <c>instagram/{ig_id}</c>.</summary>
public static class ChannelAccountKeys
{
    public static string For(ChannelKind channel, string externalAccountId) => $"{ChannelKindNames.Of(channel)}/{externalAccountId}";
}

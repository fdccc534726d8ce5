namespace Flexoraa.Channels;

/// <summary>
/// Where inbound traffic of one external account (a WhatsApp phone number id, a Page id, an Instagram account id) goes.
/// <see cref="AppSecretFingerprint"/> names the Meta app secret that must have signed its webhooks, so one tenant's Meta
/// app cannot post events for another tenant's account.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.ChannelRoute")]
public sealed record ChannelRoute(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string ChannelAccountId,
    [property: Id(2)] ChannelKind Channel,
    [property: Id(3)] string ExternalAccountId,
    [property: Id(4)] string AppSecretFingerprint);

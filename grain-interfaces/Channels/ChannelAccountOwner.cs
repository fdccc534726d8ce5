namespace Flexoraa.Channels;

/// <summary>
/// The tenant that owns one external account (a WhatsApp phone number id, a Page id, an Instagram account id), i.e.
/// where the account's inbound traffic goes. <see cref="AppSecretFingerprint"/> names the Meta app secret that must
/// have signed its webhooks, so one tenant's Meta app cannot post events for another tenant's account.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.ChannelAccountOwner")]
public sealed record ChannelAccountOwner(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string ChannelAccountId,
    [property: Id(2)] ChannelKind Channel,
    [property: Id(3)] string ExternalAccountId,
    [property: Id(4)] string AppSecretFingerprint);

namespace Flexoraa.Channels;

/// <summary>
/// A WhatsApp <c>system</c> message about the customer's identity, delivered in the conversation of their old identity
/// (the message's <c>from</c>). <see cref="NewWaId"/> is the new number (<c>system.wa_id</c>) for
/// <see cref="ContactIdentityChangeKind.NumberChanged"/>; <see cref="NewUserId"/> the new BSUID (<c>system.user_id</c>),
/// when Meta sends it.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.ContactIdentityChange")]
public sealed record ContactIdentityChange(
    [property: Id(0)] ContactIdentityChangeKind Kind,
    [property: Id(1)] string? NewWaId,
    [property: Id(2)] string? NewUserId);

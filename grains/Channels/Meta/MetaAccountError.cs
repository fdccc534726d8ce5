namespace Flexoraa.Channels.Meta;

/// <summary>
/// An error Meta reported for a whole business account rather than for one message, such as WhatsApp's
/// <c>value.errors</c> with 130429 "Rate limit hit". There is no conversation to route it to, so it stays beside
/// the events for the caller to log or alert on.
/// </summary>
/// <param name="Channel">The channel of the account.</param>
/// <param name="AccountId">The WhatsApp phone_number_id the error is about.</param>
/// <param name="Error">Meta's error.</param>
/// <param name="Path">Where the error was in the body, e.g. <c>entry[0].changes[0].value.errors[0]</c>.</param>
public sealed record MetaAccountError(ChannelKind Channel, string AccountId, ChannelError Error, string Path);

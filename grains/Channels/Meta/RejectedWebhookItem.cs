namespace Flexoraa.Channels.Meta;

/// <summary>
/// A part of a webhook that parsed but cannot be stored as it is (an id longer than Meta ever issues, or damaged
/// beyond recognition). Unlike a <see cref="SkippedWebhookItem"/> it is not something we chose to ignore, so the endpoint
/// keeps it as a dead letter with the reason instead of dropping it, and still accepts the rest of the delivery.
/// </summary>
/// <param name="Channel">The channel whose webhook carried it.</param>
/// <param name="AccountId">The business account it was addressed to, as the payload named it.</param>
/// <param name="Path">Where it was, e.g. <c>entry[0].changes[0].value.messages[3]</c>.</param>
/// <param name="Reason">Why it cannot be stored, for the operator reading the dead letter.</param>
/// <param name="RawJson">The original JSON of that part, jsonb-safe.</param>
public sealed record RejectedWebhookItem(ChannelKind Channel, string AccountId, string Path, string Reason, string RawJson);

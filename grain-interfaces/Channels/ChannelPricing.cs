namespace Flexoraa.Channels;

/// <summary>
/// How Meta bills a WhatsApp message. <see cref="Billable"/> is null when Meta did not say, rather than guessing
/// false. <see cref="PricingModel"/> is "CBP" (per conversation) or "PMP" (per message, from 2025); the category is
/// e.g. "service", "utility", "marketing".
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.ChannelPricing")]
public sealed record ChannelPricing(
    [property: Id(0)] bool? Billable,
    [property: Id(1)] string? PricingModel,
    [property: Id(2)] string? Category);

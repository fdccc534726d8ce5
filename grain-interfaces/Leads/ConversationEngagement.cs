namespace Flexoraa.Leads;

/// <summary>
/// Something a lead's conversation did, for <see cref="ILeadGrain.RecordConversationEngagements"/>: the lead's timeline shows the
/// messages, and scoring counts every kind. <see cref="MessageExternalId"/> names the message (the channel's id, or a
/// reply's placeholder until Meta names it) for the message kinds and a fast reply; the timeline keeps one entry per
/// message, so an event delivered twice is recorded once. <see cref="Preview"/> is the message's line as the
/// conversation list shows it.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.ConversationEngagement")]
public sealed record ConversationEngagement(
    [property: Id(0)] ConversationEngagementKind Kind,
    [property: Id(1)] string ConversationId,
    [property: Id(2)] string? MessageExternalId,
    [property: Id(3)] DateTimeOffset OccurredAt,
    [property: Id(4)] string? Preview = null,
    [property: Id(5)] Flexoraa.Channels.ChannelKind? Channel = null);

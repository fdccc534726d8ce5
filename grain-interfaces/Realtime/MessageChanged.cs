using System.Collections.Immutable;
using Flexoraa.Channels;

namespace Flexoraa.Realtime;

/// <summary>
/// A stored message changed after it arrived: someone reacted or took a reaction back, the customer edited it, or
/// deleted it. It carries the message's whole new state, so a client replaces what it shows: <see cref="Reactions"/>
/// (the current one per person), <see cref="Body"/> (the edited text; null when <see cref="Deleted"/>, whose text and
/// media are hidden as in the REST API). <see cref="MessageId"/> is the channel's id, as in <see cref="MessageReceived"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Realtime.MessageChanged")]
public sealed record MessageChanged(
    string TenantId,
    string ConversationId,
    DateTimeOffset OccurredAt,
    [property: Id(0)] string MessageId,
    [property: Id(1)] ImmutableArray<MessageReaction> Reactions,
    [property: Id(2)] string? Body,
    [property: Id(3)] bool Edited,
    [property: Id(4)] DateTimeOffset? EditedAt,
    [property: Id(5)] bool Deleted,
    [property: Id(6)] DateTimeOffset? DeletedAt)
    : TenantUpdate(TenantId, ConversationId, OccurredAt);

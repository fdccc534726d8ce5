using Flexoraa.Realtime;

namespace Flexoraa.Presence;

/// <summary>An agent's presence and since when it has been that; <see cref="Since"/> is null when never seen by this activation.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Presence.AgentPresenceEntry")]
public sealed record AgentPresenceEntry(
    [property: Id(0)] string UserId,
    [property: Id(1)] AgentPresence Presence,
    [property: Id(2)] DateTimeOffset? Since);

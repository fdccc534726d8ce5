namespace Flexoraa.Presence;

/// <summary>
/// The one part of presence worth persisting: who chose to be away. Connections and leases are not stored: after a
/// reactivation every host's next heartbeat rebuilds them.
/// </summary>
[GenerateSerializer, Alias("Flexoraa.Presence.AgentPresenceState")]
public sealed class AgentPresenceState
{
    [Id(0)] public HashSet<string> Away { get; set; } = new(StringComparer.Ordinal);
}

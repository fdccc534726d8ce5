namespace Flexoraa.Presence;

/// <summary>
/// One user as one host sees them: connected, and <see cref="Idle"/> when none of their connections there has shown
/// activity (a hub call such as <c>Heartbeat</c>) for the host's idle time.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Presence.HostUserActivity")]
public sealed record HostUserActivity(
    [property: Id(0)] string UserId,
    [property: Id(1)] bool Idle);

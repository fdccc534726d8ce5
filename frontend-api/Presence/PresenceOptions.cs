namespace Flexoraa.FrontendApi.Presence;

/// <summary>
/// <c>Flexoraa:Presence</c>: how this frontend host reports its agents' presence and paces typing indicators.
/// </summary>
public sealed class PresenceOptions
{
    public const string Section = "Flexoraa:Presence";

    /// <summary>How often the host renews, in one call per tenant it serves, the presence of every user connected to it.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a report holds without renewal: after a host crash its agents go offline within this time. Keep it a few heartbeats long.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A user none of whose connections here called the hub (e.g. <c>Heartbeat</c>) for this long is away.</summary>
    public TimeSpan IdleAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>At most one "is typing" per connection and conversation this often; stops always go through.</summary>
    public TimeSpan TypingThrottle { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A client treats a typing indicator as stopped this long after it was sent (its <c>expiresAt</c>) unless renewed.</summary>
    public TimeSpan TypingExpiresAfter { get; set; } = TimeSpan.FromSeconds(6);
}

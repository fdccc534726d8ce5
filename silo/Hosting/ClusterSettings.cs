using Microsoft.Extensions.Configuration;

namespace Flexoraa.Silo.Hosting;

/// <summary>The <c>Orleans</c> configuration section.</summary>
public sealed record ClusterSettings
{
    /// <summary>Silos and clients with the same cluster id form one cluster.</summary>
    public string ClusterId { get; init; } = "flexoraa";

    /// <summary>Grain state, reminders and streams are keyed by service id, so it must never change for a deployment.</summary>
    public string ServiceId { get; init; } = "flexoraa";

    public int SiloPort { get; init; } = 11111;
    public int GatewayPort { get; init; } = 30000;

    /// <summary>The address other silos reach this one at; loopback when unset, which suits one machine.</summary>
    public string? AdvertisedIP { get; init; }

    /// <summary>
    /// Number of durable stream queues. Each is read by one silo, so more queues spread reading across more silos; on one
    /// machine fewer are cheaper (every queue is its own reader and its own small reads).
    /// </summary>
    public int StreamQueueCount { get; init; } = 4;

    /// <summary>
    /// How often a silo's pulling agent looks at each queue it owns. A look costs no query unless a notification said the
    /// queue has new rows (or its safety poll is due), so this is latency, not database load: half of it is the average
    /// the hop adds. Each look is still an agent turn, which is most of an idle instance's CPU (docs/benchmarks.md).
    /// </summary>
    public TimeSpan StreamPullPeriod { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Opt-in long poll: how long one read of a quiet queue waits for its notification before the agent's turn ends.
    /// With it, the pull periods can be long (100 ms) at no latency cost and an idle instance uses a third of the CPU; it
    /// is off by default because one full test run with it missed a live event we have not explained yet.
    /// </summary>
    public TimeSpan StreamIdleWait { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// How many stream events a pulling agent hands one conversation in one delivery when it has fallen behind. The
    /// conversation stores them in one group commit, so under load a backlog drains in a few commits instead of one
    /// commit wait per event; at low load a delivery still carries the one event there is.
    /// </summary>
    public int StreamDeliveryBatch { get; init; } = 64;

    /// <summary>How often an idle queue is queried anyway, in case a notification was lost.</summary>
    public TimeSpan StreamSafetyPollPeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Number of queues of the <c>live</c> stream provider (each one is read by one silo).</summary>
    public int LiveStreamQueueCount { get; init; } = 2;

    /// <summary>As <see cref="StreamPullPeriod"/>, for the <c>live</c> queues.</summary>
    public TimeSpan LiveStreamPullPeriod { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// How long a <c>live</c> event is retried to one consumer before that subscription is dropped as dead (a frontend
    /// host that crashed without unsubscribing); a host that is still alive re-subscribes by itself.
    /// </summary>
    public TimeSpan LiveStreamMaxDeliveryTime { get; init; } = TimeSpan.FromSeconds(10);

    public static ClusterSettings From(IConfiguration configuration) =>
        configuration.GetSection("Orleans").Get<ClusterSettings>() ?? new ClusterSettings();
}

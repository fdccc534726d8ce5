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
    /// How often a silo's pulling agent starts reading a queue it owns when its last read has ended. A read waits for
    /// the queue's notification for up to <see cref="StreamIdleWait"/> (a long poll), so new rows are read as soon as their
    /// commit is announced; this period only bounds the gap between one idle read ending and the next starting.
    /// </summary>
    public TimeSpan StreamPullPeriod { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long one read of a quiet queue waits for a notification before the agent's turn ends.</summary>
    public TimeSpan StreamIdleWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often an idle queue is queried anyway, in case a notification was lost.</summary>
    public TimeSpan StreamSafetyPollPeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Number of queues of the <c>live</c> stream provider (each one is read by one silo).</summary>
    public int LiveStreamQueueCount { get; init; } = 2;

    /// <summary>As <see cref="StreamPullPeriod"/>, for the <c>live</c> queues.</summary>
    public TimeSpan LiveStreamPullPeriod { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long a <c>live</c> event is retried to one consumer before that subscription is dropped as dead (a frontend
    /// host that crashed without unsubscribing); a host that is still alive re-subscribes by itself.
    /// </summary>
    public TimeSpan LiveStreamMaxDeliveryTime { get; init; } = TimeSpan.FromSeconds(10);

    public static ClusterSettings From(IConfiguration configuration) =>
        configuration.GetSection("Orleans").Get<ClusterSettings>() ?? new ClusterSettings();
}

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

    /// <summary>Number of durable stream queues; more queues spread pulling across silos.</summary>
    public int StreamQueueCount { get; init; } = 8;

    /// <summary>How long a dequeued, unconfirmed stream message stays hidden before another silo may take it.</summary>
    public TimeSpan StreamVisibilityTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How often a silo polls each durable queue for new events; half of it is the average latency the hop adds. Every
    /// poll is a query, so this trades idle database load (queues × polls per second) against latency.
    /// </summary>
    public TimeSpan StreamPullPeriod { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Number of queues of the <c>live</c> stream provider (each one is polled by one silo); few, because they are polled often.</summary>
    public int LiveStreamQueueCount { get; init; } = 2;

    /// <summary>How often a silo polls each <c>live</c> queue; half of it is the average added latency.</summary>
    public TimeSpan LiveStreamPullPeriod { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// How long a <c>live</c> event is retried to one consumer before that subscription is dropped as dead (a frontend
    /// host that crashed without unsubscribing); a host that is still alive re-subscribes by itself.
    /// </summary>
    public TimeSpan LiveStreamMaxDeliveryTime { get; init; } = TimeSpan.FromSeconds(10);

    public static ClusterSettings From(IConfiguration configuration) =>
        configuration.GetSection("Orleans").Get<ClusterSettings>() ?? new ClusterSettings();
}

namespace Flexoraa.Streaming;

/// <summary>Names of the stream providers and namespaces that carry traffic between hosts and grains.</summary>
public static class StreamProviders
{
    /// <summary>The durable, PostgreSQL-backed provider (Orleans' ADO.NET streams). An ack from it means the event is committed.</summary>
    public const string Durable = "durable";

    /// <summary>
    /// The provider for live fan-out (<c>tenant-updates</c>): also Orleans' ADO.NET streams, but with few queues polled
    /// every few milliseconds, short-lived events, and unreachable consumers (crashed frontend hosts) dropped. Clients do
    /// not depend on its durability: they resync from the sequenced buffer in <c>TenantUpdatesGrain</c> on any gap.
    /// </summary>
    public const string Live = "live";
}

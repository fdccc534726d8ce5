namespace Flexoraa.Streaming;

/// <summary>Names of the stream providers and namespaces that carry traffic between hosts and grains.</summary>
public static class StreamProviders
{
    /// <summary>The durable, PostgreSQL-backed provider (Orleans' ADO.NET streams). An ack from it means the event is committed.</summary>
    public const string Durable = "durable";

    /// <summary>
    /// The in-memory provider for live fan-out (<c>tenant-updates</c>): no database round trip and a short pull period.
    /// Events are lost if the silo holding a queue dies; that is acceptable only where the consumer can recover, as
    /// inbox clients do by resyncing from the sequenced buffer in <c>TenantUpdatesGrain</c>.
    /// </summary>
    public const string Live = "live";
}

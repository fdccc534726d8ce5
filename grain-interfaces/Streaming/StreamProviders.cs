namespace Flexoraa.Streaming;

/// <summary>Names of the stream providers and namespaces that carry traffic between hosts and grains.</summary>
public static class StreamProviders
{
    /// <summary>The durable, PostgreSQL-backed provider (Orleans' ADO.NET streams). An ack from it means the event is committed.</summary>
    public const string Durable = "durable";
}

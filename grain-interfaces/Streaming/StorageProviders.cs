namespace Flexoraa.Streaming;

/// <summary>Names of the grain storage providers; both are Orleans' ADO.NET storage on PostgreSQL.</summary>
public static class StorageProviders
{
    public const string Default = "flexoraa";

    /// <summary>Where Orleans keeps explicit stream subscriptions; the name is fixed by Orleans.</summary>
    public const string PubSub = "PubSubStore";
}

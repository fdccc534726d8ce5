namespace Flexoraa.Streaming;

/// <summary>Stream namespaces. A stream id is (namespace, key); the key is documented beside each namespace.</summary>
public static class StreamNamespaces
{
    /// <summary>Normalised channel traffic; key = conversation grain key (<c>{tenant}/{conversation}</c>).</summary>
    public const string ChannelInbound = "channel-inbound";

    /// <summary>Everything a user of a tenant should see change; key = tenant id.</summary>
    public const string TenantUpdates = "tenant-updates";

}

using Orleans.Concurrency;

namespace Flexoraa.Channels;

/// <summary>
/// One external channel account and the tenant that owns it: the inbound router. Key: <see cref="ChannelAccountKeys.For"/>.
/// An account belongs to at most one tenant at a time.
/// </summary>
[Alias("Flexoraa.Channels.IChannelAccountGrain")]
public interface IChannelAccountGrain : IGrainWithStringKey
{
    /// <summary>Null when no tenant owns the account.</summary>
    [Alias("GetRoute"), AlwaysInterleave]
    Task<ChannelRoute?> GetRoute();

    /// <summary>Connects the account to <paramref name="route"/>'s tenant, or updates it when that tenant already owns it.</summary>
    [Alias("Claim")]
    Task<ClaimOutcome> Claim(ChannelRoute route);

    /// <summary>Disconnects the account if <paramref name="tenantId"/> owns it.</summary>
    [Alias("Release")]
    Task Release(string tenantId);
}

using System.Collections.Concurrent;
using Flexoraa.Channels;

namespace Flexoraa.FrontendApi.Webhooks;

/// <summary>
/// Answers "which tenant owns this external account" for webhooks: this host's short-lived copy of
/// <see cref="IChannelAccountGrain.GetOwner"/>, kept so a busy number costs a grain call every few seconds instead of one per webhook.
/// </summary>
public sealed class ChannelAccountOwnerCache(IGrainFactory grains, TimeProvider clock)
{
    private static readonly TimeSpan KnownFor = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan UnknownFor = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<string, (ChannelAccountOwner? Owner, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async ValueTask<ChannelAccountOwner?> ResolveAsync(ChannelKind channel, string externalAccountId)
    {
        var key = ChannelAccountKeys.For(channel, externalAccountId);
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && cached.Until > now) return cached.Owner;

        var owner = await grains.GetGrain<IChannelAccountGrain>(key).GetOwner();
        _cache[key] = (owner, now + (owner is null ? UnknownFor : KnownFor));
        return owner;
    }

    /// <summary>Called when this host changes an account, so its own next webhook sees the change at once.</summary>
    public void Forget(ChannelKind channel, string externalAccountId) => _cache.TryRemove(ChannelAccountKeys.For(channel, externalAccountId), out _);
}

using System.Collections.Concurrent;
using Flexoraa.Channels;

namespace Flexoraa.FrontendApi.Webhooks;

/// <summary>
/// Answers "which tenant owns this external account" for webhooks, asking the account's grain and remembering the answer
/// briefly so a busy number costs a grain call every few seconds instead of one per webhook.
/// </summary>
public sealed class ChannelRouter(IGrainFactory grains, TimeProvider clock)
{
    private static readonly TimeSpan KnownFor = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan UnknownFor = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<string, (ChannelRoute? Route, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async ValueTask<ChannelRoute?> ResolveAsync(ChannelKind channel, string externalAccountId)
    {
        var key = ChannelAccountKeys.For(channel, externalAccountId);
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && cached.Until > now) return cached.Route;

        var route = await grains.GetGrain<IChannelAccountGrain>(key).GetRoute();
        _cache[key] = (route, now + (route is null ? UnknownFor : KnownFor));
        return route;
    }

    /// <summary>Called when this host changes an account, so its own next webhook sees the change at once.</summary>
    public void Forget(ChannelKind channel, string externalAccountId) => _cache.TryRemove(ChannelAccountKeys.For(channel, externalAccountId), out _);
}

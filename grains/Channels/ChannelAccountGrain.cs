using Flexoraa.Streaming;

namespace Flexoraa.Channels;

/// <summary>
/// Owns the answer to "which tenant does this WhatsApp number / Page / Instagram account belong to". Claims and
/// releases are serialized by the grain, so two tenants racing to connect the same account cannot both win; every
/// webhook asks <see cref="GetRoute"/>, which is answered from memory.
/// </summary>
public sealed class ChannelAccountGrain(
    [PersistentState("channelaccount", StorageProviders.Default)] IPersistentState<ChannelAccountState> state,
    TimeProvider clock) : Grain, IChannelAccountGrain
{
    // What GetRoute answers. It interleaves with claims, so it only ever sees a route once that route is durable.
    private ChannelRoute? _route;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _route = state.State.Route;
        return Task.CompletedTask;
    }

    public Task<ChannelRoute?> GetRoute() => Task.FromResult(_route);

    public async Task<ClaimOutcome> Claim(ChannelRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var key = this.GetPrimaryKeyString();
        if (ChannelAccountKeys.For(route.Channel, route.ExternalAccountId) != key)
        {
            throw new ArgumentException($"route: the route is for {ChannelAccountKeys.For(route.Channel, route.ExternalAccountId)}, not {key}.", nameof(route));
        }
        if (string.IsNullOrEmpty(route.TenantId) || string.IsNullOrEmpty(route.ChannelAccountId) || string.IsNullOrEmpty(route.AppSecretFingerprint))
        {
            throw new ArgumentException("route: tenant, channel account id and app secret fingerprint are required.", nameof(route));
        }

        var current = state.State.Route;
        if (current is not null && current.TenantId != route.TenantId) return ClaimOutcome.OwnedByAnotherTenant;
        if (current == route) return ClaimOutcome.Claimed;

        await ChangeAsync(route, current is null ? clock.GetUtcNow() : state.State.ClaimedAt);
        return ClaimOutcome.Claimed;
    }

    public async Task Release(string tenantId)
    {
        if (state.State.Route is null || state.State.Route.TenantId != tenantId) return;
        await ChangeAsync(null, null);
    }

    private async Task ChangeAsync(ChannelRoute? route, DateTimeOffset? claimedAt)
    {
        var (previousRoute, previousClaimedAt) = (state.State.Route, state.State.ClaimedAt);
        state.State.Route = route;
        state.State.ClaimedAt = claimedAt;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Route = previousRoute;
            state.State.ClaimedAt = previousClaimedAt;
            throw;
        }
        _route = route;
    }
}

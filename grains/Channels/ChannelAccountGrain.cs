using Flexoraa.Streaming;

namespace Flexoraa.Channels;

/// <summary>
/// Owns the answer to "which tenant does this WhatsApp number / Page / Instagram account belong to". Claims and
/// releases are serialized by the grain, so two tenants racing to connect the same account cannot both win; every
/// webhook asks <see cref="GetOwner"/>, which is answered from memory.
/// </summary>
public sealed class ChannelAccountGrain(
    [PersistentState("channelaccount", StorageProviders.Default)] IPersistentState<ChannelAccountState> state,
    TimeProvider clock) : Grain, IChannelAccountGrain
{
    // What GetOwner answers. It interleaves with claims, so it only ever sees an owner once that owner is durable.
    private ChannelAccountOwner? _owner;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _owner = state.State.Owner;
        return Task.CompletedTask;
    }

    public Task<ChannelAccountOwner?> GetOwner() => Task.FromResult(_owner);

    public async Task<ClaimOutcome> Claim(ChannelAccountOwner owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var key = this.GetPrimaryKeyString();
        if (ChannelAccountKeys.For(owner.Channel, owner.ExternalAccountId) != key)
        {
            throw new ArgumentException($"owner: the owner is for {ChannelAccountKeys.For(owner.Channel, owner.ExternalAccountId)}, not {key}.", nameof(owner));
        }
        if (string.IsNullOrEmpty(owner.TenantId) || string.IsNullOrEmpty(owner.ChannelAccountId) || string.IsNullOrEmpty(owner.AppSecretFingerprint))
        {
            throw new ArgumentException("owner: tenant, channel account id and app secret fingerprint are required.", nameof(owner));
        }

        var current = state.State.Owner;
        if (current is not null && current.TenantId != owner.TenantId) return ClaimOutcome.OwnedByAnotherTenant;
        if (current == owner) return ClaimOutcome.Claimed;

        await ChangeAsync(owner, current is null ? clock.GetUtcNow() : state.State.ClaimedAt);
        return ClaimOutcome.Claimed;
    }

    public async Task Release(string tenantId)
    {
        if (state.State.Owner is null || state.State.Owner.TenantId != tenantId) return;
        await ChangeAsync(null, null);
    }

    private async Task ChangeAsync(ChannelAccountOwner? owner, DateTimeOffset? claimedAt)
    {
        var (previousOwner, previousClaimedAt) = (state.State.Owner, state.State.ClaimedAt);
        state.State.Owner = owner;
        state.State.ClaimedAt = claimedAt;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Owner = previousOwner;
            state.State.ClaimedAt = previousClaimedAt;
            throw;
        }
        _owner = owner;
    }
}

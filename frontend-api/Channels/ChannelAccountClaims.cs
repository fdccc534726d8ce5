using Flexoraa.Channels;
using Flexoraa.ReadModels;

namespace Flexoraa.FrontendApi.Channels;

/// <summary>
/// Keeps <see cref="IChannelAccountGrain"/> (who receives an account's webhooks) in step with <c>channel_accounts</c>
/// (what a tenant connected). The grain is claimed before the row is written, so two tenants cannot both connect one
/// account; when the database write then fails, <see cref="ReconcileAsync"/> puts the grain back to what the database says.
/// </summary>
public sealed class ChannelAccountClaims(IGrainFactory grains, TenantDatabase database, ILogger<ChannelAccountClaims> logger)
{
    public IChannelAccountGrain GrainFor(ChannelKind channel, string externalAccountId) =>
        grains.GetGrain<IChannelAccountGrain>(ChannelAccountKeys.For(channel, externalAccountId));

    /// <summary>
    /// Makes the grain follow the tenant's live row: claimed for its owner if there is one, released if not. Used after
    /// a change failed half-way, so it never throws; the failure it is cleaning up after is what the caller reports.
    /// </summary>
    public async Task ReconcileAsync(string tenantId, ChannelKind channel, string externalAccountId)
    {
        try
        {
            ChannelAccountRecord? live;
            await using (var session = await database.BeginAsync(tenantId))
            {
                live = await ChannelAccountStore.FindLiveAsync(session, channel, externalAccountId);
            }
            var grain = GrainFor(channel, externalAccountId);
            if (live is null) await grain.Release(tenantId);
            else await grain.Claim(live.Owner);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not reconcile the owner of {Account} for tenant {Tenant} with the database; repeat the change to repair it",
                ChannelAccountKeys.For(channel, externalAccountId), tenantId);
        }
    }
}

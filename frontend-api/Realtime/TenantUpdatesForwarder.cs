using Flexoraa.FrontendApi.Presence;
using Flexoraa.Realtime;
using Microsoft.AspNetCore.SignalR;

namespace Flexoraa.FrontendApi.Realtime;

/// <summary>
/// Hands what a tenant's subscription delivers (see <see cref="TenantUpdatesSubscriptions"/>) to this host's inbox
/// clients: each update to its SignalR group, in the tenant's order. A membership change also closes the changed user's
/// connections here, through <see cref="HubConnections.Revoke"/>.
/// </summary>
public sealed class TenantUpdatesForwarder(IHubContext<InboxHub> hub, HostPresence presence, HubConnections connections, ILogger<TenantUpdatesForwarder> logger)
{
    public async Task ForwardAsync(string tenantId, TenantUpdateBatch batch)
    {
        foreach (var sequenced in batch.Updates)
        {
            if (sequenced.Update.TenantId != tenantId) continue;
            // A join revokes nothing: no connection can predate it, and closing one would only make it reconnect.
            if (sequenced.Update is MembershipChanged { PreviousRole: not null } membership) Revoke(membership);
            try
            {
                // Sent one after another so each connection sees the tenant's order.
                var group = InboxClientMethods.GroupFor(sequenced.Update);
                // The typist's own tabs on this host are left out: "you are typing" is noise.
                var clients = sequenced.Update is Typing typing ? hub.Clients.GroupExcept(group, presence.ConnectionsOf(tenantId, typing.UserId)) : hub.Clients.Group(group);
                await clients.SendAsync(InboxClientMethods.For(sequenced.Update), InboxEventPayload.From(sequenced));
            }
            catch (Exception e)
            {
                // Never fail the stream delivery over one send: the stream would redeliver to every host's clients.
                logger.LogWarning(e, "Forwarding update {Sequence} of tenant {Tenant} failed", sequenced.Sequence, tenantId);
            }
        }
    }

    private void Revoke(MembershipChanged change)
    {
        var closed = connections.Revoke(change.TenantId, change.UserId);
        if (closed > 0) logger.LogInformation("Closed {Count} inbox connections of {User} in tenant {Tenant}: their membership changed", closed, change.UserId, change.TenantId);
    }
}

using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Presence;
using Flexoraa.ReadModels;
using Flexoraa.Realtime;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Flexoraa.FrontendApi.Realtime;

/// <summary>
/// <c>/hubs/inbox</c>: live inbox updates for one tenant. The tenant comes from the token (or API key) only. A connection
/// is in its tenant's group from the start and in a conversation's group once it opens it; it can never reach another
/// tenant's groups because every group name it joins is built from its own tenant.
/// <para>
/// Connecting makes no grain call of its own: authentication already checked membership (from the host's
/// <see cref="HubMembershipCache"/> once the tenant is relayed here), and the host's
/// <see cref="TenantUpdatesRelay"/> subscribes to the tenant's stream only for the first connection of that tenant.
/// Presence likewise reports only a user's first connection on this host (see <see cref="HostPresence"/>).
/// </para>
/// </summary>
[Authorize]
public sealed partial class InboxHub(
    TenantUpdatesRelay relay, HubConnections connections, HubMembershipCache memberships, TenantDatabase database, IGrainFactory grains, HostPresence presence, IOptions<PresenceOptions> presenceOptions, TimeProvider clock) : Hub
{
    private const string TenantKey = "tenant";

    public override async Task OnConnectedAsync()
    {
        var caller = Caller.From(Context.User!) ?? throw new HubException("The connection has no tenant.");
        Context.Items[TenantKey] = caller.TenantId;
        // Registered first, so a membership change relayed from now on closes this connection too.
        connections.Add(caller.TenantId, caller.UserId, Context);
        await Groups.AddToGroupAsync(Context.ConnectionId, InboxClientMethods.TenantGroup(caller.TenantId));
        await relay.AttachAsync(caller.TenantId);
        var http = Context.GetHttpContext();
        if (HubMembershipCache.ReadBeforeRelaying(http) && !await StillMemberAsync(caller))
        {
            // Authentication read the membership before this host subscribed to the tenant's updates, and it has changed
            // since: that change was never delivered here, so this connection may not stay on the old membership.
            Context.Abort();
        }
        else if (!memberships.ConfirmConnected(http, caller.TenantId, relay.IsRelaying(caller.TenantId)))
        {
            // A membership change arrived between authentication and registration: check again on reconnect.
            Context.Abort();
        }
        await PresenceConnectedAsync(caller);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context.ConnectionId);
        if (Context.Items.TryGetValue(TenantKey, out var tenant) && tenant is string tenantId)
        {
            await relay.DetachAsync(tenantId);
            await PresenceDisconnectedAsync(tenantId);
        }
    }

    /// <summary>Joins the conversation's group; false (and no group) when the conversation is not the caller's tenant's.</summary>
    public async Task<bool> OpenConversation(string conversationId)
    {
        var tenantId = TenantId();
        if (!await ConversationExistsAsync(tenantId, conversationId)) return false;
        await Groups.AddToGroupAsync(Context.ConnectionId, InboxClientMethods.ConversationGroup(tenantId, conversationId));
        return true;
    }

    public async Task CloseConversation(string conversationId)
    {
        if (conversationId is not { Length: > 0 and <= 40 }) return;
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, InboxClientMethods.ConversationGroup(TenantId(), conversationId));
    }

    /// <summary>The events after <paramref name="lastSequence"/> if the tenant still buffers them all; otherwise reload.</summary>
    public async Task<ResyncResult> Resync(long lastSequence)
    {
        var since = await grains.GetGrain<ITenantUpdatesGrain>(TenantId()).Since(lastSequence);
        return new ResyncResult(since.Reload, since.LatestSequence, [.. since.Updates.Select(InboxEventPayload.From)]);
    }

    private string TenantId() => (string)Context.Items[TenantKey]!;

    /// <summary>One more look at the grain, only for connects that came in before this host relayed their tenant.</summary>
    private async Task<bool> StillMemberAsync(Caller caller) =>
        caller.UserId is null || await grains.GetGrain<Flexoraa.Tenants.ITenantGrain>(caller.TenantId).GetMember(caller.UserId) is { } member && member.Role == caller.Role;

    private async Task<bool> ConversationExistsAsync(string tenantId, string conversationId)
    {
        if (conversationId is not { Length: > 0 and <= 40 }) return false;
        // Row-level security scopes the look-up to the caller's tenant, so another tenant's id is simply not found.
        await using var session = await database.BeginAsync(tenantId, Context.ConnectionAborted);
        await using var command = session.Command("SELECT 1 FROM conversations WHERE tenant_id = @tenant AND id = @id");
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("id", conversationId);
        return await command.ExecuteScalarAsync(Context.ConnectionAborted) is not null;
    }
}

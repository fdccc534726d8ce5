using Flexoraa.FrontendApi.Conversations;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Presence;
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
/// <see cref="HubAdmission"/> decides who may stay connected; connecting makes no grain call of its own once the tenant is
/// relayed here. Presence likewise reports only a user's first connection on this host (see <see cref="HostPresence"/>).
/// </para>
/// </summary>
[Authorize]
public sealed partial class InboxHub(
    HubAdmission admission, ConversationLookup conversations, IGrainFactory grains, HostPresence presence, IOptions<PresenceOptions> presenceOptions, TimeProvider clock) : Hub
{
    private const string TenantKey = "tenant";

    public override async Task OnConnectedAsync()
    {
        var caller = Caller.From(Context.User!) ?? throw new HubException("The connection has no tenant.");
        Context.Items[TenantKey] = caller.TenantId;
        await Groups.AddToGroupAsync(Context.ConnectionId, InboxClientMethods.TenantGroup(caller.TenantId));
        // Closed rather than thrown: the client reconnects and is checked afresh.
        if (!await admission.AdmitAsync(Context, caller)) Context.Abort();
        await PresenceConnectedAsync(caller);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        var tenantId = Context.Items.TryGetValue(TenantKey, out var tenant) ? tenant as string : null;
        await admission.LeaveAsync(Context.ConnectionId, tenantId);
        if (tenantId is not null) await PresenceDisconnectedAsync(tenantId);
    }

    /// <summary>Joins the conversation's group; false (and no group) when the conversation is not the caller's tenant's.</summary>
    public async Task<bool> OpenConversation(string conversationId)
    {
        var tenantId = TenantId();
        if (!await conversations.ExistsAsync(tenantId, conversationId, Context.ConnectionAborted)) return false;
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
}

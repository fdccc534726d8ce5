using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Presence;
using Flexoraa.Presence;
using Flexoraa.Realtime;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.SignalR;

namespace Flexoraa.FrontendApi.Realtime;

/// <summary>
/// Presence and typing on the inbox hub. Only users have presence (an API key's connection has none). The host's
/// <see cref="HostPresence"/> counts connections, so only a user's first connection on this host costs a grain call.
/// </summary>
public sealed partial class InboxHub
{
    private const string UserKey = "user";
    private const string TypingKey = "typing";
    private const string SeenConversationsKey = "conversations";
    private const string DisplayNameKey = "displayName";

    /// <summary>A connection remembers this many conversations it may type in, so typing costs no database look-up per call.</summary>
    private const int SeenConversationsCap = 64;

    /// <summary>The client is in use (call it every minute or so while the agent is active); without calls the agent turns away after the idle time.</summary>
    public async Task Heartbeat()
    {
        if (UserId() is { } userId) await presence.TouchAsync(TenantId(), userId, Context.ConnectionId);
    }

    /// <summary>The agent's own "away" (true) or "back" (false); it holds across reconnects until they change it.</summary>
    public async Task SetAway(bool away)
    {
        if (UserId() is not { } userId) throw new HubException("Only a signed-in user has a presence.");
        await grains.GetGrain<IAgentPresenceGrain>(TenantId()).SetAway(userId, away);
        if (!away) await presence.TouchAsync(TenantId(), userId, Context.ConnectionId);
    }

    /// <summary>
    /// Tells the others viewing the conversation that this agent is (or stopped) typing. True when accepted — a repeat
    /// within the throttle is accepted and dropped; false when the conversation is not the caller's tenant's, or the
    /// caller cannot work conversations.
    /// </summary>
    public async Task<bool> Typing(string conversationId, bool isTyping)
    {
        var tenantId = TenantId();
        if (UserId() is not { } userId || !CallerCan(Permission.WorkConversations)) return false;
        await presence.TouchAsync(tenantId, userId, Context.ConnectionId);
        if (!await MayTypeInAsync(tenantId, conversationId)) return false;

        var now = clock.GetUtcNow();
        var last = Context.Items.TryGetValue(TypingKey, out var value) ? value as TypingSent : null;
        if (isTyping)
        {
            if (last is not null && last.ConversationId == conversationId && now - last.At < presenceOptions.Value.TypingThrottle) return true;
            Context.Items[TypingKey] = new TypingSent(conversationId, now);
        }
        else
        {
            if (last?.ConversationId != conversationId) return true;
            Context.Items.Remove(TypingKey);
        }
        await PublishTypingAsync(tenantId, userId, conversationId, isTyping, now);
        return true;
    }

    private async Task PresenceConnectedAsync(Caller caller)
    {
        if (caller.UserId is not { } userId) return;
        Context.Items[UserKey] = userId;
        await presence.ConnectedAsync(caller.TenantId, userId, Context.ConnectionId);
    }

    private async Task PresenceDisconnectedAsync(string tenantId)
    {
        if (UserId() is not { } userId) return;
        // A closing tab cannot say it stopped typing; say it for it while the indicator would still show.
        if (Context.Items.TryGetValue(TypingKey, out var value) && value is TypingSent last && clock.GetUtcNow() - last.At < presenceOptions.Value.TypingExpiresAfter)
        {
            await PublishTypingAsync(tenantId, userId, last.ConversationId, false, clock.GetUtcNow());
        }
        await presence.DisconnectedAsync(tenantId, userId, Context.ConnectionId);
    }

    private string? UserId() => Context.Items.TryGetValue(UserKey, out var user) ? user as string : null;

    /// <summary>The role as authentication checked it when the connection opened.</summary>
    private bool CallerCan(Permission permission) => Caller.From(Context.User!)?.Can(permission) == true;

    private async Task<bool> MayTypeInAsync(string tenantId, string conversationId)
    {
        if (conversationId is not { Length: > 0 and <= 40 }) return false;
        if (Context.Items.TryGetValue(SeenConversationsKey, out var value) && value is HashSet<string> seen && seen.Contains(conversationId)) return true;
        if (!await conversations.ExistsAsync(tenantId, conversationId, Context.ConnectionAborted)) return false;
        seen = value as HashSet<string> ?? new HashSet<string>(StringComparer.Ordinal);
        if (seen.Count >= SeenConversationsCap) seen.Clear();
        seen.Add(conversationId);
        Context.Items[SeenConversationsKey] = seen;
        return true;
    }

    private async Task PublishTypingAsync(string tenantId, string userId, string conversationId, bool isTyping, DateTimeOffset now)
    {
        if (!Context.Items.TryGetValue(DisplayNameKey, out var name))
        {
            name = (await grains.GetGrain<ITenantGrain>(tenantId).GetMember(userId))?.DisplayName;
            Context.Items[DisplayNameKey] = name;
        }
        var expiresAt = isTyping ? now + presenceOptions.Value.TypingExpiresAfter : (DateTimeOffset?)null;
        await grains.GetGrain<ITenantUpdatesGrain>(tenantId).Publish(new Flexoraa.Realtime.Typing(tenantId, conversationId, now, userId, name as string, isTyping, expiresAt));
    }

    private sealed record TypingSent(string ConversationId, DateTimeOffset At);
}

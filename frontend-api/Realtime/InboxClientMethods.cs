using Flexoraa.Realtime;

namespace Flexoraa.FrontendApi.Realtime;

/// <summary>The client methods <see cref="InboxHub"/> calls, and which group each update goes to.</summary>
public static class InboxClientMethods
{
    public const string ConversationUpdated = nameof(Flexoraa.Realtime.ConversationUpdated);
    public const string MessageReceived = nameof(Flexoraa.Realtime.MessageReceived);
    public const string MessageStatusChanged = nameof(Flexoraa.Realtime.MessageStatusChanged);
    public const string AssignmentChanged = nameof(Flexoraa.Realtime.AssignmentChanged);
    public const string PresenceChanged = nameof(Flexoraa.Realtime.PresenceChanged);
    public const string Typing = nameof(Flexoraa.Realtime.Typing);
    public const string MembershipChanged = nameof(Flexoraa.Realtime.MembershipChanged);

    /// <summary>The client method is the update's type name, so a new update type needs no change here.</summary>
    public static string For(TenantUpdate update) => update.GetType().Name;

    public static string TenantGroup(string tenantId) => $"tenant:{tenantId}";

    public static string ConversationGroup(string tenantId, string conversationId) => $"conversation:{tenantId}:{conversationId}";

    /// <summary>
    /// Numbered updates go to the whole tenant group, so every connection sees the sequence without holes and a hole always
    /// means a loss. Typing is unnumbered and only interests the people looking at that conversation.
    /// </summary>
    public static string GroupFor(TenantUpdate update) =>
        update is Flexoraa.Realtime.Typing { ConversationId: { } conversationId } ? ConversationGroup(update.TenantId, conversationId) : TenantGroup(update.TenantId);
}

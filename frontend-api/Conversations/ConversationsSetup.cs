using Flexoraa.FrontendApi.CannedResponses;
using Flexoraa.FrontendApi.Inbox;
using Flexoraa.FrontendApi.Replies;

namespace Flexoraa.FrontendApi.Conversations;

/// <summary>The conversation API's stores and look-ups: stateless over <c>TenantDatabase</c>, so one instance of each serves every request.</summary>
public static class ConversationsSetup
{
    public static IServiceCollection AddFlexoraaConversations(this IServiceCollection services)
    {
        services.AddSingleton<ConversationLookup>();
        services.AddSingleton<ConversationInbox>();
        services.AddSingleton<CannedResponseStore>();
        services.AddSingleton<CannedResponseExpansion>();
        services.AddSingleton<ReplyUploads>();
        return services;
    }
}

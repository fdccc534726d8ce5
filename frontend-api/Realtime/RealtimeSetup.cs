using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Presence;
using Flexoraa.Tenants;

namespace Flexoraa.FrontendApi.Realtime;

/// <summary>SignalR, the inbox hub at <c>/hubs/inbox</c> and this host's relay from <c>tenant-updates</c>.</summary>
public static class RealtimeSetup
{
    public const string InboxHubPath = "/hubs/inbox";

    /// <summary>Call after Orleans is added: the relay then stops before Orleans, while it can still unsubscribe.</summary>
    public static WebApplicationBuilder AddFlexoraaRealtime(this WebApplicationBuilder builder)
    {
        builder.Services.AddSignalR();
        builder.Services.AddSingleton<TenantUpdatesRelay>();
        builder.Services.AddSingleton<HubMembershipCache>();
        builder.Services.AddSingleton<HubConnections>();
        builder.Services.AddHostedService(s => s.GetRequiredService<TenantUpdatesRelay>());
        builder.Services.AddOptions<PresenceOptions>().BindConfiguration(PresenceOptions.Section);
        builder.Services.AddSingleton<HostPresence>();
        builder.Services.AddHostedService(s => s.GetRequiredService<HostPresence>());
        return builder;
    }

    public static void MapFlexoraaRealtime(this IEndpointRouteBuilder app) =>
        app.MapHub<InboxHub>(InboxHubPath).RequirePermission(Permission.ReadConversations);
}

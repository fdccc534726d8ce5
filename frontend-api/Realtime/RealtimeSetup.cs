using Flexoraa.Api;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.FrontendApi.Presence;
using Flexoraa.Tenants;

namespace Flexoraa.FrontendApi.Realtime;

/// <summary>SignalR, the inbox hub at <c>/hubs/inbox</c> and this host's relay from <c>tenant-updates</c>
/// (<see cref="TenantUpdatesSubscriptions"/> → <see cref="TenantUpdatesForwarder"/>), with <see cref="HubAdmission"/> at the door.</summary>
public static class RealtimeSetup
{
    public const string InboxHubPath = "/hubs/inbox";

    /// <summary>Call after Orleans is added: the subscriptions then stop before Orleans, while it can still unsubscribe.</summary>
    public static WebApplicationBuilder AddFlexoraaRealtime(this WebApplicationBuilder builder)
    {
        builder.Services.AddSignalR().AddJsonProtocol(o => ApiJson.Configure(o.PayloadSerializerOptions));
        builder.Services.AddSingleton<TenantUpdatesForwarder>();
        builder.Services.AddSingleton<TenantUpdatesSubscriptions>();
        builder.Services.AddSingleton<HubConnections>();
        builder.Services.AddSingleton<HubAdmission>();
        builder.Services.AddHostedService(s => s.GetRequiredService<TenantUpdatesSubscriptions>());
        builder.Services.AddOptions<PresenceOptions>().BindConfiguration(PresenceOptions.Section);
        builder.Services.AddSingleton<HostPresence>();
        builder.Services.AddHostedService(s => s.GetRequiredService<HostPresence>());
        return builder;
    }

    /// <summary>
    /// Refuses hub requests (negotiate, WebSocket upgrade, fallbacks) from browser origins that are neither ours nor
    /// configured. CORS does not cover WebSockets: a browser opens a cross-site socket to any server that accepts it, so a
    /// page on another site could otherwise drive a signed-in agent's hub connection.
    /// </summary>
    public static IApplicationBuilder UseHubOriginCheck(this IApplicationBuilder app) =>
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/hubs", StringComparison.OrdinalIgnoreCase), hub => hub.Use(async (context, next) =>
        {
            var origin = context.Request.Headers.Origin.ToString();
            if (origin.Length > 0 && !context.RequestServices.GetRequiredService<AllowedOrigins>().Allows(origin, context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status403Forbidden,
                        Title = "Origin not allowed",
                        Detail = $"Hub connections from the origin '{origin}' are not allowed. Add it to Flexoraa:Cors:AllowedOrigins to allow it.",
                    },
                });
                return;
            }
            await next(context);
        }));

    public static void MapFlexoraaRealtime(this IEndpointRouteBuilder app) =>
        app.MapHub<InboxHub>(InboxHubPath).RequirePermission(Permission.ReadConversations);
}

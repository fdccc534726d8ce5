using System.Security.Claims;
using Flexoraa.FrontendApi.Realtime;
using Flexoraa.Silo.Hosting;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;

namespace Flexoraa.FrontendApi.Identity;

/// <summary>
/// Authentication (JWT bearer or <c>X-Api-Key</c>) and authorization (one policy per <see cref="Permission"/>).
/// Every endpoint needs an authenticated caller unless it says otherwise.
/// </summary>
public static class AuthenticationSetup
{
    public const string Scheme = "Flexoraa";

    public static WebApplicationBuilder AddFlexoraaAuth(this WebApplicationBuilder builder, FlexoraaDatabase database, ILogger startupLogger)
    {
        var settings = builder.Configuration.GetSection(AuthSettings.Section).Get<AuthSettings>() ?? new AuthSettings();
        var key = SigningKeyProvider.Resolve(settings, database, startupLogger);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(key);
        builder.Services.AddSingleton<AccessTokenIssuer>();

        var validation = new AccessTokenIssuer(settings, key, TimeProvider.System).ValidationParameters();
        builder.Services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "JWT or API key", o => o.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.CarriesApiKey(context.Request) ? ApiKeyAuthenticationHandler.SchemeName : JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = validation;
                // Why a token failed (expired, unknown key, bad signature) helps an attacker probe; it goes to the log.
                o.IncludeErrorDetails = false;
                o.Events = new JwtBearerEvents
                {
                    // Browsers cannot set headers on a WebSocket, so SignalR sends the token in the query string.
                    OnMessageReceived = context =>
                    {
                        if (context.HttpContext.Request.Path.StartsWithSegments("/hubs") && context.Request.Query["access_token"] is { Count: 1 } token)
                        {
                            context.Token = token[0];
                        }
                        return Task.CompletedTask;
                    },
                    OnTokenValidated = CheckCurrentMembershipAsync,
                    OnAuthenticationFailed = context =>
                    {
                        context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Flexoraa.Authentication")
                            .LogInformation("Access token refused for {Method} {Path}: {Reason}", context.Request.Method, context.Request.Path, context.Exception.Message);
                        return Task.CompletedTask;
                    },
                };
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().Build())
            .AddPermissionPolicies();
        return builder;
    }

    /// <summary>
    /// A token proves who the user was at sign-in; the tenant's current membership decides what they may do now.
    /// A removed member is refused on the next request, and a demoted one gets the new role at once.
    /// </summary>
    private static async Task CheckCurrentMembershipAsync(TokenValidatedContext context)
    {
        var principal = context.Principal!;
        var userId = principal.FindFirstValue(FlexoraaClaims.UserId);
        var tenantId = principal.FindFirstValue(FlexoraaClaims.TenantId);
        if (userId is null || tenantId is null)
        {
            context.Fail("The token has no user or tenant.");
            return;
        }

        var member = await CurrentMemberAsync(context.HttpContext, tenantId, userId);
        if (member is null)
        {
            context.Fail("The user is no longer a member of this tenant.");
            return;
        }

        var identity = (ClaimsIdentity)principal.Identity!;
        foreach (var stale in identity.FindAll(FlexoraaClaims.Role).ToList()) identity.RemoveClaim(stale);
        identity.AddClaim(new Claim(FlexoraaClaims.Role, TenantRoleNames.Of(member.Role)));
    }

    /// <summary>
    /// The grain's answer; a hub connect asks <see cref="HubAdmission"/>, which may answer from memory and checks again
    /// once the connection is open. REST requests always ask the grain, so a change is immediate.
    /// </summary>
    private static Task<TenantMember?> CurrentMemberAsync(HttpContext http, string tenantId, string userId) =>
        http.Request.Path.StartsWithSegments("/hubs") && http.RequestServices.GetService<HubAdmission>() is { } admission
            ? admission.MemberAsync(http, tenantId, userId)
            : http.RequestServices.GetRequiredService<IGrainFactory>().GetGrain<ITenantGrain>(tenantId).GetMember(userId);

    private static AuthorizationBuilder AddPermissionPolicies(this AuthorizationBuilder authorization)
    {
        foreach (var permission in Enum.GetValues<Permission>())
        {
            authorization.AddPolicy(PolicyName(permission), policy => policy
                .AddAuthenticationSchemes(Scheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(context => Caller.From(context.User)?.Can(permission) == true));
        }
        return authorization;
    }

    public static string PolicyName(Permission permission) => "permission:" + permission;

    /// <summary>Only callers whose current role grants <paramref name="permission"/> get through; others get 403.</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder endpoint, Permission permission) where TBuilder : IEndpointConventionBuilder =>
        endpoint.RequireAuthorization(PolicyName(permission));
}

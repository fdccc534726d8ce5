using Flexoraa.FrontendApi.Accounts;
using Flexoraa.FrontendApi.Accounts.Google;
using Flexoraa.FrontendApi.ApiKeys;
using Flexoraa.FrontendApi.Audit;
using Flexoraa.FrontendApi.Email;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.Silo.Hosting;

namespace Flexoraa.FrontendApi.Identity;

/// <summary>Registers accounts, tokens, API keys, email, the audit log and the abuse limits.</summary>
public static class IdentityServices
{
    public static WebApplicationBuilder AddFlexoraaIdentity(this WebApplicationBuilder builder, FlexoraaDatabase database, ILogger startupLogger)
    {
        builder.AddFlexoraaAuth(database, startupLogger);
        builder.Services.AddSingleton(builder.Configuration.GetSection(SmtpSettings.Section).Get<SmtpSettings>() ?? new SmtpSettings());
        builder.Services.AddSingleton<EmailOutbox>();
        builder.Services.AddHostedService<OutboxEmailSender>();
        builder.Services.AddSingleton<AuditTrail>();
        builder.Services.AddSingleton<UserAccounts>();
        builder.Services.AddSingleton<RefreshTokens>();
        builder.Services.AddSingleton<SignupRequests>();
        builder.Services.AddSingleton<SessionIssuer>();
        builder.Services.AddSingleton<TenantApiKeys>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<Team.TeamInvitations>();
        builder.Services.AddGoogleSignIn(builder.Configuration);
        AddAbuseLimits(builder);
        return builder;
    }

    /// <summary>Rate limits per IP, user and tenant (<c>Flexoraa:RateLimits</c>) and which browser origins may call (<c>Flexoraa:Cors</c>).</summary>
    private static void AddAbuseLimits(WebApplicationBuilder builder)
    {
        builder.Services.AddFlexoraaRateLimits(builder.Configuration.GetSection(RateLimitSettings.Section).Get<RateLimitSettings>() ?? new RateLimitSettings());
        builder.Services.AddFlexoraaCors(builder.Configuration);
    }
}

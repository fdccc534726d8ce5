using System.Globalization;
using System.Threading.RateLimiting;
using Flexoraa.FrontendApi.Accounts;
using Flexoraa.FrontendApi.Accounts.Google;
using Flexoraa.FrontendApi.Audit;
using Flexoraa.FrontendApi.Email;
using Flexoraa.Silo.Hosting;

namespace Flexoraa.FrontendApi.Identity;

/// <summary>Registers accounts, tokens, email and the abuse limits on the auth endpoints.</summary>
public static class IdentityServices
{
    public static WebApplicationBuilder AddFlexoraaIdentity(this WebApplicationBuilder builder, FlexoraaDatabase database, ILogger startupLogger)
    {
        builder.AddFlexoraaAuth(database, startupLogger);
        builder.Services.AddSingleton(builder.Configuration.GetSection(SmtpSettings.Section).Get<SmtpSettings>() ?? new SmtpSettings());
        builder.Services.AddSingleton<EmailOutbox>();
        builder.Services.AddSingleton<AuditTrail>();
        builder.Services.AddSingleton<UserAccounts>();
        builder.Services.AddSingleton<RefreshTokens>();
        builder.Services.AddSingleton<SignupRequests>();
        builder.Services.AddSingleton<SessionIssuer>();
        builder.Services.AddGoogleSignIn(builder.Configuration);
        AddRateLimits(builder);
        return builder;
    }

    /// <summary>Per-IP fixed windows on the unauthenticated auth endpoints (<c>Flexoraa:RateLimits:AuthPerIpPerMinute</c>).</summary>
    private static void AddRateLimits(WebApplicationBuilder builder)
    {
        var perIp = builder.Configuration.GetValue("Flexoraa:RateLimits:AuthPerIpPerMinute", 30);
        builder.Services.AddRateLimiter(o =>
        {
            o.AddPolicy(AccountEndpoints.AuthRateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perIp, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = { Status = 429, Title = "Too many requests", Detail = $"Slow down; retry after {Math.Ceiling(retryAfter.TotalSeconds)} seconds." },
                });
            };
        });
    }
}

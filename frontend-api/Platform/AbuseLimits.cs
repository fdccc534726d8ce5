using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Flexoraa.FrontendApi.Accounts;
using Flexoraa.FrontendApi.Identity;

namespace Flexoraa.FrontendApi.Platform;

/// <summary>
/// ASP.NET Core rate limiting: per IP on the auth endpoints (a named policy), and for authenticated calls a global
/// limiter chained per user (or API key) and per tenant. Every refusal is a 429 problem with <c>Retry-After</c>.
/// The middleware runs after authentication, so the global limiter partitions by the verified caller, never by
/// anything a client could claim, and before authorization, so a refused call (403) still counts. Calls with unknown API
/// keys are never authenticated; <see cref="FailedApiKeyLookups"/> limits those per IP instead.
/// </summary>
public static class AbuseLimits
{
    public static IServiceCollection AddFlexoraaRateLimits(this IServiceCollection services, RateLimitSettings settings)
    {
        // Checked at start-up: a zero or negative limit would otherwise surface as every request failing.
        foreach (var (name, value) in new[] { ("AuthPerIpPerMinute", settings.AuthPerIpPerMinute), ("PerUserPerMinute", settings.PerUserPerMinute), ("PerTenantPerMinute", settings.PerTenantPerMinute),
            ("FailedApiKeyLookupsPerIpPerMinute", settings.FailedApiKeyLookupsPerIpPerMinute) })
        {
            if (value < 1) throw new InvalidOperationException($"{RateLimitSettings.Section}:{name} must be at least 1 (requests per minute), not {value}.");
        }
        services.AddSingleton(settings);
        services.AddSingleton<FailedApiKeyLookups>();
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(AccountEndpoints.AuthRateLimitPolicy, context => PerMinute("ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"), settings.AuthPerIpPerMinute));
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => Caller.From(context.User) is { } caller
                    ? PerMinute(caller.UserId is { } user ? "user:" + user : "key:" + caller.ApiKeyId, settings.PerUserPerMinute)
                    : RateLimitPartition.GetNoLimiter("anonymous")),
                PartitionedRateLimiter.Create<HttpContext, string>(context => Caller.From(context.User) is { } caller
                    ? PerMinute("tenant:" + caller.TenantId, settings.PerTenantPerMinute)
                    : RateLimitPartition.GetNoLimiter("anonymous")));
            o.OnRejected = WriteTooManyRequestsAsync;
        });
        return services;
    }

    private static RateLimitPartition<string> PerMinute(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });

    private static async ValueTask WriteTooManyRequestsAsync(OnRejectedContext context, CancellationToken cancellationToken) =>
        await WriteTooManyRequestsAsync(context.HttpContext, context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1));

    /// <summary>The one 429 answer: <c>Retry-After</c> in whole seconds and a problem body.</summary>
    public static async Task WriteTooManyRequestsAsync(HttpContext http, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds));
        var response = http.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = 429, Title = "Too many requests", Detail = $"Slow down; retry after {seconds} seconds." },
        });
    }
}

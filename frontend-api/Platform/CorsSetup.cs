namespace Flexoraa.FrontendApi.Platform;

/// <summary>
/// Cross-origin access for browser apps on other origins, from <c>Flexoraa:Cors:AllowedOrigins</c> (an array of origins
/// such as <c>https://app.example.com</c>, or <c>*</c>). With none configured there is no CORS policy, so browsers keep
/// their same-origin rule. Credentials are not allowed: the API authenticates with headers, not cookies.
/// </summary>
public static class CorsSetup
{
    public const string Section = "Flexoraa:Cors:AllowedOrigins";

    public static IServiceCollection AddFlexoraaCors(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = (configuration.GetSection(Section).Get<string[]>() ?? [])
            .Where(o => !string.IsNullOrWhiteSpace(o))
            .Select(o => o.Trim().TrimEnd('/'))
            .ToArray();
        foreach (var origin in origins.Where(o => o != "*"))
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || uri.PathAndQuery != "/")
            {
                throw new InvalidOperationException($"{Section} has '{origin}', which is not an origin such as https://app.example.com (scheme, host and optional port only).");
            }
        }

        services.AddSingleton(new AllowedOrigins(origins));
        services.AddCors(o =>
        {
            if (origins.Length == 0) return;
            o.AddDefaultPolicy(policy =>
            {
                if (origins.Contains("*")) policy.AllowAnyOrigin();
                else policy.WithOrigins(origins);
                policy.AllowAnyHeader().AllowAnyMethod()
                    .WithExposedHeaders("Location", "Retry-After")
                    .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
            });
        });
        return services;
    }
}

namespace Flexoraa.FrontendApi.Platform;

/// <summary>
/// Security headers on every response, error pages included (they are added as the response starts, after any
/// exception handler has reset it). An endpoint that sets one of these headers itself keeps its own value.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>API answers are data, never documents: nothing may load, run or frame them.</summary>
    public const string ApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>
    /// The <c>/scalar</c> reference page runs its bundled scripts (served from <c>/scalar/</c>) plus an inline module that
    /// starts it, injects inline styles, reads <c>/openapi/v1.json</c>, loads Scalar's web fonts, and sends "try it"
    /// requests to the servers in the document, so it gets this looser policy. It needs no eval and no other script host.
    /// </summary>
    public const string DocsContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline' https://fonts.scalar.com; " +
        "font-src 'self' data: https://fonts.scalar.com; img-src 'self' data: https:; connect-src 'self' https:; " +
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public const string DocsPath = "/scalar";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            Apply(context);
            return Task.CompletedTask;
        });
        return next(context);
    });

    private static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.TryAdd("X-Content-Type-Options", "nosniff");
        headers.TryAdd("X-Frame-Options", "DENY");
        headers.TryAdd("Referrer-Policy", "no-referrer");
        headers.TryAdd("Content-Security-Policy",
            context.Request.Path.StartsWithSegments(DocsPath) ? DocsContentSecurityPolicy : ApiContentSecurityPolicy);
        // Only over HTTPS: on plain HTTP the header is meaningless, and on localhost it would pin the developer's browser.
        if (context.Request.IsHttps) headers.TryAdd("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
}

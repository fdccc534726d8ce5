namespace Flexoraa.FrontendApi.Platform;

/// <summary>
/// Answers that carry tokens (sign-in, refresh, sign-up confirmation, tenant switch, invitation acceptance) must not be
/// kept by a browser or a proxy cache, where another user of the machine or the proxy could read them later.
/// </summary>
public static class TokenResponseCaching
{
    public static TBuilder CarriesTokens<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            // Set before the handler runs, so every answer gets it: a problem body names accounts, too.
            var headers = context.HttpContext.Response.Headers;
            headers.CacheControl = "no-store";
            headers.Pragma = "no-cache";
            return await next(context);
        });
}

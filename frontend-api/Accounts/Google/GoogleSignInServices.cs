namespace Flexoraa.FrontendApi.Accounts.Google;

public static class GoogleSignInServices
{
    /// <summary>Registers Google sign-in from <c>Flexoraa:Auth:Google</c>; unconfigured, its endpoints answer 404.</summary>
    public static IServiceCollection AddGoogleSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection(GoogleSignInSettings.Section).Get<GoogleSignInSettings>() ?? new GoogleSignInSettings());
        // GoogleOidcClient keeps its HttpClient for the app's lifetime, so DNS changes are picked up by recycling
        // pooled connections rather than handlers.
        services.AddHttpClient(GoogleOidcClient.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(15))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddSingleton<GoogleOidcClient>();
        services.AddSingleton<OAuthStates>();
        services.AddSingleton<GoogleAccounts>();
        return services;
    }
}

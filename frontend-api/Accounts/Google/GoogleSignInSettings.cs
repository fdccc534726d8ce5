namespace Flexoraa.FrontendApi.Accounts.Google;

/// <summary>
/// The <c>Flexoraa:Auth:Google</c> configuration section. Google sign-in is on only when all four values are set.
/// <see cref="Authority"/> is the issuer whose <c>/.well-known/openid-configuration</c> names every other endpoint,
/// so tests (or another OpenID Connect provider) only change this one address.
/// </summary>
public sealed record GoogleSignInSettings
{
    public const string Section = "Flexoraa:Auth:Google";
    public const string GoogleAuthority = "https://accounts.google.com";

    public string? Authority { get; init; }
    public string? ClientId { get; init; }
    public string? ClientSecret { get; init; }

    /// <summary>Where the provider sends the browser back: this API's <c>/api/v1/auth/google/callback</c>, registered with the provider.</summary>
    public string? RedirectUri { get; init; }

    /// <summary>How long a started sign-in may take before its state is refused.</summary>
    public TimeSpan StateLifetime { get; init; } = TimeSpan.FromMinutes(10);

    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId) &&
        !string.IsNullOrWhiteSpace(ClientSecret) && !string.IsNullOrWhiteSpace(RedirectUri);

    public string MetadataAddress => Authority!.TrimEnd('/') + "/.well-known/openid-configuration";
}

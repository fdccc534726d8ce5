using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Flexoraa.FrontendApi.Accounts.Google;

/// <summary>
/// Talks OpenID Connect (authorization code flow with PKCE) to the provider at <see cref="GoogleSignInSettings.Authority"/>.
/// Every endpoint and signing key comes from the provider's discovery document, which
/// <see cref="ConfigurationManager{T}"/> caches and refreshes.
/// </summary>
public sealed class GoogleOidcClient
{
    public const string HttpClientName = "google-oidc";
    private const string Scope = "openid email profile";

    private readonly GoogleSignInSettings _settings;
    private readonly HttpClient _http;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _configuration;
    private readonly JsonWebTokenHandler _handler = new();

    public GoogleOidcClient(GoogleSignInSettings settings, IHttpClientFactory httpClients)
    {
        _settings = settings;
        _http = httpClients.CreateClient(HttpClientName);
        if (!settings.IsConfigured) return;

        // Plain http only for a provider on loopback (a local fake in tests); a real provider must be reached over TLS.
        var requireHttps = !(Uri.TryCreate(settings.Authority, UriKind.Absolute, out var authority) && authority.IsLoopback);
        _configuration = new ConfigurationManager<OpenIdConnectConfiguration>(
            settings.MetadataAddress, new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever(_http) { RequireHttps = requireHttps });
    }

    /// <summary>The provider's authorization URL for one sign-in, carrying its state, nonce and PKCE challenge.</summary>
    public async Task<string> AuthorizationUrlAsync(string state, string nonce, string codeVerifier, CancellationToken cancellationToken)
    {
        var configuration = await ConfigurationAsync(cancellationToken);
        var message = new OpenIdConnectMessage
        {
            IssuerAddress = configuration.AuthorizationEndpoint,
            ClientId = _settings.ClientId,
            RedirectUri = _settings.RedirectUri,
            ResponseType = OpenIdConnectResponseType.Code,
            Scope = Scope,
            State = state,
            Nonce = nonce,
        };
        message.SetParameter("code_challenge", CodeChallenge(codeVerifier));
        message.SetParameter("code_challenge_method", "S256");
        return message.CreateAuthenticationRequestUrl();
    }

    /// <summary>Redeems the code, then accepts the id_token only if it is signed by the provider, for us, current and for this sign-in's nonce.</summary>
    public async Task<GoogleIdentity> RedeemAsync(string code, string codeVerifier, string expectedNonce, CancellationToken cancellationToken)
    {
        var configuration = await ConfigurationAsync(cancellationToken);
        var idToken = await ExchangeCodeAsync(configuration, code, codeVerifier, cancellationToken);

        var result = await _handler.ValidateTokenAsync(idToken, ValidationParameters(configuration));
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // The provider may have rotated its keys since the discovery document was cached.
            _configuration!.RequestRefresh();
            configuration = await ConfigurationAsync(cancellationToken);
            result = await _handler.ValidateTokenAsync(idToken, ValidationParameters(configuration));
        }
        if (!result.IsValid) throw new GoogleSignInException("id_token", $"The id_token is not valid: {FirstSentence(result.Exception?.Message)}");

        var nonce = result.Claims.TryGetValue("nonce", out var n) ? n as string : null;
        if (nonce is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(nonce), Encoding.UTF8.GetBytes(expectedNonce)))
        {
            throw new GoogleSignInException("id_token", "The id_token was not issued for this sign-in (its nonce does not match).");
        }

        var subject = result.Claims.TryGetValue(JwtRegisteredClaimNames.Sub, out var s) ? s as string : null;
        var email = result.Claims.TryGetValue(JwtRegisteredClaimNames.Email, out var e) ? e as string : null;
        if (string.IsNullOrWhiteSpace(subject)) throw new GoogleSignInException("id_token", "The id_token names no subject.");
        if (string.IsNullOrWhiteSpace(email) || !System.Net.Mail.MailAddress.TryCreate(email, out _))
        {
            throw new GoogleSignInException("email", "The Google account has no usable email address; allow the email scope.");
        }
        if (!result.Claims.TryGetValue("email_verified", out var verified) || !IsTrue(verified))
        {
            throw new GoogleSignInException("email", "The Google account's email address is not verified. Verify it with Google, then sign in again.");
        }

        var name = result.Claims.TryGetValue("name", out var nm) && nm is string named && !string.IsNullOrWhiteSpace(named) ? named.Trim() : email.Split('@')[0];
        return new GoogleIdentity(subject, email.Trim(), name.Length > 200 ? name[..200] : name);
    }

    private async Task<string> ExchangeCodeAsync(OpenIdConnectConfiguration configuration, string code, string codeVerifier, CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = _settings.RedirectUri!,
            ["client_id"] = _settings.ClientId!,
            ["client_secret"] = _settings.ClientSecret!,
            ["code_verifier"] = codeVerifier,
        });

        HttpResponseMessage response;
        string body;
        try
        {
            response = await _http.PostAsync(configuration.TokenEndpoint, form, cancellationToken);
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new GoogleSignInException("provider", "Google's token endpoint did not answer; try signing in again shortly.", providerUnavailable: true);
        }

        using (response)
        {
            if ((int)response.StatusCode >= 500)
            {
                throw new GoogleSignInException("provider", $"Google's token endpoint failed ({(int)response.StatusCode}); try signing in again shortly.", providerUnavailable: true);
            }
            var message = ParseTokenResponse(body);
            if (!response.IsSuccessStatusCode || message?.Error is not null)
            {
                throw new GoogleSignInException("code", $"Google refused the authorization code ({message?.Error ?? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}). Start the sign-in again.");
            }
            return message?.IdToken is { Length: > 0 } idToken
                ? idToken
                : throw new GoogleSignInException("id_token", "Google's token response has no id_token; was the openid scope granted?");
        }
    }

    private static OpenIdConnectMessage? ParseTokenResponse(string body)
    {
        try
        {
            return new OpenIdConnectMessage(body);
        }
        catch (Exception e) when (e is ArgumentException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private TokenValidationParameters ValidationParameters(OpenIdConnectConfiguration configuration) => new()
    {
        // Google documents both spellings of its issuer in id_tokens.
        ValidIssuers = configuration.Issuer.StartsWith("https://", StringComparison.Ordinal)
            ? [configuration.Issuer, configuration.Issuer["https://".Length..]]
            : [configuration.Issuer],
        ValidAudience = _settings.ClientId,
        IssuerSigningKeys = configuration.SigningKeys,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256],
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ClockSkew = TimeSpan.FromMinutes(2),
    };

    private async Task<OpenIdConnectConfiguration> ConfigurationAsync(CancellationToken cancellationToken)
    {
        if (_configuration is null) throw new InvalidOperationException("Google sign-in is not configured.");
        try
        {
            return await _configuration.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException)
        {
            // ConfigurationManager reports an unreachable or malformed discovery document this way.
            throw new GoogleSignInException("provider", "Google's sign-in configuration could not be loaded; try again shortly.", providerUnavailable: true);
        }
    }

    /// <summary>PKCE S256: the provider will only redeem the code for whoever knows the verifier behind this hash.</summary>
    public static string CodeChallenge(string codeVerifier) =>
        System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(codeVerifier)));

    private static bool IsTrue(object? claim) => claim switch
    {
        bool b => b,
        string s => string.Equals(s, "true", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    private static string FirstSentence(string? message)
    {
        if (string.IsNullOrEmpty(message)) return "it failed validation.";
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}

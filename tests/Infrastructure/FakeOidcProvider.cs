using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Flexoraa.Tests.Infrastructure;

/// <summary>
/// An OpenID Connect provider on loopback that behaves like Google's for the authorization code flow with PKCE:
/// discovery, JWKS, <c>/authorize</c> (which signs in as <see cref="NextUser"/> without a consent page) and a token
/// endpoint that checks the code, client secret, redirect URI and PKCE verifier before it signs an id_token.
/// </summary>
public sealed class FakeOidcProvider : IAsyncDisposable
{
    public const string ClientId = "flexoraa-test.apps.example";
    public const string ClientSecret = "fake-client-secret";

    private readonly WebApplication _app;
    private readonly RsaSecurityKey _signingKey;
    private readonly ConcurrentDictionary<string, Grant> _codes = new();

    private sealed record Grant(FakeGoogleUser User, string Nonce, string CodeChallenge, string RedirectUri);

    private FakeOidcProvider(WebApplication app, RsaSecurityKey signingKey)
    {
        _app = app;
        _signingKey = signingKey;
    }

    public string Authority { get; private set; } = "";

    /// <summary>Who <c>/authorize</c> signs in; null makes it answer like a user who pressed Cancel.</summary>
    public FakeGoogleUser? NextUser { get; set; }

    /// <summary>Changes the next id_tokens before they are signed, to play a misbehaving provider or an attacker.</summary>
    public Action<SecurityTokenDescriptor>? TamperIdToken { get; set; }

    private int _tokenRequests;

    /// <summary>How many times the token endpoint was called, whatever it answered.</summary>
    public int TokenRequests => _tokenRequests;

    public static async Task<FakeOidcProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "fake-key-1" };
        var provider = new FakeOidcProvider(app, key);

        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = provider.Authority,
            ["authorization_endpoint"] = provider.Authority + "/authorize",
            ["token_endpoint"] = provider.Authority + "/token",
            ["jwks_uri"] = provider.Authority + "/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
        }));
        app.MapGet("/jwks", provider.Jwks);
        app.MapGet("/authorize", provider.Authorize);
        app.MapPost("/token", provider.TokenAsync);

        await app.StartAsync();
        provider.Authority = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return provider;
    }

    private IResult Jwks()
    {
        var parameters = _signingKey.Rsa.ExportParameters(includePrivateParameters: false);
        return Results.Json(new
        {
            keys = new[]
            {
                new { kty = "RSA", use = "sig", alg = "RS256", kid = _signingKey.KeyId, n = Base64Url.EncodeToString(parameters.Modulus), e = Base64Url.EncodeToString(parameters.Exponent) },
            },
        });
    }

    private IResult Authorize(HttpRequest request)
    {
        var query = request.Query;
        string? Param(string name) => query[name].Count == 1 ? query[name][0] : null;
        var redirectUri = Param("redirect_uri");
        if (redirectUri is null || Param("client_id") != ClientId) return Results.BadRequest("unknown client or no redirect_uri");
        if (Param("response_type") != "code" || Param("code_challenge_method") != "S256" || Param("code_challenge") is null || Param("nonce") is null ||
            !(Param("scope") ?? "").Split(' ').ToHashSet().SetEquals(["openid", "email", "profile"]))
        {
            return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, new Dictionary<string, string?> { ["error"] = "invalid_request", ["state"] = Param("state") }));
        }
        if (NextUser is not { } user)
        {
            return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, new Dictionary<string, string?>
            {
                ["error"] = "access_denied", ["error_description"] = "The user cancelled", ["state"] = Param("state"),
            }));
        }

        var code = "code-" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        _codes[code] = new Grant(user, Param("nonce")!, Param("code_challenge")!, redirectUri);
        return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, new Dictionary<string, string?> { ["code"] = code, ["state"] = Param("state") }));
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        Interlocked.Increment(ref _tokenRequests);
        var form = await request.ReadFormAsync();
        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret) return Results.Json(new { error = "invalid_client" }, statusCode: 401);
        if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"].ToString(), out var grant)) return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        var challenge = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString())));
        if (form["redirect_uri"] != grant.RedirectUri || challenge != grant.CodeChallenge)
        {
            return Results.Json(new { error = "invalid_grant", error_description = "redirect_uri or code_verifier does not match" }, statusCode: 400);
        }

        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = ClientId,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(_signingKey, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = grant.User.Subject,
                ["email"] = grant.User.Email,
                ["email_verified"] = grant.User.EmailVerified,
                ["name"] = grant.User.Name,
                ["nonce"] = grant.Nonce,
            },
        };
        TamperIdToken?.Invoke(descriptor);
        var idToken = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = "ya29.fake-" + Guid.NewGuid().ToString("N"),
            ["token_type"] = "Bearer",
            ["expires_in"] = 3599,
            ["scope"] = "openid email profile",
            ["id_token"] = idToken,
        });
    }

    /// <summary>A key the provider does not publish, with the published key's id, to forge a signature.</summary>
    public static SigningCredentials ForeignKey() => new(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "fake-key-1" }, SecurityAlgorithms.RsaSha256);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _signingKey.Rsa.Dispose();
    }
}

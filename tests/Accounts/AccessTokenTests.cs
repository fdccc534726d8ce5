using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Flexoraa.Tests.Accounts;

/// <summary>
/// What the API accepts as an access token. Each case changes one thing about a token that is otherwise accepted
/// (the control case proves it), so a 401 can only come from that one change.
/// </summary>
public sealed class AccessTokenTests : IAsyncLifetime
{
    private TestFrontend _frontend = null!;
    private TestUser _user = null!;
    private AuthSettings _settings = null!;

    public async Task InitializeAsync()
    {
        _frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync());
        _user = await TestUser.SignUpAsync(_frontend);
        _settings = _frontend.Services.GetRequiredService<AuthSettings>();
    }

    public async Task DisposeAsync() => await _frontend.DisposeAsync();

    [Fact]
    public async Task The_token_from_sign_in_is_accepted()
    {
        Assert.Equal(HttpStatusCode.OK, await MeStatusAsync(_user.AccessToken));
    }

    [Fact]
    public async Task A_token_minted_with_the_configured_key_issuer_and_audience_is_accepted()
    {
        Assert.Equal(HttpStatusCode.OK, await MeStatusAsync(Mint()));
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var now = DateTime.UtcNow;
        var token = Mint(d => (d.IssuedAt, d.NotBefore, d.Expires) = (now.AddMinutes(-30), now.AddMinutes(-30), now.AddMinutes(-5)));

        Assert.Equal(HttpStatusCode.Unauthorized, await MeStatusAsync(token));
    }

    [Fact]
    public async Task A_refused_token_is_told_only_that_it_is_invalid_never_why()
    {
        var now = DateTime.UtcNow;
        var expired = Mint(d => (d.IssuedAt, d.NotBefore, d.Expires) = (now.AddMinutes(-30), now.AddMinutes(-30), now.AddMinutes(-5)));
        var foreign = Mint(signingKey: new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(48)));

        foreach (var token in new[] { expired, foreign, "not.a.token" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await _frontend.Http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            // The reason (expired, unknown key, malformed) stays in the server log; a client only learns the token failed.
            var challenge = Assert.Single(response.Headers.WwwAuthenticate);
            Assert.Equal("Bearer", challenge.Scheme);
            Assert.DoesNotContain("error_description", challenge.ToString());
            Assert.DoesNotContain("expired", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("signature", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("IDX", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_token_that_is_not_valid_yet_is_refused()
    {
        var now = DateTime.UtcNow;
        var token = Mint(d => (d.NotBefore, d.Expires) = (now.AddMinutes(10), now.AddMinutes(25)));

        Assert.Equal(HttpStatusCode.Unauthorized, await MeStatusAsync(token));
    }

    [Fact]
    public async Task A_token_without_an_expiry_is_refused()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await MeStatusAsync(Mint(d => d.Expires = null)));
    }

    [Fact]
    public async Task A_token_whose_payload_was_changed_after_signing_is_refused()
    {
        var parts = _user.AccessToken.Split('.');
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        payload["name"] = "Mallory";
        var tampered = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()))}.{parts[2]}";

        Assert.Equal(HttpStatusCode.Unauthorized, await MeStatusAsync(tampered));
    }

    [Fact]
    public async Task An_unsigned_token_with_alg_none_is_refused()
    {
        var parts = Mint().Split('.');
        var header = Base64Url.EncodeToString("""{"alg":"none","typ":"JWT"}"""u8);

        Assert.Equal(HttpStatusCode.Unauthorized, await MeStatusAsync($"{header}.{parts[1]}."));
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused()
    {
        var otherKey = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(48));

        Assert.Equal(HttpStatusCode.Unauthorized, await MeStatusAsync(Mint(signingKey: otherKey)));
    }

    [Fact]
    public async Task A_token_signed_with_the_right_key_but_another_algorithm_is_refused()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await MeStatusAsync(Mint(algorithm: SecurityAlgorithms.HmacSha384)));
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_refused()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await MeStatusAsync(Mint(d => d.Issuer = "https://evil.example")));
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await MeStatusAsync(Mint(d => d.Audience = "some-other-api")));
    }

    [Fact]
    public async Task A_well_signed_token_for_a_tenant_the_user_is_not_in_is_refused()
    {
        var stranger = await TestUser.SignUpAsync(_frontend);

        Assert.Equal(HttpStatusCode.Unauthorized, await MeStatusAsync(Mint(d => d.Claims = new Dictionary<string, object> { [FlexoraaClaims.TenantId] = stranger.TenantId })));
    }

    private async Task<HttpStatusCode> MeStatusAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _frontend.Http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>A token like the ones sign-in issues, with the test host's key, unless <paramref name="change"/> says otherwise.</summary>
    private string Mint(Action<SecurityTokenDescriptor>? change = null, SecurityKey? signingKey = null, string algorithm = SecurityAlgorithms.HmacSha256)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = _settings.Issuer,
            Audience = _settings.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(15),
            SigningCredentials = new SigningCredentials(signingKey ?? new SymmetricSecurityKey(Convert.FromBase64String(TestFrontend.SigningKey)), algorithm),
            Subject = new ClaimsIdentity(
            [
                new Claim(FlexoraaClaims.UserId, _user.UserId),
                new Claim(FlexoraaClaims.TenantId, _user.TenantId),
                new Claim(FlexoraaClaims.Role, "owner"),
                new Claim(FlexoraaClaims.Email, _user.Email),
                new Claim(FlexoraaClaims.Name, "Test"),
            ]),
        };
        change?.Invoke(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace Flexoraa.Tests.Accounts;

/// <summary>
/// "Sign in with Google", end to end against a fake OpenID Connect provider on loopback: our <c>/start</c> redirects to
/// the provider, the provider redirects back with a code, and our callback redeems it and answers with tokens.
/// </summary>
public sealed class GoogleSignInTests : IAsyncLifetime
{
    private const string CallbackPath = "/api/v1/auth/google/callback";

    private FakeOidcProvider _provider = null!;
    private TestFrontend _frontend = null!;
    private string _connectionString = null!;
    private string _clusterId = null!;
    private string _redirectUri = null!;

    /// <summary>Like a browser that shows us each redirect instead of following it.</summary>
    private static readonly HttpClient Browser = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };

    public async Task InitializeAsync()
    {
        _provider = await FakeOidcProvider.StartAsync();
        _connectionString = await TestPostgres.CreateDatabaseAsync();
        _clusterId = "google-" + Guid.NewGuid().ToString("N")[..12];
        // The redirect URI names the frontend's port, so the port is chosen before the host binds it; another process
        // can take it in between, and then the start is tried again on another.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            _redirectUri = $"http://127.0.0.1:{port}{CallbackPath}";
            try
            {
                _frontend = await StartConfiguredFrontendAsync($"--urls=http://127.0.0.1:{port}");
                break;
            }
            catch (IOException) when (attempt < 3)
            {
                // Port taken; choose again.
            }
        }
    }

    public async Task DisposeAsync()
    {
        await _frontend.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task Start_redirects_to_the_providers_authorization_endpoint_with_pkce_state_and_nonce()
    {
        var start = await Browser.GetAsync(new Uri(_frontend.BaseAddress, "/api/v1/auth/google/start?returnUrl=/inbox"));

        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var location = start.Headers.Location!;
        Assert.Equal(_provider.Authority + "/authorize", location.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal(FakeOidcProvider.ClientId, query["client_id"]);
        Assert.Equal(_redirectUri, query["redirect_uri"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("openid email profile", query["scope"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(43, query["code_challenge"].ToString().Length);
        Assert.True(query["state"].ToString().Length >= 32, "the state is unguessable");
        Assert.True(query["nonce"].ToString().Length >= 32, "the nonce is unguessable");
        Assert.NotEqual(query["state"], query["nonce"]);

        var stored = await OwnerSql.QueryAsync(_frontend, "SELECT nonce, expires_at - created_at AS lifetime FROM oauth_states WHERE state_hash = sha256(convert_to(@state, 'UTF8'))",
            ("state", query["state"].ToString()));
        var row = Assert.Single(stored);
        Assert.Equal(query["nonce"].ToString(), row["nonce"]);
        Assert.InRange((TimeSpan)row["lifetime"]!, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(11));
    }

    [Fact]
    public async Task A_new_google_user_gets_an_account_and_a_tenant_named_after_them_with_working_tokens()
    {
        var google = FakeGoogleUser.New(name: "Priya Menon");

        var callback = await SignInAsync(google, returnUrl: "/inbox?tab=mine");

        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        Assert.Equal("/inbox?tab=mine", callback.Headers.GetValues("Flexoraa-Return-Url").Single());
        var session = await callback.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("owner", session.GetProperty("role").GetString());
        var user = TestUser.FromSession(_frontend, google.Email, session);
        var me = await user.Http.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal(google.Email, me.GetProperty("email").GetString());
        Assert.Equal("Priya Menon", me.GetProperty("displayName").GetString());
        var tenant = Assert.Single(me.GetProperty("tenants").EnumerateArray());
        Assert.Equal("Priya Menon", tenant.GetProperty("tenantName").GetString());
        Assert.Equal(user.TenantId, tenant.GetProperty("tenantId").GetString());
        var refreshed = await _frontend.Http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = user.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);

        var stored = Assert.Single(await OwnerSql.QueryAsync(_frontend, "SELECT google_subject, password_hash FROM users WHERE id = @id", ("id", user.UserId)));
        Assert.Equal(google.Subject, stored["google_subject"]);
        Assert.Null(stored["password_hash"]);
    }

    [Fact]
    public async Task Signing_in_again_with_the_same_google_account_reaches_the_same_user_and_tenant()
    {
        var google = FakeGoogleUser.New();
        var first = await SessionOfAsync(await SignInAsync(google));

        var second = await SessionOfAsync(await SignInAsync(google with { Email = google.Email.ToUpperInvariant(), Name = "Renamed" }));

        Assert.Equal(first.GetProperty("userId").GetString(), second.GetProperty("userId").GetString());
        Assert.Equal(first.GetProperty("tenantId").GetString(), second.GetProperty("tenantId").GetString());
        Assert.Single(await OwnerSql.QueryAsync(_frontend, "SELECT id FROM users WHERE google_subject = @sub", ("sub", google.Subject)));
    }

    [Fact]
    public async Task An_existing_password_user_with_the_same_email_is_linked_and_keeps_their_tenant()
    {
        var existing = await TestUser.SignUpAsync(_frontend, company: "Password Co");

        var session = await SessionOfAsync(await SignInAsync(FakeGoogleUser.New(email: existing.Email.ToUpperInvariant())));

        Assert.Equal(existing.UserId, session.GetProperty("userId").GetString());
        Assert.Equal(existing.TenantId, session.GetProperty("tenantId").GetString());
        Assert.Single(await OwnerSql.QueryAsync(_frontend, "SELECT id FROM users WHERE email_normalized = @email AND google_subject IS NOT NULL", ("email", existing.Email)));
        var login = await _frontend.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = existing.Email, password = existing.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var audit = await OwnerSql.QueryAsync(_frontend, "SELECT details->>'method' AS method FROM audit_log WHERE tenant_id = @tenant AND action = 'auth.login'", ("tenant", existing.TenantId));
        Assert.Contains(audit, r => (string?)r["method"] == "google_linked");
    }

    [Fact]
    public async Task An_email_whose_account_is_linked_to_another_google_account_is_refused()
    {
        var email = $"taken-{Guid.NewGuid():N}@example.com";
        await SessionOfAsync(await SignInAsync(FakeGoogleUser.New(email)));

        var other = await SignInAsync(FakeGoogleUser.New(email));

        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_replayed_state_is_refused()
    {
        var callbackUrl = await CallbackUrlAsync(FakeGoogleUser.New());
        var first = await Browser.GetAsync(callbackUrl);

        var replay = await Browser.GetAsync(callbackUrl);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertProblemNamesAsync(replay, "state");
        Assert.Contains("already", await replay.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_state_that_failed_once_cannot_be_retried()
    {
        _provider.TamperIdToken = d => d.Claims["nonce"] = "someone-elses-nonce";
        var callbackUrl = await CallbackUrlAsync(FakeGoogleUser.New());
        await AssertProblemNamesAsync(await Browser.GetAsync(callbackUrl), "id_token");
        _provider.TamperIdToken = null;

        await AssertProblemNamesAsync(await Browser.GetAsync(callbackUrl), "state");
    }

    [Fact]
    public async Task An_expired_state_is_refused()
    {
        var callbackUrl = await CallbackUrlAsync(FakeGoogleUser.New());
        var state = QueryHelpers.ParseQuery(callbackUrl.Query)["state"].ToString();
        await OwnerSql.ExecuteAsync(_frontend, "UPDATE oauth_states SET expires_at = now() - interval '1 second' WHERE state_hash = sha256(convert_to(@state, 'UTF8'))", ("state", state));

        var callback = await Browser.GetAsync(callbackUrl);

        await AssertProblemNamesAsync(callback, "state");
        Assert.Contains("expired", await callback.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_or_missing_state_is_refused_without_asking_the_provider()
    {
        var before = _provider.TokenRequests;

        await AssertProblemNamesAsync(await Browser.GetAsync(new Uri(_frontend.BaseAddress, CallbackPath + "?code=abc&state=made-up")), "state");
        await AssertProblemNamesAsync(await Browser.GetAsync(new Uri(_frontend.BaseAddress, CallbackPath + "?code=abc")), "state");

        Assert.Equal(before, _provider.TokenRequests);
    }

    [Fact]
    public async Task An_id_token_with_another_nonce_is_refused_and_no_account_is_made()
    {
        var google = FakeGoogleUser.New();
        _provider.TamperIdToken = d => d.Claims["nonce"] = "nonce-of-another-sign-in";

        await AssertProblemNamesAsync(await SignInAsync(google), "id_token");

        Assert.Empty(await OwnerSql.QueryAsync(_frontend, "SELECT id FROM users WHERE google_subject = @sub", ("sub", google.Subject)));
    }

    [Fact]
    public async Task An_id_token_signed_with_a_key_the_provider_does_not_publish_is_refused()
    {
        _provider.TamperIdToken = d => d.SigningCredentials = FakeOidcProvider.ForeignKey();

        await AssertProblemNamesAsync(await SignInAsync(FakeGoogleUser.New()), "id_token");
    }

    [Fact]
    public async Task An_id_token_for_another_client_is_refused()
    {
        _provider.TamperIdToken = d => d.Audience = "some-other-client.apps.example";

        await AssertProblemNamesAsync(await SignInAsync(FakeGoogleUser.New()), "id_token");
    }

    [Fact]
    public async Task An_expired_id_token_is_refused()
    {
        _provider.TamperIdToken = d => (d.IssuedAt, d.NotBefore, d.Expires) = (DateTime.UtcNow.AddHours(-2), DateTime.UtcNow.AddHours(-2), DateTime.UtcNow.AddHours(-1));

        await AssertProblemNamesAsync(await SignInAsync(FakeGoogleUser.New()), "id_token");
    }

    [Fact]
    public async Task An_unverified_email_is_refused_and_no_account_is_made()
    {
        var google = FakeGoogleUser.New() with { EmailVerified = false };

        var callback = await SignInAsync(google);

        await AssertProblemNamesAsync(callback, "email");
        Assert.Contains("not verified", await callback.Content.ReadAsStringAsync());
        Assert.Empty(await OwnerSql.QueryAsync(_frontend, "SELECT id FROM users WHERE email_normalized = @email", ("email", google.Email)));
    }

    [Fact]
    public async Task A_user_who_cancels_at_the_provider_gets_a_400_naming_the_provider_error()
    {
        _provider.NextUser = null;
        var start = await Browser.GetAsync(new Uri(_frontend.BaseAddress, "/api/v1/auth/google/start"));
        var back = await Browser.GetAsync(start.Headers.Location);

        var callback = await Browser.GetAsync(back.Headers.Location);

        await AssertProblemNamesAsync(callback, "error");
        Assert.Contains("access_denied", await callback.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("https://evil.example/steal")]
    [InlineData("//evil.example/steal")]
    [InlineData("javascript:alert(1)")]
    public async Task A_return_url_off_this_site_is_refused(string returnUrl)
    {
        var start = await Browser.GetAsync(new Uri(_frontend.BaseAddress, "/api/v1/auth/google/start?returnUrl=" + Uri.EscapeDataString(returnUrl)));

        await AssertProblemNamesAsync(start, "returnUrl");
    }

    [Fact]
    public async Task A_sign_in_started_on_one_frontend_finishes_on_another()
    {
        await using var other = await StartConfiguredFrontendAsync();
        var callbackUrl = await CallbackUrlAsync(FakeGoogleUser.New());

        var callback = await Browser.GetAsync(new Uri(other.BaseAddress, callbackUrl.PathAndQuery));

        await SessionOfAsync(callback);
    }

    [Fact]
    public async Task Without_configuration_google_sign_in_is_a_404_problem()
    {
        await using var unconfigured = await TestFrontend.StartAsync(_connectionString);

        var start = await Browser.GetAsync(new Uri(unconfigured.BaseAddress, "/api/v1/auth/google/start"));
        var callback = await Browser.GetAsync(new Uri(unconfigured.BaseAddress, CallbackPath + "?code=a&state=b"));

        Assert.Equal(HttpStatusCode.NotFound, start.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, callback.StatusCode);
        var problem = await start.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Google sign-in is not configured", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unreachable_provider_is_a_503_problem_not_a_500()
    {
        await using var cutOff = await TestFrontend.StartAsync(_connectionString, extraArgs:
        [
            $"--Flexoraa:Auth:Google:Authority=http://127.0.0.1:{FreePort.Next()}",
            $"--Flexoraa:Auth:Google:ClientId={FakeOidcProvider.ClientId}",
            $"--Flexoraa:Auth:Google:ClientSecret={FakeOidcProvider.ClientSecret}",
            $"--Flexoraa:Auth:Google:RedirectUri={_redirectUri}",
        ]);

        var start = await Browser.GetAsync(new Uri(cutOff.BaseAddress, "/api/v1/auth/google/start"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, start.StatusCode);
        Assert.Equal("application/problem+json", start.Content.Headers.ContentType?.MediaType);
        Assert.True(start.Headers.RetryAfter is not null, "a 503 says when to retry");
    }

    private Task<TestFrontend> StartConfiguredFrontendAsync(params string[] more) => TestFrontend.StartAsync(_connectionString, clusterId: _clusterId, extraArgs:
    [
        .. more,
        $"--Flexoraa:Auth:Google:Authority={_provider.Authority}",
        $"--Flexoraa:Auth:Google:ClientId={FakeOidcProvider.ClientId}",
        $"--Flexoraa:Auth:Google:ClientSecret={FakeOidcProvider.ClientSecret}",
        $"--Flexoraa:Auth:Google:RedirectUri={_redirectUri}",
    ]);

    /// <summary>Walks the browser through <c>/start</c> and the provider's consent, up to the redirect back to our callback.</summary>
    private async Task<Uri> CallbackUrlAsync(FakeGoogleUser user, string? returnUrl = null)
    {
        _provider.NextUser = user;
        var start = await Browser.GetAsync(new Uri(_frontend.BaseAddress, "/api/v1/auth/google/start" + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl))));
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);

        var authorize = await Browser.GetAsync(start.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        var back = authorize.Headers.Location!;
        Assert.StartsWith(_redirectUri + "?", back.ToString(), StringComparison.Ordinal);
        return back;
    }

    private async Task<HttpResponseMessage> SignInAsync(FakeGoogleUser user, string? returnUrl = null) =>
        await Browser.GetAsync(await CallbackUrlAsync(user, returnUrl));

    private static async Task<JsonElement> SessionOfAsync(HttpResponseMessage callback)
    {
        var body = await callback.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(callback.StatusCode == HttpStatusCode.OK, $"expected tokens, got {(int)callback.StatusCode}: {body}");
        Assert.StartsWith("rt_", body.GetProperty("refreshToken").GetString());
        return body;
    }

    private static async Task AssertProblemNamesAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400 naming {field}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), $"the problem should name {field}: {body}");
    }
}

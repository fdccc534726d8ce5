using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Accounts;

/// <summary>Refresh tokens rotate on every use; a rotated one coming back means a copy leaked, which ends its whole family.</summary>
public sealed class RefreshTokenTests : IAsyncLifetime
{
    private TestFrontend _frontend = null!;

    public async Task InitializeAsync() => _frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync());

    public async Task DisposeAsync() => await _frontend.DisposeAsync();

    [Fact]
    public async Task Refreshing_gives_a_new_refresh_token_and_a_working_access_token_and_the_old_refresh_token_stops_working()
    {
        var user = await TestUser.SignUpAsync(_frontend);

        var refreshed = await RefreshAsync(user.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var session = TestUser.FromSession(_frontend, user.Email, await refreshed.Content.ReadFromJsonAsync<JsonElement>());
        Assert.NotEqual(user.RefreshToken, session.RefreshToken);
        Assert.Equal(user.TenantId, session.TenantId);
        Assert.Equal(HttpStatusCode.OK, (await session.Http.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(user.RefreshToken)).StatusCode);
    }

    [Fact]
    public async Task Reusing_a_rotated_refresh_token_revokes_the_whole_family_and_is_audited()
    {
        var user = await TestUser.SignUpAsync(_frontend);
        var second = await RefreshTokenOfAsync(await RefreshAsync(user.RefreshToken));
        var third = await RefreshTokenOfAsync(await RefreshAsync(second));

        var reuse = await RefreshAsync(user.RefreshToken);

        Assert.Equal(HttpStatusCode.Unauthorized, reuse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(third)).StatusCode);
        var audit = await OwnerSql.QueryAsync(_frontend, "SELECT actor_user_id, target_type FROM audit_log WHERE tenant_id = @tenant AND action = 'auth.refresh_reuse'",
            ("tenant", user.TenantId));
        var row = Assert.Single(audit);
        Assert.Equal(user.UserId, row["actor_user_id"]);
        Assert.Equal("refresh_token_family", row["target_type"]);
    }

    [Fact]
    public async Task Two_concurrent_uses_of_one_refresh_token_count_as_reuse_and_end_the_family()
    {
        var user = await TestUser.SignUpAsync(_frontend);
        var token = user.RefreshToken;

        // A race is not guaranteed on any one try, so several pairs race; each pair must end its family.
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var login = await _frontend.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password });
            token = await RefreshTokenOfAsync(login);

            var answers = await Task.WhenAll(RefreshAsync(token), RefreshAsync(token));

            var winners = answers.Where(a => a.IsSuccessStatusCode).ToList();
            Assert.True(winners.Count <= 1, $"{winners.Count} requests rotated the same token");
            Assert.All(answers.Except(winners), a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
            foreach (var winner in winners)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(await RefreshTokenOfAsync(winner))).StatusCode);
            }
        }
        Assert.Equal(10, (await OwnerSql.QueryAsync(_frontend, "SELECT id FROM audit_log WHERE tenant_id = @tenant AND action = 'auth.refresh_reuse'", ("tenant", user.TenantId))).Count);
    }

    [Fact]
    public async Task Reuse_ends_only_the_family_it_belongs_to_not_the_users_other_sessions()
    {
        var user = await TestUser.SignUpAsync(_frontend);
        var otherDevice = await RefreshTokenOfAsync(await _frontend.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password }));
        await RefreshAsync(user.RefreshToken);

        await RefreshAsync(user.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(otherDevice)).StatusCode);
    }

    [Fact]
    public async Task Logging_out_revokes_the_refresh_token_and_is_idempotent()
    {
        var user = await TestUser.SignUpAsync(_frontend);
        var current = await RefreshTokenOfAsync(await RefreshAsync(user.RefreshToken));

        var logout = await _frontend.Http.PostAsJsonAsync("/api/v1/auth/logout", new { refreshToken = current });
        var again = await _frontend.Http.PostAsJsonAsync("/api/v1/auth/logout", new { refreshToken = current });

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(current)).StatusCode);
        Assert.Empty(await OwnerSql.QueryAsync(_frontend, "SELECT id FROM audit_log WHERE tenant_id = @tenant AND action = 'auth.refresh_reuse'", ("tenant", user.TenantId)));
    }

    [Theory]
    [InlineData("rt_not-a-token-we-issued")]
    [InlineData("")]
    public async Task An_unknown_or_missing_refresh_token_is_refused(string token)
    {
        var response = await RefreshAsync(token);

        Assert.Equal(token.Length == 0 ? HttpStatusCode.BadRequest : HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_expired_refresh_token_is_refused()
    {
        var user = await TestUser.SignUpAsync(_frontend);
        await OwnerSql.ExecuteAsync(_frontend, "UPDATE refresh_tokens SET expires_at = now() - interval '1 minute' WHERE user_id = @user", ("user", user.UserId));

        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(user.RefreshToken)).StatusCode);
    }

    [Fact]
    public async Task Refresh_tokens_are_stored_only_as_hashes()
    {
        var user = await TestUser.SignUpAsync(_frontend);

        var rows = await OwnerSql.QueryAsync(_frontend, "SELECT token_hash FROM refresh_tokens WHERE user_id = @user", ("user", user.UserId));

        var hash = (byte[])Assert.Single(rows)["token_hash"]!;
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(user.RefreshToken)), hash);
    }

    private Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        _frontend.Http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken });

    private static async Task<string> RefreshTokenOfAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"expected a session, got {(int)response.StatusCode}: {body}");
        return body.GetProperty("refreshToken").GetString()!;
    }
}

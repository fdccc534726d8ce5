using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Accounts;

/// <summary>Password login: failures look alike whatever went wrong, and repeated failures lock the account for a while.</summary>
public sealed class LoginTests : IAsyncLifetime
{
    private const int Threshold = 3;
    private static readonly TimeSpan LockoutDuration = TimeSpan.FromSeconds(3);

    private TestFrontend _frontend = null!;

    public async Task InitializeAsync() => _frontend = await TestFrontend.StartAsync(
        await TestPostgres.CreateDatabaseAsync(), extraArgs:
        [
            $"--Flexoraa:Auth:LockoutThreshold={Threshold}",
            $"--Flexoraa:Auth:LockoutDuration={LockoutDuration:c}",
        ]);

    public async Task DisposeAsync() => await _frontend.DisposeAsync();

    [Fact]
    public async Task The_right_password_signs_in_with_working_tokens_and_is_audited()
    {
        var user = await TestUser.SignUpAsync(_frontend);

        var response = await LoginAsync(user.Email.ToUpperInvariant(), user.Password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var session = TestUser.FromSession(_frontend, user.Email, await response.Content.ReadFromJsonAsync<JsonElement>());
        Assert.Equal(user.TenantId, session.TenantId);
        Assert.Equal(HttpStatusCode.OK, (await session.Http.GetAsync("/api/v1/me")).StatusCode);
        Assert.Single(await AuditRowsAsync(user, "auth.login"));
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_email_get_identical_401_problems()
    {
        var user = await TestUser.SignUpAsync(_frontend);

        var wrongPassword = await LoginAsync(user.Email, "not the right password");
        var unknownEmail = await LoginAsync($"nobody-{Guid.NewGuid():N}@example.com", "not the right password");

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownEmail.StatusCode);
        Assert.Equal("application/problem+json", wrongPassword.Content.Headers.ContentType?.MediaType);
        Assert.Equal(unknownEmail.Content.Headers.ContentType?.ToString(), wrongPassword.Content.Headers.ContentType?.ToString());
        Assert.Equal(await WithoutTraceIdAsync(unknownEmail), await WithoutTraceIdAsync(wrongPassword));
        Assert.Equal(unknownEmail.Headers.Select(h => h.Key).Order(), wrongPassword.Headers.Select(h => h.Key).Order());
    }

    [Fact]
    public async Task After_the_threshold_of_failures_even_the_right_password_is_refused_until_the_lockout_ends()
    {
        var user = await TestUser.SignUpAsync(_frontend);
        var unknown = await LoginAsync($"nobody-{Guid.NewGuid():N}@example.com", "wrong password 0");

        for (var i = 0; i < Threshold; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(user.Email, $"wrong password {i}")).StatusCode);
        }
        var whileLocked = await LoginAsync(user.Email, user.Password);

        Assert.Equal(HttpStatusCode.Unauthorized, whileLocked.StatusCode);
        Assert.Equal(await WithoutTraceIdAsync(unknown), await WithoutTraceIdAsync(whileLocked));

        await Task.Delay(LockoutDuration + TimeSpan.FromMilliseconds(500));
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(user.Email, user.Password)).StatusCode);
    }

    [Fact]
    public async Task Failures_below_the_threshold_do_not_lock_and_a_success_resets_the_count()
    {
        var user = await TestUser.SignUpAsync(_frontend);

        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < Threshold - 1; i++) await LoginAsync(user.Email, "wrong password");
            Assert.Equal(HttpStatusCode.OK, (await LoginAsync(user.Email, user.Password)).StatusCode);
        }
    }

    [Fact]
    public async Task Every_failed_login_is_audited_in_the_users_tenant_with_the_reason()
    {
        var user = await TestUser.SignUpAsync(_frontend);

        for (var i = 0; i < Threshold; i++) await LoginAsync(user.Email, "wrong password");
        await LoginAsync(user.Email, user.Password);

        var rows = await AuditRowsAsync(user, "auth.login_failed");
        Assert.Equal(Threshold + 1, rows.Count);
        Assert.All(rows, r => Assert.Equal(user.UserId, r["actor_user_id"]));
        Assert.All(rows, r => Assert.False(string.IsNullOrEmpty((string?)r["ip"])));
        var reasons = rows.Select(r => JsonNode.Parse((string)r["details"]!)!["reason"]!.GetValue<string>()).ToList();
        Assert.Equal([.. Enumerable.Repeat("bad_password", Threshold), "locked"], reasons);
    }

    [Theory]
    [InlineData("""{"password":"whatever it is"}""", "email")]
    [InlineData("""{"email":"a@example.com"}""", "password")]
    public async Task A_login_without_a_field_gets_a_400_problem_naming_it(string body, string field)
    {
        var response = await _frontend.Http.PostAsync("/api/v1/auth/login", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
    }

    private Task<HttpResponseMessage> LoginAsync(string email, string password) =>
        _frontend.Http.PostAsJsonAsync("/api/v1/auth/login", new { email, password });

    private Task<List<Dictionary<string, object?>>> AuditRowsAsync(TestUser user, string action) =>
        OwnerSql.QueryAsync(_frontend, "SELECT actor_user_id, ip, details::text AS details FROM audit_log WHERE tenant_id = @tenant AND action = @action ORDER BY id",
            ("tenant", user.TenantId), ("action", action));

    /// <summary>The body minus its per-request trace id, which differs between any two requests.</summary>
    private static async Task<string> WithoutTraceIdAsync(HttpResponseMessage response)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(body.Remove("traceId"), "problems carry a trace id");
        return body.ToJsonString();
    }
}

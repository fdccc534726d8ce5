using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Platform;

/// <summary>The per-IP limit on the unauthenticated auth endpoints, with a limit of 3 a minute so it is quick to reach.</summary>
public sealed class AuthRateLimitTests : IAsyncLifetime
{
    private TestFrontend _frontend = null!;

    // TestFrontend passes a high limit first; later arguments win.
    public async Task InitializeAsync() =>
        _frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync(), extraArgs: "--Flexoraa:RateLimits:AuthPerIpPerMinute=3");

    public async Task DisposeAsync() => await _frontend.DisposeAsync();

    [Fact]
    public async Task Exceeding_the_auth_limit_gets_429_with_retry_after_and_a_problem_body()
    {
        var login = new { email = "nobody@example.com", password = "wrong password" };
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await _frontend.Http.PostAsJsonAsync("/api/v1/auth/login", login)).StatusCode);
        }

        var refused = await _frontend.Http.PostAsJsonAsync("/api/v1/auth/login", login);
        var signup = await _frontend.Http.PostAsJsonAsync("/api/v1/auth/signup", new { email = "new@example.com", password = "long enough password", displayName = "N", companyName = "C" });

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.TooManyRequests, signup.StatusCode);
        Assert.Equal("nosniff", refused.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task The_auth_limit_does_not_apply_outside_the_auth_endpoints()
    {
        for (var i = 0; i < 5; i++) await _frontend.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = "x@example.com", password = "wrong password" });

        Assert.Equal(HttpStatusCode.OK, (await _frontend.Http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _frontend.Http.GetAsync("/api/v1/audit")).StatusCode);
    }
}

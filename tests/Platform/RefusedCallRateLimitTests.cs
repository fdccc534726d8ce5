using System.Net;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Team;

namespace Flexoraa.Tests.Platform;

/// <summary>The per-user limit (4 a minute here) counts calls that authorization refuses, not only the ones it lets through.</summary>
public sealed class RefusedCallRateLimitTests : IAsyncLifetime
{
    private TestFrontend _frontend = null!;

    public async Task InitializeAsync() => _frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync(), extraArgs:
        ["--Flexoraa:RateLimits:PerUserPerMinute=4"]);

    public async Task DisposeAsync() => await _frontend.DisposeAsync();

    [Fact]
    public async Task Calls_refused_with_403_count_toward_the_per_user_limit()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Probed");
        var member = await TeamInvites.JoinAsync(_frontend, owner, "member"); // joins anonymously, so nothing is counted yet
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await member.Http.GetAsync($"/api/v1/tenants/{owner.TenantId}/invitations")).StatusCode);
        }

        var next = await member.Http.GetAsync($"/api/v1/tenants/{owner.TenantId}");

        Assert.Equal(HttpStatusCode.TooManyRequests, next.StatusCode);
        Assert.NotNull(next.Headers.RetryAfter?.Delta);
    }
}

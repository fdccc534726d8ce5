using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tenants;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Platform;

/// <summary>
/// The global limits on authenticated calls: 4 a minute per user and 6 per tenant here, so each is quick to reach.
/// Every user and tenant below is new, so each test counts from zero.
/// </summary>
public sealed class ApiRateLimitTests : IAsyncLifetime
{
    private TestFrontend _frontend = null!;

    public async Task InitializeAsync() => _frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync(), extraArgs:
        ["--Flexoraa:RateLimits:PerUserPerMinute=4", "--Flexoraa:RateLimits:PerTenantPerMinute=6"]);

    public async Task DisposeAsync() => await _frontend.DisposeAsync();

    [Fact]
    public async Task A_user_over_the_per_user_limit_gets_429_with_retry_after_while_other_users_go_on()
    {
        var busy = await TestUser.SignUpAsync(_frontend, company: "Busy");
        var calm = await TestUser.SignUpAsync(_frontend, company: "Calm");
        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.OK, (await busy.Http.GetAsync($"/api/v1/tenants/{busy.TenantId}")).StatusCode);

        var refused = await busy.Http.GetAsync($"/api/v1/tenants/{busy.TenantId}");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.Equal(429, (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await calm.Http.GetAsync($"/api/v1/tenants/{calm.TenantId}")).StatusCode);
    }

    [Fact]
    public async Task A_tenant_over_the_per_tenant_limit_gets_429_even_for_a_user_under_their_own_limit()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Crowded");
        var member = await TestMembership.JoinAsync(_frontend, owner.TenantId, TenantRole.Member); // its switch-tenant call counts for its own tenant
        var neighbour = await TestUser.SignUpAsync(_frontend, company: "Neighbour");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await owner.Http.GetAsync($"/api/v1/tenants/{owner.TenantId}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await member.Http.GetAsync($"/api/v1/tenants/{owner.TenantId}")).StatusCode);
        }

        // The owner has made 3 of their 4 calls, but the tenant has used all 6 of its.
        var refused = await owner.Http.GetAsync($"/api/v1/tenants/{owner.TenantId}");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, (await neighbour.Http.GetAsync($"/api/v1/tenants/{neighbour.TenantId}")).StatusCode);
    }

    [Fact]
    public async Task An_api_key_has_its_own_per_key_limit()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Keyed");
        var created = await owner.Http.PostAsJsonAsync($"/api/v1/tenants/{owner.TenantId}/api-keys", new { name = "Burst", role = "member" });
        using var key = _frontend.NewClient();
        key.DefaultRequestHeaders.Add("X-Api-Key", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString());
        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.OK, (await key.GetAsync($"/api/v1/tenants/{owner.TenantId}")).StatusCode);

        Assert.Equal(HttpStatusCode.TooManyRequests, (await key.GetAsync($"/api/v1/tenants/{owner.TenantId}")).StatusCode);
    }
}

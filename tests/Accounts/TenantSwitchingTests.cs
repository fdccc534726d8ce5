using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Accounts;

/// <summary>A user in several tenants sees them all in <c>/me</c> and picks one per token.</summary>
public sealed class TenantSwitchingTests : IAsyncLifetime
{
    private TestFrontend _frontend = null!;

    public async Task InitializeAsync() => _frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync());

    public async Task DisposeAsync() => await _frontend.DisposeAsync();

    [Fact]
    public async Task Me_lists_every_tenant_of_a_user_who_created_a_second_one()
    {
        var user = await TestUser.SignUpAsync(_frontend, company: "First Co");
        var second = await CreateTenantAsync(user, "Second Co");

        var me = await user.Http.GetFromJsonAsync<JsonElement>("/api/v1/me");

        Assert.Equal(user.UserId, me.GetProperty("userId").GetString());
        Assert.Equal(user.TenantId, me.GetProperty("tenantId").GetString());
        Assert.Equal("owner", me.GetProperty("role").GetString());
        Assert.Contains("ManageBilling", me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        var tenants = me.GetProperty("tenants").EnumerateArray()
            .Select(t => (t.GetProperty("tenantId").GetString(), t.GetProperty("tenantName").GetString(), t.GetProperty("role").GetString()))
            .ToList();
        Assert.Equal([(user.TenantId, "First Co", "owner"), (second, "Second Co", "owner")], tenants);
    }

    [Fact]
    public async Task Switching_tenant_returns_tokens_for_that_tenant()
    {
        var user = await TestUser.SignUpAsync(_frontend, company: "First Co");
        var second = await CreateTenantAsync(user, "Second Co");

        var switched = await user.Http.PostAsJsonAsync("/api/v1/auth/switch-tenant", new { tenantId = second });

        Assert.Equal(HttpStatusCode.OK, switched.StatusCode);
        var session = TestUser.FromSession(_frontend, user.Email, await switched.Content.ReadFromJsonAsync<JsonElement>());
        Assert.Equal(second, session.TenantId);
        var me = await session.Http.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal(second, me.GetProperty("tenantId").GetString());
        Assert.Equal(HttpStatusCode.OK, (await session.Http.GetAsync($"/api/v1/tenants/{second}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await session.Http.GetAsync($"/api/v1/tenants/{user.TenantId}")).StatusCode);

        var refreshed = await _frontend.Http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = session.RefreshToken });
        Assert.Equal(second, (await refreshed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tenantId").GetString());
    }

    [Fact]
    public async Task Logging_in_can_choose_the_tenant()
    {
        var user = await TestUser.SignUpAsync(_frontend, company: "First Co");
        var second = await CreateTenantAsync(user, "Second Co");

        var login = await _frontend.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password, tenantId = second });

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(second, (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tenantId").GetString());
    }

    [Theory]
    [InlineData("someone else's")]
    [InlineData("tn_doesnotexist0000")]
    [InlineData("not-a-tenant-id")]
    public async Task Switching_to_a_tenant_the_user_is_not_in_is_a_404(string which)
    {
        var user = await TestUser.SignUpAsync(_frontend);
        var target = which == "someone else's" ? (await TestUser.SignUpAsync(_frontend)).TenantId : which;

        var switched = await user.Http.PostAsJsonAsync("/api/v1/auth/switch-tenant", new { tenantId = target });
        var login = await _frontend.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password, tenantId = target });

        Assert.Equal(HttpStatusCode.NotFound, switched.StatusCode);
        Assert.Equal("application/problem+json", switched.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("accessToken", await switched.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, login.StatusCode);
    }

    [Fact]
    public async Task Switching_needs_a_signed_in_user()
    {
        var response = await _frontend.Http.PostAsJsonAsync("/api/v1/auth/switch-tenant", new { tenantId = "tn_doesnotexist0000" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task<string> CreateTenantAsync(TestUser user, string name)
    {
        var created = await user.Http.PostAsJsonAsync("/api/v1/tenants", new { name });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}

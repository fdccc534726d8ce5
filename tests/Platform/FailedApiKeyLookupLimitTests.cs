using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Platform;

/// <summary>
/// Unknown API keys are limited per client IP (5 a minute here). Once an IP has spent them, its API-key requests are
/// answered 429 without a look-up — which is why even a valid key from that IP waits out the minute.
/// </summary>
public sealed class FailedApiKeyLookupLimitTests : IAsyncLifetime
{
    private TestFrontend _frontend = null!;

    public async Task InitializeAsync() => _frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync(), extraArgs:
        ["--Flexoraa:RateLimits:FailedApiKeyLookupsPerIpPerMinute=5"]);

    public async Task DisposeAsync() => await _frontend.DisposeAsync();

    [Fact]
    public async Task Random_api_keys_from_one_ip_get_429_after_the_failed_lookup_limit_and_are_then_not_looked_up()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Guessed");
        var created = await owner.Http.PostAsJsonAsync($"/api/v1/tenants/{owner.TenantId}/api-keys", new { name = "Real", role = "member" });
        using var valid = _frontend.NewClient();
        valid.DefaultRequestHeaders.Add("X-Api-Key", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString());
        Assert.Equal(HttpStatusCode.OK, (await valid.GetAsync($"/api/v1/tenants/{owner.TenantId}")).StatusCode);

        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await GuessAsync(owner.TenantId)).StatusCode);
        var limited = await GuessAsync(owner.TenantId);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        Assert.Equal(429, (await limited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
        // Had it been looked up, this key would pass; the IP is refused before the database is asked.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await valid.GetAsync($"/api/v1/tenants/{owner.TenantId}")).StatusCode);
        // Signed-in users from the same address are not affected.
        Assert.Equal(HttpStatusCode.OK, (await owner.Http.GetAsync($"/api/v1/tenants/{owner.TenantId}")).StatusCode);
    }

    private async Task<HttpResponseMessage> GuessAsync(string tenantId)
    {
        using var guesser = _frontend.NewClient();
        guesser.DefaultRequestHeaders.Add("X-Api-Key", "fxk_" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));
        return await guesser.GetAsync($"/api/v1/tenants/{tenantId}");
    }
}

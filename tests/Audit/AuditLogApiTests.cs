using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tenants;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Audit;

/// <summary><c>GET /api/v1/audit</c>: what was recorded, filtered and paged, for Owners and Admins of that tenant only.</summary>
public sealed class AuditLogApiTests(FrontendFixture fixture) : IClassFixture<FrontendFixture>
{
    private readonly TestFrontend _frontend = fixture.Frontend;

    [Fact]
    public async Task A_login_and_a_settings_change_appear_with_actor_ip_and_target()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Audit Me");
        using var login = await LoginAsync(owner);
        Assert.Equal(HttpStatusCode.OK, (await owner.Http.PatchAsJsonAsync($"/api/v1/tenants/{owner.TenantId}", new { industry = "Retail" })).StatusCode);

        var entries = await EntriesAsync(owner, "");

        var settings = Assert.Single(entries, e => e.GetProperty("action").GetString() == "tenant.settings_changed");
        Assert.Equal(owner.UserId, settings.GetProperty("actor").GetProperty("userId").GetString());
        Assert.Equal(JsonValueKind.Null, settings.GetProperty("actor").GetProperty("apiKeyId").ValueKind);
        Assert.Equal("tenant", settings.GetProperty("target").GetProperty("type").GetString());
        Assert.Equal(owner.TenantId, settings.GetProperty("target").GetProperty("id").GetString());
        Assert.Equal("127.0.0.1", settings.GetProperty("ip").GetString());
        Assert.Contains("Industry", settings.GetProperty("details").GetProperty("fields").GetString(), StringComparison.Ordinal);
        Assert.True(settings.GetProperty("id").GetInt64() > 0);
        Assert.InRange(settings.GetProperty("occurredAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddMinutes(1));

        var signIn = Assert.Single(entries, e => e.GetProperty("action").GetString() == "auth.login");
        Assert.Equal(owner.UserId, signIn.GetProperty("actor").GetProperty("userId").GetString());
        Assert.Equal("user", signIn.GetProperty("target").GetProperty("type").GetString());
        Assert.Equal(owner.UserId, signIn.GetProperty("target").GetProperty("id").GetString());
        Assert.Equal("127.0.0.1", signIn.GetProperty("ip").GetString());
        Assert.Equal(JsonValueKind.Object, signIn.GetProperty("details").ValueKind);
    }

    [Fact]
    public async Task Each_filter_narrows_the_entries_to_those_that_match()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Filter Co");
        var admin = await TestMembership.JoinAsync(_frontend, owner.TenantId, TenantRole.Admin);
        using var login = await LoginAsync(owner);
        await PatchAsync(owner, "Owner change");
        await PatchAsync(admin, "Admin change");
        var key = await owner.Http.PostAsJsonAsync($"/api/v1/tenants/{owner.TenantId}/api-keys", new { name = "Filtered", role = "member" });
        var keyId = (await key.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var all = await EntriesAsync(owner, "");
        Assert.Equal(4, all.Count);

        var settings = await EntriesAsync(owner, "action=tenant.settings_changed");
        Assert.Equal(2, settings.Count);
        Assert.All(settings, e => Assert.Equal("tenant.settings_changed", e.GetProperty("action").GetString()));

        var byAdmin = await EntriesAsync(owner, $"actorUserId={admin.UserId}");
        Assert.Equal(admin.UserId, Assert.Single(byAdmin).GetProperty("actor").GetProperty("userId").GetString());

        var onTenant = await EntriesAsync(owner, "targetType=tenant");
        Assert.Equal(2, onTenant.Count);
        var onKey = await EntriesAsync(owner, $"targetId={keyId}");
        Assert.Equal("api_key.created", Assert.Single(onKey).GetProperty("action").GetString());
        var combined = await EntriesAsync(owner, $"action=tenant.settings_changed&actorUserId={owner.UserId}");
        Assert.Single(combined);

        // Newest first: entries from the second one on are at or after its time; the rest are before it.
        var pivot = all[1].GetProperty("occurredAt").GetDateTimeOffset().ToString("O");
        var since = await EntriesAsync(owner, $"from={Uri.EscapeDataString(pivot)}");
        var before = await EntriesAsync(owner, $"to={Uri.EscapeDataString(pivot)}");
        Assert.Equal(all.Select(Id).Order(), since.Concat(before).Select(Id).Order());
        Assert.Contains(Id(all[1]), since.Select(Id));
        Assert.Empty(await EntriesAsync(owner, "from=2000-01-01&to=2000-01-02"));
        Assert.Equal(4, (await EntriesAsync(owner, "from=2000-01-01T00:00:00Z&to=2999-01-01T00:00%2B05:30")).Count);
    }

    [Fact]
    public async Task Paging_returns_every_entry_exactly_once_newest_first()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Paging Co");
        for (var i = 0; i < 11; i++) await PatchAsync(owner, $"Industry {i}");
        var expected = (await EntriesAsync(owner, "limit=200")).Select(Id).ToList();
        Assert.Equal(11, expected.Count);

        var seen = new List<long>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/audit?limit=4{(cursor is null ? "" : "&cursor=" + cursor)}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(Id));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 20);

        Assert.Equal(3, pages);
        Assert.Equal(expected, seen);
        Assert.Equal(seen.OrderDescending(), seen);
    }

    [Theory]
    [InlineData("action=auth.nonsense", "action")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2025-13-01", "to")]
    [InlineData("from=2025-01-01T00:00:00+05:30", "from")] // an unencoded '+' arrives as a space
    [InlineData("from=2025-02-01&to=2025-01-01", "to")]
    [InlineData("actorUserId=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "actorUserId")]
    [InlineData("cursor=not-one-of-ours", "cursor")]
    [InlineData("limit=0", "limit")]
    public async Task A_bad_filter_value_gets_a_400_naming_the_field(string query, string field)
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Bad Filters");

        var response = await owner.Http.GetAsync($"/api/v1/audit?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
    }

    [Theory]
    [InlineData(TenantRole.Member)]
    [InlineData(TenantRole.Sdr)]
    public async Task Members_and_sdrs_get_403(TenantRole role)
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Private Log");
        var user = await TestMembership.JoinAsync(_frontend, owner.TenantId, role);

        Assert.Equal(HttpStatusCode.Forbidden, (await user.Http.GetAsync("/api/v1/audit")).StatusCode);
    }

    [Fact]
    public async Task Admins_and_admin_api_keys_can_read_the_log()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Shared Log");
        var admin = await TestMembership.JoinAsync(_frontend, owner.TenantId, TenantRole.Admin);
        var created = await owner.Http.PostAsJsonAsync($"/api/v1/tenants/{owner.TenantId}/api-keys", new { name = "Auditor", role = "admin" });
        using var key = _frontend.NewClient();
        key.DefaultRequestHeaders.Add("X-Api-Key", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString());

        Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync("/api/v1/audit")).StatusCode);
        var viaKey = await key.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        Assert.Contains(viaKey.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == "api_key.created");
    }

    [Fact]
    public async Task Tenant_b_never_sees_tenant_a_entries()
    {
        var a = await TestUser.SignUpAsync(_frontend, company: "Tenant A");
        var b = await TestUser.SignUpAsync(_frontend, company: "Tenant B");
        using var login = await LoginAsync(a);
        await PatchAsync(a, "A's secret industry");
        await PatchAsync(b, "B's industry");

        var seenByB = await b.Http.GetStringAsync("/api/v1/audit?limit=200");
        var aByTarget = await EntriesAsync(b, $"targetId={a.TenantId}");
        var aByActor = await EntriesAsync(b, $"actorUserId={a.UserId}");

        Assert.DoesNotContain(a.TenantId, seenByB, StringComparison.Ordinal);
        Assert.DoesNotContain(a.UserId, seenByB, StringComparison.Ordinal);
        Assert.Empty(aByTarget);
        Assert.Empty(aByActor);
        Assert.Single(await EntriesAsync(b, "action=tenant.settings_changed"));
    }

    [Fact]
    public async Task Without_a_token_the_audit_log_answers_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _frontend.Http.GetAsync("/api/v1/audit")).StatusCode);
    }

    private static long Id(JsonElement entry) => entry.GetProperty("id").GetInt64();

    private static async Task<List<JsonElement>> EntriesAsync(TestUser user, string query)
    {
        var response = await user.Http.GetAsync($"/api/v1/audit?{query}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"audit?{query} answered {response.StatusCode}: {body}");
        return body.GetProperty("items").EnumerateArray().ToList();
    }

    private static async Task PatchAsync(TestUser user, string industry)
    {
        var response = await user.Http.PatchAsJsonAsync($"/api/v1/tenants/{user.TenantId}", new { industry });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<HttpResponseMessage> LoginAsync(TestUser user)
    {
        using var anonymous = _frontend.NewClient();
        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password, tenantId = user.TenantId });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }
}

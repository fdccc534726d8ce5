using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Flexoraa.Silo.Hosting;
using Flexoraa.Tenants;
using Flexoraa.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Flexoraa.Tests.ApiKeys;

/// <summary>API keys over HTTP: created by Owners and Admins, shown once, stored hashed, limited by role, revocable.</summary>
public sealed class ApiKeyApiTests(FrontendFixture fixture) : IClassFixture<FrontendFixture>, IAsyncLifetime
{
    private readonly TestFrontend _frontend = fixture.Frontend;
    private TestUser _owner = null!;

    public async Task InitializeAsync() => _owner = await TestUser.SignUpAsync(_frontend, company: "Key Co");

    public Task DisposeAsync()
    {
        _owner.Http.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_created_key_is_shown_once_with_its_prefix_and_authenticates_with_X_Api_Key()
    {
        var response = await _owner.Http.PostAsJsonAsync(KeysOf(_owner.TenantId), new { name = "CRM sync", role = "admin" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var key = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("fxk_", key, StringComparison.Ordinal);
        Assert.Equal(key[..12], created.GetProperty("prefix").GetString());
        Assert.Equal("admin", created.GetProperty("role").GetString());
        Assert.Equal("CRM sync", created.GetProperty("name").GetString());
        Assert.Equal(_owner.UserId, created.GetProperty("createdBy").GetString());
        Assert.Equal($"{KeysOf(_owner.TenantId)}/{id}", response.Headers.Location!.ToString());

        using var integration = ClientWithKey(key);
        var tenant = await integration.GetAsync($"/api/v1/tenants/{_owner.TenantId}");
        Assert.Equal(HttpStatusCode.OK, tenant.StatusCode);
        var me = await integration.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal(id, me.GetProperty("userId").GetString());
        Assert.Equal("admin", me.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Authorization_Bearer_works_with_a_jwt_and_with_an_api_key_as_does_X_Api_Key()
    {
        var key = await CreateKeyAsync(_owner, "member");
        using var bearerKey = _frontend.NewClient();
        bearerKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var headerKey = ClientWithKey(key);

        Assert.Equal(HttpStatusCode.OK, (await _owner.Http.GetAsync($"/api/v1/tenants/{_owner.TenantId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bearerKey.GetAsync($"/api/v1/tenants/{_owner.TenantId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await headerKey.GetAsync($"/api/v1/tenants/{_owner.TenantId}")).StatusCode);
    }

    [Fact]
    public async Task A_member_key_can_read_the_tenant_but_gets_403_changing_it()
    {
        using var member = ClientWithKey(await CreateKeyAsync(_owner, "member"));

        var read = await member.GetAsync($"/api/v1/tenants/{_owner.TenantId}");
        var patch = await member.PatchAsJsonAsync($"/api/v1/tenants/{_owner.TenantId}", new { industry = "Not allowed" });
        var listKeys = await member.GetAsync(KeysOf(_owner.TenantId));

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, patch.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, listKeys.StatusCode);
    }

    [Fact]
    public async Task An_admin_key_acts_as_an_admin_and_its_changes_are_audited_with_the_key_as_actor()
    {
        var created = await CreateAsync(_owner, "Admin bot", "admin");
        using var admin = ClientWithKey(created.GetProperty("key").GetString()!);

        var patch = await admin.PatchAsJsonAsync($"/api/v1/tenants/{_owner.TenantId}", new { industry = "Automated" });

        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var audit = await _owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=tenant.settings_changed");
        Assert.Contains(audit.GetProperty("items").EnumerateArray(),
            e => e.GetProperty("actor").GetProperty("apiKeyId").GetString() == created.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Using_a_key_records_its_last_use()
    {
        var created = await CreateAsync(_owner, "Reporting", "member");
        var id = created.GetProperty("id").GetString()!;
        var before = await _owner.Http.GetFromJsonAsync<JsonElement>($"{KeysOf(_owner.TenantId)}/{id}");
        Assert.Equal(JsonValueKind.Null, before.GetProperty("lastUsedAt").ValueKind);

        using var integration = ClientWithKey(created.GetProperty("key").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await integration.GetAsync($"/api/v1/tenants/{_owner.TenantId}")).StatusCode);

        var after = await _owner.Http.GetFromJsonAsync<JsonElement>($"{KeysOf(_owner.TenantId)}/{id}");
        var lastUsed = after.GetProperty("lastUsedAt").GetDateTimeOffset();
        Assert.InRange(lastUsed, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task A_revoked_key_gets_401_on_the_next_request_and_the_list_shows_when_it_was_revoked()
    {
        var created = await CreateAsync(_owner, "Soon gone", "admin");
        var id = created.GetProperty("id").GetString()!;
        using var integration = ClientWithKey(created.GetProperty("key").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await integration.GetAsync($"/api/v1/tenants/{_owner.TenantId}")).StatusCode);

        var revoke = await _owner.Http.DeleteAsync($"{KeysOf(_owner.TenantId)}/{id}");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await integration.GetAsync($"/api/v1/tenants/{_owner.TenantId}")).StatusCode);
        var view = await _owner.Http.GetFromJsonAsync<JsonElement>($"{KeysOf(_owner.TenantId)}/{id}");
        Assert.NotEqual(JsonValueKind.Null, view.GetProperty("revokedAt").ValueKind);
        Assert.Equal(HttpStatusCode.NoContent, (await _owner.Http.DeleteAsync($"{KeysOf(_owner.TenantId)}/{id}")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_key_gets_401()
    {
        using var stranger = ClientWithKey("fxk_" + new string('a', 43));
        using var empty = _frontend.NewClient();
        empty.DefaultRequestHeaders.Add("X-Api-Key", " ");

        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync($"/api/v1/tenants/{_owner.TenantId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await empty.GetAsync($"/api/v1/tenants/{_owner.TenantId}")).StatusCode);
    }

    [Fact]
    public async Task The_list_shows_every_field_but_never_the_key_and_the_database_holds_only_its_hash()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Secret Keeper");
        var key = await CreateKeyAsync(owner, "member", "Secret one");

        var response = await owner.Http.GetAsync(KeysOf(owner.TenantId));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(key, body, StringComparison.Ordinal);
        Assert.DoesNotContain(key[12..], body, StringComparison.Ordinal);
        var item = JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray().Single();
        var fields = item.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "createdAt", "createdBy", "id", "lastUsedAt", "name", "prefix", "revokedAt", "role" }, fields);
        Assert.Equal(key[..12], item.GetProperty("prefix").GetString());

        await using var connection = new NpgsqlConnection(_frontend.Services.GetRequiredService<FlexoraaDatabase>().ConnectionString);
        await connection.OpenAsync();
        await using var stored = new NpgsqlCommand("SELECT count(*) FROM api_keys WHERE key_hash = sha256(convert_to(@key, 'UTF8'))", connection);
        stored.Parameters.AddWithValue("key", key);
        Assert.Equal(1L, await stored.ExecuteScalarAsync());
        await using var plain = new NpgsqlCommand("SELECT count(*) FROM api_keys k WHERE row_to_json(k)::text LIKE '%' || @secret || '%'", connection);
        plain.Parameters.AddWithValue("secret", key[12..]);
        Assert.Equal(0L, await plain.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Listing_pages_through_every_key_exactly_once_newest_first()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Many Keys");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add((await CreateAsync(owner, $"key {i}", "member")).GetProperty("id").GetString()!);

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await owner.Http.GetFromJsonAsync<JsonElement>($"{KeysOf(owner.TenantId)}?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(k => k.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(ids), seen);
    }

    [Fact]
    public async Task An_admin_can_create_admin_keys_but_not_owner_keys_and_cannot_revoke_an_owner_key()
    {
        var admin = await TestMembership.JoinAsync(_frontend, _owner.TenantId, TenantRole.Admin);
        var ownerKey = await CreateAsync(_owner, "Owner key", "owner");

        var ownerAttempt = await admin.Http.PostAsJsonAsync(KeysOf(_owner.TenantId), new { name = "Escalate", role = "owner" });
        var adminAttempt = await admin.Http.PostAsJsonAsync(KeysOf(_owner.TenantId), new { name = "Fine", role = "admin" });
        var revokeOwnerKey = await admin.Http.DeleteAsync($"{KeysOf(_owner.TenantId)}/{ownerKey.GetProperty("id").GetString()}");

        Assert.Equal(HttpStatusCode.Forbidden, ownerAttempt.StatusCode);
        Assert.Equal(HttpStatusCode.Created, adminAttempt.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, revokeOwnerKey.StatusCode);
        using var stillWorks = ClientWithKey(ownerKey.GetProperty("key").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await stillWorks.GetAsync($"/api/v1/tenants/{_owner.TenantId}")).StatusCode);
    }

    [Theory]
    [InlineData(TenantRole.Member)]
    [InlineData(TenantRole.Sdr)]
    public async Task Members_and_sdrs_cannot_create_list_or_revoke_keys(TenantRole role)
    {
        var user = await TestMembership.JoinAsync(_frontend, _owner.TenantId, role);
        var id = (await CreateAsync(_owner, "Target", "member")).GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.Forbidden, (await user.Http.PostAsJsonAsync(KeysOf(_owner.TenantId), new { name = "Mine", role = "member" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.Http.GetAsync(KeysOf(_owner.TenantId))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.Http.DeleteAsync($"{KeysOf(_owner.TenantId)}/{id}")).StatusCode);
    }

    [Fact]
    public async Task Another_tenants_keys_are_404_and_its_key_list_is_404()
    {
        var other = await TestUser.SignUpAsync(_frontend, company: "Prober");
        var victimKey = await CreateAsync(_owner, "Victim", "owner");
        var id = victimKey.GetProperty("id").GetString();

        var listTheirs = await other.Http.GetAsync(KeysOf(_owner.TenantId));
        var getTheirs = await other.Http.GetAsync($"{KeysOf(_owner.TenantId)}/{id}");
        var getViaOwnTenant = await other.Http.GetAsync($"{KeysOf(other.TenantId)}/{id}");
        var revokeTheirs = await other.Http.DeleteAsync($"{KeysOf(_owner.TenantId)}/{id}");
        var revokeViaOwnTenant = await other.Http.DeleteAsync($"{KeysOf(other.TenantId)}/{id}");
        var createInTheirs = await other.Http.PostAsJsonAsync(KeysOf(_owner.TenantId), new { name = "Intruder", role = "owner" });
        var unknown = await _owner.Http.DeleteAsync($"{KeysOf(_owner.TenantId)}/ak_doesnotexist0000");

        Assert.All(new[] { listTheirs, getTheirs, getViaOwnTenant, revokeTheirs, revokeViaOwnTenant, createInTheirs, unknown },
            r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        var body = await getViaOwnTenant.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Victim", body, StringComparison.Ordinal);
        using var victim = ClientWithKey(victimKey.GetProperty("key").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await victim.GetAsync($"/api/v1/tenants/{_owner.TenantId}")).StatusCode);
    }

    [Fact]
    public async Task A_key_only_reaches_its_own_tenant()
    {
        var other = await TestUser.SignUpAsync(_frontend, company: "Elsewhere");
        using var key = ClientWithKey(await CreateKeyAsync(_owner, "owner"));

        Assert.Equal(HttpStatusCode.NotFound, (await key.GetAsync($"/api/v1/tenants/{other.TenantId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await key.GetAsync(KeysOf(other.TenantId))).StatusCode);
    }

    [Theory]
    [InlineData("""{"name":"","role":"member"}""", "name")]
    [InlineData("""{"role":"member"}""", "name")]
    [InlineData("""{"name":"ok","role":"superuser"}""", "role")]
    [InlineData("""{"name":"ok","role":"3"}""", "role")]
    [InlineData("""{"name":"ok"}""", "role")]
    public async Task Creating_with_a_bad_field_gets_a_400_naming_it(string body, string field)
    {
        var response = await _owner.Http.PostAsync(KeysOf(_owner.TenantId), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
    }

    [Fact]
    public async Task A_name_over_120_characters_is_refused()
    {
        var response = await _owner.Http.PostAsJsonAsync(KeysOf(_owner.TenantId), new { name = new string('n', 121), role = "member" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_bad_cursor_or_limit_gets_a_400_naming_it()
    {
        var cursor = await _owner.Http.GetAsync($"{KeysOf(_owner.TenantId)}?cursor=not-a-cursor");
        var limit = await _owner.Http.GetAsync($"{KeysOf(_owner.TenantId)}?limit=0");

        Assert.Equal(HttpStatusCode.BadRequest, cursor.StatusCode);
        Assert.True((await cursor.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("cursor", out _));
        Assert.Equal(HttpStatusCode.BadRequest, limit.StatusCode);
        Assert.True((await limit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("limit", out _));
    }

    [Fact]
    public async Task Creating_and_revoking_a_key_are_audited_with_actor_ip_and_target()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Audited Keys");
        var id = (await CreateAsync(owner, "Audited", "sdr")).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.NoContent, (await owner.Http.DeleteAsync($"{KeysOf(owner.TenantId)}/{id}")).StatusCode);

        var audit = await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/audit?targetType=api_key&targetId={id}");

        var entries = audit.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(new[] { "api_key.revoked", "api_key.created" }, entries.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries, e =>
        {
            Assert.Equal(owner.UserId, e.GetProperty("actor").GetProperty("userId").GetString());
            Assert.Equal("127.0.0.1", e.GetProperty("ip").GetString());
            Assert.Equal("api_key", e.GetProperty("target").GetProperty("type").GetString());
        });
        Assert.Equal("sdr", entries[1].GetProperty("details").GetProperty("role").GetString());
    }

    private static string KeysOf(string tenantId) => $"/api/v1/tenants/{tenantId}/api-keys";

    private HttpClient ClientWithKey(string key)
    {
        var client = _frontend.NewClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static async Task<JsonElement> CreateAsync(TestUser user, string name, string role)
    {
        var response = await user.Http.PostAsJsonAsync(KeysOf(user.TenantId), new { name, role });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"creating a key answered {response.StatusCode}: {body}");
        return body;
    }

    private static async Task<string> CreateKeyAsync(TestUser user, string role, string name = "Integration") =>
        (await CreateAsync(user, name, role)).GetProperty("key").GetString()!;
}

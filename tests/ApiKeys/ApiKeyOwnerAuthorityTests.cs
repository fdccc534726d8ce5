using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Team;

namespace Flexoraa.Tests.ApiKeys;

/// <summary>
/// A key acts on its creator's authority: on every request its role is the lower of its own and its creator's current
/// one, and removing the creator revokes their keys, each revocation in the audit log.
/// </summary>
public sealed class ApiKeyOwnerAuthorityTests(FrontendFixture fixture) : IClassFixture<FrontendFixture>
{
    private readonly TestFrontend _frontend = fixture.Frontend;

    [Fact]
    public async Task A_removed_admins_keys_answer_401_and_each_revocation_is_audited()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Leavers");
        var admin = await TeamInvites.JoinAsync(_frontend, owner, "admin");
        var (firstId, first) = await CreateKeyAsync(admin, "admin");
        var (secondId, second) = await CreateKeyAsync(admin, "member");
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync(Invitations(owner))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.Http.DeleteAsync($"/api/v1/tenants/{owner.TenantId}/members/{admin.UserId}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await first.GetAsync(Invitations(owner))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync($"/api/v1/tenants/{owner.TenantId}")).StatusCode);
        foreach (var id in new[] { firstId, secondId })
        {
            var key = await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{owner.TenantId}/api-keys/{id}");
            Assert.Equal(JsonValueKind.String, key.GetProperty("revokedAt").ValueKind);
            var audit = await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/audit?action=api_key.revoked&targetId={id}");
            var entry = Assert.Single(audit.GetProperty("items").EnumerateArray());
            Assert.Equal(owner.UserId, entry.GetProperty("actor").GetProperty("userId").GetString());
            Assert.Equal("member_removed", entry.GetProperty("details").GetProperty("reason").GetString());
        }
    }

    [Fact]
    public async Task A_demoted_admins_key_loses_what_the_new_role_lacks_keeps_what_it_allows_and_regains_it_on_promotion()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Demotions");
        var admin = await TeamInvites.JoinAsync(_frontend, owner, "admin");
        var (_, key) = await CreateKeyAsync(admin, "admin");
        Assert.Equal(HttpStatusCode.OK, (await key.GetAsync(Invitations(owner))).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await ChangeRoleAsync(owner, admin, "member")).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await key.GetAsync(Invitations(owner))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await key.GetAsync($"/api/v1/tenants/{owner.TenantId}/members")).StatusCode);
        Assert.Equal("member", (await key.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("role").GetString());

        Assert.Equal(HttpStatusCode.OK, (await ChangeRoleAsync(owner, admin, "admin")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await key.GetAsync(Invitations(owner))).StatusCode);
    }

    [Fact]
    public async Task A_key_never_acts_above_its_own_role_even_when_its_creator_is_promoted()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Promotions");
        var admin = await TeamInvites.JoinAsync(_frontend, owner, "admin");
        var (_, key) = await CreateKeyAsync(admin, "sdr");

        Assert.Equal(HttpStatusCode.OK, (await ChangeRoleAsync(owner, admin, "owner")).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await key.GetAsync(Invitations(owner))).StatusCode);
        Assert.Equal("sdr", (await key.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_key_made_by_another_key_carries_the_same_member_s_authority_and_is_revoked_with_them()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Key Chains");
        var admin = await TeamInvites.JoinAsync(_frontend, owner, "admin");
        var (_, parent) = await CreateKeyAsync(admin, "admin");
        var made = await parent.PostAsJsonAsync($"/api/v1/tenants/{owner.TenantId}/api-keys", new { name = "Made by a key", role = "admin" });
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var childKey = await made.Content.ReadFromJsonAsync<JsonElement>();
        using var child = _frontend.NewClient();
        child.DefaultRequestHeaders.Add("X-Api-Key", childKey.GetProperty("key").GetString());

        Assert.Equal(HttpStatusCode.OK, (await ChangeRoleAsync(owner, admin, "sdr")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await child.GetAsync(Invitations(owner))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.Http.DeleteAsync($"/api/v1/tenants/{owner.TenantId}/members/{admin.UserId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await child.GetAsync($"/api/v1/tenants/{owner.TenantId}")).StatusCode);
        var key = await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{owner.TenantId}/api-keys/{childKey.GetProperty("id").GetString()}");
        Assert.Equal(JsonValueKind.String, key.GetProperty("revokedAt").ValueKind);
    }

    private static string Invitations(TestUser owner) => $"/api/v1/tenants/{owner.TenantId}/invitations";

    private static Task<HttpResponseMessage> ChangeRoleAsync(TestUser owner, TestUser member, string role) =>
        owner.Http.PatchAsJsonAsync($"/api/v1/tenants/{owner.TenantId}/members/{member.UserId}", new { role });

    private async Task<(string Id, HttpClient Client)> CreateKeyAsync(TestUser creator, string role)
    {
        var response = await creator.Http.PostAsJsonAsync($"/api/v1/tenants/{creator.TenantId}/api-keys", new { name = "Integration " + role, role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var client = _frontend.NewClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", created.GetProperty("key").GetString());
        return (created.GetProperty("id").GetString()!, client);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Team;

/// <summary>The members API: listing, role changes, removal and ownership transfer, and who may do which.</summary>
public sealed class MemberApiTests(TeamFrontendFixture fixture) : IClassFixture<TeamFrontendFixture>
{
    private readonly TestFrontend _frontend = fixture.Frontend;

    private Task<TestUser> NewOwnerAsync() => TestUser.SignUpAsync(_frontend, company: "Members Co");

    private static string Members(TestUser owner) => $"/api/v1/tenants/{owner.TenantId}/members";

    private static Task<HttpResponseMessage> ChangeRoleAsync(HttpClient http, TestUser owner, string userId, string role) =>
        http.PatchAsJsonAsync($"{Members(owner)}/{userId}", new { role });

    [Fact]
    public async Task The_member_list_shows_each_members_role_email_name_and_join_time_oldest_first()
    {
        var owner = await NewOwnerAsync();
        var sdr = await TeamInvites.JoinAsync(_frontend, owner, "sdr");

        var list = await sdr.Http.GetFromJsonAsync<JsonElement>(Members(owner));

        var items = list.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal(owner.UserId, items[0].GetProperty("userId").GetString());
        Assert.Equal(owner.Email, items[0].GetProperty("email").GetString());
        Assert.Equal("owner", items[0].GetProperty("role").GetString());
        Assert.False(string.IsNullOrEmpty(items[0].GetProperty("displayName").GetString()));
        Assert.Equal(sdr.UserId, items[1].GetProperty("userId").GetString());
        Assert.Equal("sdr", items[1].GetProperty("role").GetString());
        Assert.Equal("New Teammate", items[1].GetProperty("displayName").GetString());
        Assert.True(items[1].GetProperty("joinedAt").GetDateTimeOffset() >= items[0].GetProperty("joinedAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, list.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task Members_are_listed_page_by_page()
    {
        var owner = await NewOwnerAsync();
        var member = await TeamInvites.JoinAsync(_frontend, owner, "member");

        var page1 = await owner.Http.GetFromJsonAsync<JsonElement>($"{Members(owner)}?limit=1");
        var page2 = await owner.Http.GetFromJsonAsync<JsonElement>($"{Members(owner)}?limit=1&cursor={page1.GetProperty("nextCursor").GetString()}");

        Assert.Equal(owner.UserId, Assert.Single(page1.GetProperty("items").EnumerateArray()).GetProperty("userId").GetString());
        Assert.Equal(member.UserId, Assert.Single(page2.GetProperty("items").EnumerateArray()).GetProperty("userId").GetString());
        Assert.Equal(JsonValueKind.Null, page2.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task The_last_owner_can_be_neither_demoted_nor_removed_and_gets_a_409_saying_so()
    {
        var owner = await NewOwnerAsync();

        var demoted = await ChangeRoleAsync(owner.Http, owner, owner.UserId, "admin");
        var removed = await owner.Http.DeleteAsync($"{Members(owner)}/{owner.UserId}");

        Assert.Equal(HttpStatusCode.Conflict, demoted.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, removed.StatusCode);
        var problem = await demoted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Last Owner", problem.GetProperty("title").GetString());
        Assert.Contains("last Owner", problem.GetProperty("detail").GetString());
        Assert.Equal("lastOwner", (await removed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        var me = await owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal("owner", me.GetProperty("role").GetString());
    }

    [Fact]
    public async Task With_a_second_owner_an_owner_may_step_down()
    {
        var owner = await NewOwnerAsync();
        var second = await TeamInvites.JoinAsync(_frontend, owner, "owner");

        var demoted = await ChangeRoleAsync(owner.Http, owner, owner.UserId, "admin");

        Assert.Equal(HttpStatusCode.OK, demoted.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ChangeRoleAsync(second.Http, owner, second.UserId, "admin")).StatusCode);
    }

    [Fact]
    public async Task A_removed_member_is_refused_on_their_next_request_and_their_refresh_token_stops_working()
    {
        var owner = await NewOwnerAsync();
        var member = await TeamInvites.JoinAsync(_frontend, owner, "sdr");
        Assert.Equal(HttpStatusCode.OK, (await member.Http.GetAsync(Members(owner))).StatusCode);

        var removed = await owner.Http.DeleteAsync($"{Members(owner)}/{member.UserId}");

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await member.Http.GetAsync(Members(owner))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await member.Http.GetAsync("/api/v1/me")).StatusCode);
        var refresh = await _frontend.NewClient().PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = member.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
        var list = await owner.Http.GetFromJsonAsync<JsonElement>(Members(owner));
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), m => m.GetProperty("userId").GetString() == member.UserId);
        var audit = Assert.Single(await TeamInvites.AuditDetailsAsync(_frontend, owner.TenantId, "member.removed"));
        Assert.Equal("sdr", audit.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Removal_revokes_the_members_refresh_tokens_in_this_tenant_for_good_but_not_in_their_other_tenants()
    {
        var owner = await NewOwnerAsync();
        var member = await TeamInvites.JoinAsync(_frontend, owner, "member");
        // The same person also owns a tenant of their own, with its own session.
        var ownTenant = await member.Http.PostAsJsonAsync("/api/v1/tenants", new { name = "Side Business" });
        var ownTenantId = (await ownTenant.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var switched = await member.Http.PostAsJsonAsync("/api/v1/auth/switch-tenant", new { tenantId = ownTenantId });
        var sideSession = await switched.Content.ReadFromJsonAsync<JsonElement>();

        await owner.Http.DeleteAsync($"{Members(owner)}/{member.UserId}");
        // Invited back, they are a member again: a refresh token from before the removal must still be dead.
        await TeamInvites.InviteAsync(owner.Http, owner.TenantId, member.Email, "member");
        var rejoined = await TeamInvites.AcceptAsync(_frontend.NewClient(), await TeamInvites.TokenFromOutboxAsync(_frontend, member.Email), member.Password);
        Assert.Equal(HttpStatusCode.OK, rejoined.StatusCode);

        var refreshHere = await _frontend.NewClient().PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = member.RefreshToken });
        var refreshThere = await _frontend.NewClient().PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = sideSession.GetProperty("refreshToken").GetString() });
        Assert.Equal(HttpStatusCode.Unauthorized, refreshHere.StatusCode);
        Assert.Equal(HttpStatusCode.OK, refreshThere.StatusCode);
    }

    [Fact]
    public async Task A_role_change_takes_effect_at_once_so_a_demoted_admin_gets_403_with_the_same_token()
    {
        var owner = await NewOwnerAsync();
        var admin = await TeamInvites.JoinAsync(_frontend, owner, "admin");
        var invitations = $"/api/v1/tenants/{owner.TenantId}/invitations";
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync(invitations)).StatusCode);

        var changed = await ChangeRoleAsync(owner.Http, owner, admin.UserId, "member");

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("member", (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.Http.GetAsync(invitations)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await TeamInvites.InviteAsync(admin.Http, owner.TenantId, $"x-{Guid.NewGuid():N}@example.com", "member")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync(Members(owner))).StatusCode);
        var audit = Assert.Single(await TeamInvites.AuditDetailsAsync(_frontend, owner.TenantId, "member.role_changed"));
        Assert.Equal("admin", audit.GetProperty("oldRole").GetString());
        Assert.Equal("member", audit.GetProperty("newRole").GetString());
    }

    [Fact]
    public async Task An_admin_can_neither_grant_nor_touch_the_owner_role_and_gets_403()
    {
        var owner = await NewOwnerAsync();
        var admin = await TeamInvites.JoinAsync(_frontend, owner, "admin");
        var sdr = await TeamInvites.JoinAsync(_frontend, owner, "sdr");

        var promoteOther = await ChangeRoleAsync(admin.Http, owner, sdr.UserId, "owner");
        var promoteSelf = await ChangeRoleAsync(admin.Http, owner, admin.UserId, "owner");
        var demoteOwner = await ChangeRoleAsync(admin.Http, owner, owner.UserId, "member");
        var removeOwner = await admin.Http.DeleteAsync($"{Members(owner)}/{owner.UserId}");
        var changeSdr = await ChangeRoleAsync(admin.Http, owner, sdr.UserId, "member");

        Assert.Equal(HttpStatusCode.Forbidden, promoteOther.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, promoteSelf.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, demoteOwner.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, removeOwner.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changeSdr.StatusCode);
        var roles = (await owner.Http.GetFromJsonAsync<JsonElement>(Members(owner))).GetProperty("items").EnumerateArray()
            .ToDictionary(m => m.GetProperty("userId").GetString()!, m => m.GetProperty("role").GetString());
        Assert.Equal("owner", roles[owner.UserId]);
        Assert.Equal("admin", roles[admin.UserId]);
        Assert.Equal("member", roles[sdr.UserId]);
    }

    [Fact]
    public async Task An_admin_may_remove_a_non_owner()
    {
        var owner = await NewOwnerAsync();
        var admin = await TeamInvites.JoinAsync(_frontend, owner, "admin");
        var sdr = await TeamInvites.JoinAsync(_frontend, owner, "sdr");

        var removed = await admin.Http.DeleteAsync($"{Members(owner)}/{sdr.UserId}");

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await sdr.Http.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task A_member_or_sdr_cannot_change_roles_or_remove_anyone()
    {
        var owner = await NewOwnerAsync();
        var sdr = await TeamInvites.JoinAsync(_frontend, owner, "sdr");
        var member = await TeamInvites.JoinAsync(_frontend, owner, "member");

        Assert.Equal(HttpStatusCode.Forbidden, (await ChangeRoleAsync(sdr.Http, owner, sdr.UserId, "admin")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ChangeRoleAsync(member.Http, owner, sdr.UserId, "member")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.Http.DeleteAsync($"{Members(owner)}/{sdr.UserId}")).StatusCode);
    }

    [Fact]
    public async Task Ownership_transfer_makes_the_target_owner_and_the_caller_admin()
    {
        var owner = await NewOwnerAsync();
        var admin = await TeamInvites.JoinAsync(_frontend, owner, "admin");
        var transfer = $"/api/v1/tenants/{owner.TenantId}/ownership-transfer";

        var byAdmin = await admin.Http.PostAsJsonAsync(transfer, new { userId = admin.UserId });
        var transferred = await owner.Http.PostAsJsonAsync(transfer, new { userId = admin.UserId });

        Assert.Equal(HttpStatusCode.Forbidden, byAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, transferred.StatusCode);
        var roles = (await admin.Http.GetFromJsonAsync<JsonElement>(Members(owner))).GetProperty("items").EnumerateArray()
            .ToDictionary(m => m.GetProperty("userId").GetString()!, m => m.GetProperty("role").GetString());
        Assert.Equal("admin", roles[owner.UserId]);
        Assert.Equal("owner", roles[admin.UserId]);
        // Both old tokens carry the new roles at once.
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.Http.PostAsJsonAsync(transfer, new { userId = owner.UserId })).StatusCode);
        Assert.Equal("owner", (await admin.Http.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("role").GetString());
        var audit = Assert.Single(await TeamInvites.AuditDetailsAsync(_frontend, owner.TenantId, "member.ownership_transferred"));
        Assert.Equal(owner.UserId, audit.GetProperty("fromUserId").GetString());
        Assert.Equal(admin.UserId, audit.GetProperty("toUserId").GetString());
    }

    [Fact]
    public async Task Ownership_transfer_needs_a_member_other_than_the_caller()
    {
        var owner = await NewOwnerAsync();
        var transfer = $"/api/v1/tenants/{owner.TenantId}/ownership-transfer";

        var missing = await owner.Http.PostAsJsonAsync(transfer, new { userId = (string?)null });
        var self = await owner.Http.PostAsJsonAsync(transfer, new { userId = owner.UserId });
        var stranger = await owner.Http.PostAsJsonAsync(transfer, new { userId = "us_nobodyhere00000" });

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("userId", out _));
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        Assert.Equal("owner", (await owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("role").GetString());
    }

    [Fact]
    public async Task An_unknown_member_is_a_404_and_an_unknown_role_a_400_naming_role()
    {
        var owner = await NewOwnerAsync();

        var unknownMember = await ChangeRoleAsync(owner.Http, owner, "us_nobodyhere00000", "member");
        var unknownRemove = await owner.Http.DeleteAsync($"{Members(owner)}/us_nobodyhere00000");
        var badRole = await ChangeRoleAsync(owner.Http, owner, owner.UserId, "king");

        Assert.Equal(HttpStatusCode.NotFound, unknownMember.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownRemove.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);
        Assert.True((await badRole.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("role", out _));
    }

    [Fact]
    public async Task Another_tenants_id_in_a_members_path_is_a_404_and_changes_nothing()
    {
        var owner = await NewOwnerAsync();
        var member = await TeamInvites.JoinAsync(_frontend, owner, "member");
        var other = await TestUser.SignUpAsync(_frontend, company: "Prober Co");

        var answers = new[]
        {
            await other.Http.GetAsync(Members(owner)),
            await ChangeRoleAsync(other.Http, owner, member.UserId, "admin"),
            await other.Http.DeleteAsync($"{Members(owner)}/{member.UserId}"),
            await other.Http.PostAsJsonAsync($"/api/v1/tenants/{owner.TenantId}/ownership-transfer", new { userId = other.UserId }),
            // Their own tenant in the path does not reach another tenant's member either.
            await ChangeRoleAsync(other.Http, other, member.UserId, "admin"),
            await other.Http.DeleteAsync($"{Members(other)}/{member.UserId}"),
        };

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.NotFound, a.StatusCode));
        var roles = (await owner.Http.GetFromJsonAsync<JsonElement>(Members(owner))).GetProperty("items").EnumerateArray()
            .Select(m => (m.GetProperty("userId").GetString(), m.GetProperty("role").GetString())).ToList();
        Assert.Equal([(owner.UserId, "owner"), (member.UserId, "member")], roles);
    }
}

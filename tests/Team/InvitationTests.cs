using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Team;

/// <summary>Managing invitations: who may invite whom, seat limits, listing, and tenant isolation.</summary>
public sealed class InvitationTests(TeamFrontendFixture fixture) : IClassFixture<TeamFrontendFixture>
{
    private readonly TestFrontend _frontend = fixture.Frontend;

    private Task<TestUser> NewOwnerAsync() => TestUser.SignUpAsync(_frontend, company: "Invite Co");

    private static string NewEmail() => $"invitee-{Guid.NewGuid():N}@example.com";

    [Fact]
    public async Task Inviting_the_same_address_again_replaces_the_pending_invitation()
    {
        var owner = await NewOwnerAsync();
        var email = NewEmail();
        await TeamInvites.InviteAsync(owner.Http, owner.TenantId, email, "member");
        var firstToken = await TeamInvites.TokenFromOutboxAsync(_frontend, email);

        var second = await TeamInvites.InviteAsync(owner.Http, owner.TenantId, email, "admin");
        var secondToken = await TeamInvites.TokenFromOutboxAsync(_frontend, email);

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var pending = await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{owner.TenantId}/invitations");
        Assert.Equal("admin", Assert.Single(pending.GetProperty("items").EnumerateArray()).GetProperty("role").GetString());
        Assert.Contains("revoked", TeamInvites.TokenError(await (await TeamInvites.AcceptAsync(_frontend.NewClient(), firstToken)).Content.ReadFromJsonAsync<JsonElement>()));
        var accepted = await TeamInvites.AcceptAsync(_frontend.NewClient(), secondToken);
        Assert.Equal("admin", (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("role").GetString());
    }

    [Fact]
    public async Task An_admin_cannot_invite_an_owner_and_gets_403_but_may_invite_other_roles()
    {
        var owner = await NewOwnerAsync();
        var admin = await TeamInvites.JoinAsync(_frontend, owner, "admin");

        var asOwner = await TeamInvites.InviteAsync(admin.Http, owner.TenantId, NewEmail(), "owner");
        var asSdr = await TeamInvites.InviteAsync(admin.Http, owner.TenantId, NewEmail(), "sdr");

        Assert.Equal(HttpStatusCode.Forbidden, asOwner.StatusCode);
        Assert.Equal(HttpStatusCode.Created, asSdr.StatusCode);
    }

    [Fact]
    public async Task An_owner_may_invite_an_owner()
    {
        var owner = await NewOwnerAsync();
        var email = NewEmail();
        await TeamInvites.InviteAsync(owner.Http, owner.TenantId, email, "owner");

        var accepted = await TeamInvites.AcceptAsync(_frontend.NewClient(), await TeamInvites.TokenFromOutboxAsync(_frontend, email));

        Assert.Equal("owner", (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_member_can_read_members_but_gets_403_on_inviting_and_listing_invitations()
    {
        var owner = await NewOwnerAsync();
        var member = await TeamInvites.JoinAsync(_frontend, owner, "member");

        var members = await member.Http.GetAsync($"/api/v1/tenants/{owner.TenantId}/members");
        var invite = await TeamInvites.InviteAsync(member.Http, owner.TenantId, NewEmail(), "member");
        var list = await member.Http.GetAsync($"/api/v1/tenants/{owner.TenantId}/invitations");

        Assert.Equal(HttpStatusCode.OK, members.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, invite.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
    }

    [Fact]
    public async Task Inviting_someone_who_is_already_a_member_is_a_409()
    {
        var owner = await NewOwnerAsync();
        var member = await TeamInvites.JoinAsync(_frontend, owner, "member");

        var again = await TeamInvites.InviteAsync(owner.Http, owner.TenantId, member.Email.ToUpperInvariant(), "admin");
        var self = await TeamInvites.InviteAsync(owner.Http, owner.TenantId, owner.Email, "member");

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);
    }

    [Fact]
    public async Task The_seat_limit_counts_members_and_pending_invitations_and_a_revoked_invitation_frees_its_seat()
    {
        // A trial tenant has 3 seats: the owner and two pending invitations fill them.
        var owner = await NewOwnerAsync();
        var first = await TeamInvites.InviteAsync(owner.Http, owner.TenantId, NewEmail(), "member");
        var second = await TeamInvites.InviteAsync(owner.Http, owner.TenantId, NewEmail(), "member");

        var third = await TeamInvites.InviteAsync(owner.Http, owner.TenantId, NewEmail(), "member");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, third.StatusCode);
        var problem = await third.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("seats", problem.GetProperty("limit").GetString());
        Assert.Equal(3, problem.GetProperty("seats").GetInt32());
        Assert.Contains("seat limit", problem.GetProperty("detail").GetString());

        var firstId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await owner.Http.DeleteAsync($"/api/v1/tenants/{owner.TenantId}/invitations/{firstId}");
        Assert.Equal(HttpStatusCode.Created, (await TeamInvites.InviteAsync(owner.Http, owner.TenantId, NewEmail(), "member")).StatusCode);
    }

    [Fact]
    public async Task Simultaneous_invitations_never_take_more_seats_than_the_plan_has()
    {
        var owner = await NewOwnerAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => TeamInvites.InviteAsync(owner.Http, owner.TenantId, NewEmail(), "member")));

        Assert.Equal(2, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(4, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Pending_invitations_are_listed_newest_first_page_by_page()
    {
        var owner = await NewOwnerAsync();
        var older = NewEmail();
        var newer = NewEmail();
        await TeamInvites.InviteAsync(owner.Http, owner.TenantId, older, "member");
        await TeamInvites.InviteAsync(owner.Http, owner.TenantId, newer, "sdr");

        var page1 = await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{owner.TenantId}/invitations?limit=1");
        var cursor = page1.GetProperty("nextCursor").GetString();
        var page2 = await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{owner.TenantId}/invitations?limit=1&cursor={cursor}");
        var badCursor = await owner.Http.GetAsync($"/api/v1/tenants/{owner.TenantId}/invitations?cursor=garbage!");

        Assert.Equal(newer, Assert.Single(page1.GetProperty("items").EnumerateArray()).GetProperty("email").GetString());
        Assert.NotNull(cursor);
        Assert.Equal(older, Assert.Single(page2.GetProperty("items").EnumerateArray()).GetProperty("email").GetString());
        Assert.Equal(JsonValueKind.Null, page2.GetProperty("nextCursor").ValueKind);
        Assert.Equal(HttpStatusCode.BadRequest, badCursor.StatusCode);
    }

    [Theory]
    [InlineData("not-an-email", "member", "email")]
    [InlineData("ok@example.com", "superuser", "role")]
    [InlineData("ok@example.com", "3", "role")]
    [InlineData(null, null, "email")]
    public async Task An_invitation_with_a_bad_field_is_a_400_naming_it(string? email, string? role, string field)
    {
        var owner = await NewOwnerAsync();

        var response = await TeamInvites.InviteAsync(owner.Http, owner.TenantId, email!, role!);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Another_tenants_id_in_an_invitation_path_is_a_404()
    {
        var owner = await NewOwnerAsync();
        var other = await TestUser.SignUpAsync(_frontend, company: "Other Co");
        var email = NewEmail();
        var id = (await (await TeamInvites.InviteAsync(owner.Http, owner.TenantId, email, "member")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var path = $"/api/v1/tenants/{owner.TenantId}/invitations";

        var answers = new[]
        {
            await other.Http.GetAsync(path),
            await other.Http.GetAsync($"{path}/{id}"),
            await other.Http.DeleteAsync($"{path}/{id}"),
            await TeamInvites.InviteAsync(other.Http, owner.TenantId, NewEmail(), "member"),
            // Their own tenant in the path does not reach another tenant's invitation either.
            await other.Http.GetAsync($"/api/v1/tenants/{other.TenantId}/invitations/{id}"),
            await other.Http.DeleteAsync($"/api/v1/tenants/{other.TenantId}/invitations/{id}"),
        };

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.NotFound, a.StatusCode));
        var still = await owner.Http.GetFromJsonAsync<JsonElement>($"{path}/{id}");
        Assert.Equal("pending", still.GetProperty("status").GetString());
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Team;

/// <summary>Accepting invitations: the emailed token, joining as a new or an existing user, and every way a token stops working.</summary>
public sealed class InvitationAcceptanceTests(TeamFrontendFixture fixture) : IClassFixture<TeamFrontendFixture>
{
    private readonly TestFrontend _frontend = fixture.Frontend;

    private Task<TestUser> NewOwnerAsync() => TestUser.SignUpAsync(_frontend, company: "Invite Co");

    private static string NewEmail() => $"invitee-{Guid.NewGuid():N}@example.com";

    [Fact]
    public async Task A_new_person_accepts_by_signing_up_and_gets_a_session_in_the_tenant_with_the_invited_role()
    {
        var owner = await NewOwnerAsync();
        var email = NewEmail();

        var invited = await TeamInvites.InviteAsync(owner.Http, owner.TenantId, email, "sdr");

        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        var invitationJson = await invited.Content.ReadAsStringAsync();
        var invitation = JsonDocument.Parse(invitationJson).RootElement;
        Assert.Equal(email, invitation.GetProperty("email").GetString());
        Assert.Equal("sdr", invitation.GetProperty("role").GetString());
        Assert.Equal("pending", invitation.GetProperty("status").GetString());
        var lifetime = invitation.GetProperty("expiresAt").GetDateTimeOffset() - invitation.GetProperty("createdAt").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromDays(7), lifetime);
        Assert.Equal($"/api/v1/tenants/{owner.TenantId}/invitations/{invitation.GetProperty("id").GetString()}", invited.Headers.Location!.ToString());

        var mail = await TestUser.LastEmailToAsync(_frontend, email);
        var token = await TeamInvites.TokenFromOutboxAsync(_frontend, email);
        Assert.StartsWith("inv_", token);
        Assert.Contains($"/invitations/accept?token={token}", mail);
        Assert.DoesNotContain(token, invitationJson);

        using var anonymous = _frontend.NewClient();
        var accepted = await TeamInvites.AcceptAsync(anonymous, token, displayName: "Priya Sdr");

        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var session = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(owner.TenantId, session.GetProperty("tenantId").GetString());
        Assert.Equal("sdr", session.GetProperty("role").GetString());
        var invitee = TestUser.FromSession(_frontend, email, session);
        var me = await invitee.Http.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal("Priya Sdr", me.GetProperty("displayName").GetString());
        Assert.Equal(owner.TenantId, Assert.Single(me.GetProperty("tenants").EnumerateArray()).GetProperty("tenantId").GetString());

        // The password chosen while accepting is a normal password from now on.
        var login = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password = TestUser.DefaultPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);

        var members = await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{owner.TenantId}/members");
        Assert.Contains(members.GetProperty("items").EnumerateArray(), m => m.GetProperty("email").GetString() == email && m.GetProperty("role").GetString() == "sdr");
        var pending = await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{owner.TenantId}/invitations");
        Assert.Empty(pending.GetProperty("items").EnumerateArray());

        Assert.Equal("sdr", Assert.Single(await TeamInvites.AuditDetailsAsync(_frontend, owner.TenantId, "member.invited")).GetProperty("role").GetString());
        var joined = Assert.Single(await TeamInvites.AuditDetailsAsync(_frontend, owner.TenantId, "member.joined"));
        Assert.Equal("true", joined.GetProperty("newAccount").GetString());
    }

    [Fact]
    public async Task A_new_person_must_choose_a_valid_password_and_name_and_a_refusal_leaves_the_invitation_usable()
    {
        var owner = await NewOwnerAsync();
        var email = NewEmail();
        await TeamInvites.InviteAsync(owner.Http, owner.TenantId, email, "member");
        var token = await TeamInvites.TokenFromOutboxAsync(_frontend, email);
        using var anonymous = _frontend.NewClient();

        var refused = await TeamInvites.AcceptAsync(anonymous, token, password: "short", displayName: null);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("password", out _));
        Assert.True(errors.TryGetProperty("displayName", out _));
        Assert.Equal(HttpStatusCode.Created, (await TeamInvites.AcceptAsync(anonymous, token)).StatusCode);
    }

    [Fact]
    public async Task An_existing_user_accepts_with_their_password_and_joins_with_the_invited_role()
    {
        var owner = await NewOwnerAsync();
        var existing = await TestUser.SignUpAsync(_frontend, company: "Their Own Co");
        await TeamInvites.InviteAsync(owner.Http, owner.TenantId, existing.Email, "admin");
        var token = await TeamInvites.TokenFromOutboxAsync(_frontend, existing.Email);
        using var anonymous = _frontend.NewClient();

        var withoutPassword = await TeamInvites.AcceptAsync(anonymous, token, password: null, displayName: null);
        var wrongPassword = await TeamInvites.AcceptAsync(anonymous, token, password: "not the right password");
        var accepted = await TeamInvites.AcceptAsync(anonymous, token, password: existing.Password, displayName: "Ignored For Existing");

        Assert.Equal(HttpStatusCode.BadRequest, withoutPassword.StatusCode);
        Assert.True((await withoutPassword.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("password", out _));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var session = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(owner.TenantId, session.GetProperty("tenantId").GetString());
        Assert.Equal(existing.UserId, session.GetProperty("userId").GetString());
        Assert.Equal("admin", session.GetProperty("role").GetString());

        var me = await TestUser.FromSession(_frontend, existing.Email, session).Http.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal(2, me.GetProperty("tenants").GetArrayLength());
        Assert.NotEqual("Ignored For Existing", me.GetProperty("displayName").GetString());
        Assert.Equal("false", Assert.Single(await TeamInvites.AuditDetailsAsync(_frontend, owner.TenantId, "member.joined")).GetProperty("newAccount").GetString());
    }

    [Fact]
    public async Task An_existing_user_signed_in_as_that_account_accepts_with_their_bearer_token_alone()
    {
        var owner = await NewOwnerAsync();
        var existing = await TestUser.SignUpAsync(_frontend, company: "Signed In Co");
        var stranger = await TestUser.SignUpAsync(_frontend, company: "Stranger Co");
        await TeamInvites.InviteAsync(owner.Http, owner.TenantId, existing.Email, "member");
        var token = await TeamInvites.TokenFromOutboxAsync(_frontend, existing.Email);

        // Another account's session is not the invitee's credential.
        var asStranger = await TeamInvites.AcceptAsync(stranger.Http, token, password: null, displayName: null);
        var asInvitee = await TeamInvites.AcceptAsync(existing.Http, token, password: null, displayName: null);

        Assert.Equal(HttpStatusCode.BadRequest, asStranger.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asInvitee.StatusCode);
        var session = await asInvitee.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(owner.TenantId, session.GetProperty("tenantId").GetString());
        Assert.Equal("member", session.GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_used_invitation_token_is_refused_with_a_400_on_token_saying_it_was_used()
    {
        var owner = await NewOwnerAsync();
        var email = NewEmail();
        await TeamInvites.InviteAsync(owner.Http, owner.TenantId, email, "member");
        var token = await TeamInvites.TokenFromOutboxAsync(_frontend, email);
        using var anonymous = _frontend.NewClient();

        var first = await TeamInvites.AcceptAsync(anonymous, token);
        var second = await TeamInvites.AcceptAsync(anonymous, token);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Contains("already used", TeamInvites.TokenError(await second.Content.ReadFromJsonAsync<JsonElement>()));
    }

    [Fact]
    public async Task Two_simultaneous_accepts_of_one_token_let_exactly_one_through()
    {
        var owner = await NewOwnerAsync();
        var existing = await TestUser.SignUpAsync(_frontend, company: "Race Co");
        await TeamInvites.InviteAsync(owner.Http, owner.TenantId, existing.Email, "member");
        var token = await TeamInvites.TokenFromOutboxAsync(_frontend, existing.Email);

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => TeamInvites.AcceptAsync(_frontend.NewClient(), token, existing.Password)));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.BadRequest, a.StatusCode));
        Assert.Single(await TeamInvites.AuditDetailsAsync(_frontend, owner.TenantId, "member.joined"));
    }

    [Fact]
    public async Task An_expired_invitation_is_refused_with_a_400_on_token_saying_it_expired_and_is_no_longer_pending()
    {
        var owner = await NewOwnerAsync();
        var email = NewEmail();
        var invitation = await (await TeamInvites.InviteAsync(owner.Http, owner.TenantId, email, "member")).Content.ReadFromJsonAsync<JsonElement>();
        var token = await TeamInvites.TokenFromOutboxAsync(_frontend, email);
        await TeamInvites.ExecuteAsOwnerAsync(_frontend, "UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = @id",
            ("id", invitation.GetProperty("id").GetString()!));

        var accepted = await TeamInvites.AcceptAsync(_frontend.NewClient(), token);

        Assert.Equal(HttpStatusCode.BadRequest, accepted.StatusCode);
        Assert.Contains("expired", TeamInvites.TokenError(await accepted.Content.ReadFromJsonAsync<JsonElement>()));
        var pending = await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{owner.TenantId}/invitations");
        Assert.Empty(pending.GetProperty("items").EnumerateArray());
        var one = await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{owner.TenantId}/invitations/{invitation.GetProperty("id").GetString()}");
        Assert.Equal("expired", one.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_invitation_lifetime_comes_from_configuration()
    {
        await using var shortLived = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync(), extraArgs: "--Flexoraa:Auth:InvitationLifetime=00:00:01");
        var owner = await TestUser.SignUpAsync(shortLived, company: "Hurry Co");
        var email = NewEmail();
        await TeamInvites.InviteAsync(owner.Http, owner.TenantId, email, "member");
        var token = await TeamInvites.TokenFromOutboxAsync(shortLived, email);

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var accepted = await TeamInvites.AcceptAsync(shortLived.NewClient(), token);

        Assert.Equal(HttpStatusCode.BadRequest, accepted.StatusCode);
        Assert.Contains("expired", TeamInvites.TokenError(await accepted.Content.ReadFromJsonAsync<JsonElement>()));
    }

    [Fact]
    public async Task A_revoked_invitation_is_refused_with_a_400_on_token_and_revoking_again_is_harmless()
    {
        var owner = await NewOwnerAsync();
        var email = NewEmail();
        var id = (await (await TeamInvites.InviteAsync(owner.Http, owner.TenantId, email, "member")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var token = await TeamInvites.TokenFromOutboxAsync(_frontend, email);

        var revoked = await owner.Http.DeleteAsync($"/api/v1/tenants/{owner.TenantId}/invitations/{id}");
        var again = await owner.Http.DeleteAsync($"/api/v1/tenants/{owner.TenantId}/invitations/{id}");
        var accepted = await TeamInvites.AcceptAsync(_frontend.NewClient(), token);

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, accepted.StatusCode);
        Assert.Contains("revoked", TeamInvites.TokenError(await accepted.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Single(await TeamInvites.AuditDetailsAsync(_frontend, owner.TenantId, "member.invitation_revoked"));
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Http.DeleteAsync($"/api/v1/tenants/{owner.TenantId}/invitations/iv_doesnotexist0000")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_or_missing_token_is_a_400_on_token()
    {
        var unknown = await TeamInvites.AcceptAsync(_frontend.NewClient(), "inv_thisisnotarealtoken");
        var missing = await _frontend.NewClient().PostAsJsonAsync("/api/v1/invitations/accept", new { password = "whatever-long-enough" });

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("unknown", TeamInvites.TokenError(await unknown.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("token", out _));
    }

    [Fact]
    public async Task Accepting_needs_no_token_of_ours_but_an_invalid_bearer_token_does_not_break_it()
    {
        var owner = await NewOwnerAsync();
        var email = NewEmail();
        await TeamInvites.InviteAsync(owner.Http, owner.TenantId, email, "member");
        using var client = _frontend.NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not.a.jwt");

        var accepted = await TeamInvites.AcceptAsync(client, await TeamInvites.TokenFromOutboxAsync(_frontend, email));

        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Team;

namespace Flexoraa.Tests.Accounts;

/// <summary>Every answer that hands out tokens tells browsers and proxies not to store it.</summary>
public sealed class TokenResponseCachingTests(FrontendFixture fixture) : IClassFixture<FrontendFixture>
{
    private readonly TestFrontend _frontend = fixture.Frontend;

    [Fact]
    public async Task Sign_up_confirmation_login_refresh_and_tenant_switch_answer_with_Cache_Control_no_store()
    {
        var email = $"nostore-{Guid.NewGuid():N}@example.com";
        using var anonymous = _frontend.NewClient();
        await anonymous.PostAsJsonAsync("/api/v1/auth/signup", new { email, password = TestUser.DefaultPassword, displayName = "No Store", companyName = "Private Ltd" });
        var confirmed = await anonymous.PostAsJsonAsync("/api/v1/auth/signup/confirm", new { token = await TestUser.SignupTokenFromOutboxAsync(_frontend, email) });
        var login = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password = TestUser.DefaultPassword });
        var session = await login.Content.ReadFromJsonAsync<JsonElement>();
        var refreshed = await anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = session.GetProperty("refreshToken").GetString() });
        var user = TestUser.FromSession(_frontend, email, await refreshed.Content.ReadFromJsonAsync<JsonElement>());
        var switched = await user.Http.PostAsJsonAsync("/api/v1/auth/switch-tenant", new { tenantId = user.TenantId });

        foreach (var (name, response) in new[] { ("confirm", confirmed), ("login", login), ("refresh", refreshed), ("switch-tenant", switched) })
        {
            Assert.True(response.IsSuccessStatusCode, $"{name} answered {response.StatusCode}");
            Assert.True(response.Headers.CacheControl?.NoStore == true, $"{name} has Cache-Control: {response.Headers.CacheControl}");
        }
    }

    [Fact]
    public async Task Accepting_an_invitation_answers_with_Cache_Control_no_store()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Inviting Ltd");
        var email = $"invitee-{Guid.NewGuid():N}@example.com";
        Assert.Equal(HttpStatusCode.Created, (await TeamInvites.InviteAsync(owner.Http, owner.TenantId, email, "member")).StatusCode);
        using var anonymous = _frontend.NewClient();

        var accepted = await TeamInvites.AcceptAsync(anonymous, await TeamInvites.TokenFromOutboxAsync(_frontend, email));

        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.True(accepted.Headers.CacheControl?.NoStore == true, $"Cache-Control: {accepted.Headers.CacheControl}");
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tenants;
using Microsoft.Extensions.DependencyInjection;

namespace Flexoraa.Tests.Infrastructure;

/// <summary>
/// Puts a freshly signed-up user into an existing tenant with a given role, straight through <see cref="ITenantGrain"/>
/// (the invitation flow has its own tests), and returns them signed in to that tenant.
/// </summary>
public static class TestMembership
{
    public static async Task<TestUser> JoinAsync(TestFrontend frontend, string tenantId, TenantRole role)
    {
        var user = await TestUser.SignUpAsync(frontend, company: "Own Co of " + role);
        var grains = frontend.Services.GetRequiredService<IGrainFactory>();
        var outcome = await grains.GetGrain<ITenantGrain>(tenantId).AddMember(
            new TenantMember(user.UserId, user.Email, "Test " + role, role, DateTimeOffset.UtcNow));
        if (outcome != MembershipOutcome.Done) throw new InvalidOperationException($"adding the member answered {outcome}");

        var switched = await user.Http.PostAsJsonAsync("/api/v1/auth/switch-tenant", new { tenantId });
        var session = await switched.Content.ReadFromJsonAsync<JsonElement>();
        if (!switched.IsSuccessStatusCode) throw new InvalidOperationException($"switch-tenant answered {switched.StatusCode}: {session}");
        user.Http.Dispose();
        return TestUser.FromSession(frontend, user.Email, session);
    }
}

using System.Net;
using System.Net.Http.Json;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Team;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Flexoraa.Tests.Realtime;

/// <summary>
/// Membership changes on open inbox connections: they are announced to the tenant, they close the changed user's
/// connections, and hub connects of a relayed tenant are checked from the host's cache instead of the tenant grain.
/// </summary>
public sealed class MembershipRevocationTests(MembershipRevocationTests.Host host) : IClassFixture<MembershipRevocationTests.Host>
{
    private static readonly TimeSpan Seconds = TimeSpan.FromSeconds(10);

    private readonly TestFrontend _frontend = host.Frontend;
    private readonly GrainCallCounter _calls = host.Calls;

    public sealed class Host : IAsyncLifetime
    {
        public TestFrontend Frontend { get; private set; } = null!;
        public GrainCallCounter Calls { get; } = new();

        public async Task InitializeAsync() =>
            Frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync(), null, null,
                b => b.Services.AddSingleton<IOutgoingGrainCallFilter>(Calls), $"--Flexoraa:Meta:AppSecret={InboxHubTests.DeploymentSecret}");

        public async Task DisposeAsync() => await Frontend.DisposeAsync();
    }

    private static string Members(TestUser owner) => $"/api/v1/tenants/{owner.TenantId}/members";

    private long GetMemberCalls => _calls.Count("ITenantGrain", "GetMember");

    [Fact]
    public async Task A_removed_members_open_connection_is_closed_within_seconds_and_they_cannot_reconnect()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Revocation Co");
        var member = await TeamInvites.JoinAsync(_frontend, owner, "sdr");
        await using var ownerClient = await InboxClient.ConnectAsync(_frontend, owner.AccessToken);
        await using var memberClient = await InboxClient.ConnectAsync(_frontend, member.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.Http.DeleteAsync($"{Members(owner)}/{member.UserId}")).StatusCode);

        await memberClient.Closed.WaitAsync(Seconds);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => InboxClient.ConnectAsync(_frontend, member.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HubConnectionState.Connected, ownerClient.Connection.State);
    }

    [Fact]
    public async Task A_demoted_members_connection_is_closed_and_they_reconnect_with_the_new_role()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Demotion Co");
        var channel = await WhatsAppTestChannel.ConnectAsync(_frontend, owner, InboxHubTests.DeploymentSecret);
        var sdr = await TeamInvites.JoinAsync(_frontend, owner, "sdr");
        await using var ownerClient = await InboxClient.ConnectAsync(_frontend, owner.AccessToken);
        await channel.ReceiveTextAsync("wamid.demotion.1", from: "919000000071");
        var conversationId = (await ownerClient.MessageReceivedAsync("wamid.demotion.1")).Payload.GetProperty("conversationId").GetString()!;
        await using var before = await InboxClient.ConnectAsync(_frontend, sdr.AccessToken);
        Assert.True(await before.Connection.InvokeAsync<bool>("Typing", conversationId, true));

        var changed = await owner.Http.PatchAsJsonAsync($"{Members(owner)}/{sdr.UserId}", new { role = "member" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        await before.Closed.WaitAsync(Seconds);
        await using var after = await InboxClient.ConnectAsync(_frontend, sdr.AccessToken);
        // A member reads conversations but does not work them, so the reconnected connection may not type.
        Assert.False(await after.Connection.InvokeAsync<bool>("Typing", conversationId, true));
    }

    [Fact]
    public async Task MembershipChanged_reaches_the_other_clients_of_the_tenant_for_joins_role_changes_and_removals()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Announce Co");
        await using var ownerClient = await InboxClient.ConnectAsync(_frontend, owner.AccessToken);

        var member = await TeamInvites.JoinAsync(_frontend, owner, "member");
        var (_, joined) = await ownerClient.NextAsync((name, p) => name == "MembershipChanged" && p.GetProperty("userId").GetString() == member.UserId);
        Assert.Equal("member", joined.GetProperty("role").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, joined.GetProperty("previousRole").ValueKind);
        Assert.Equal("MembershipChanged", joined.GetProperty("type").GetString());
        Assert.Equal(owner.TenantId, joined.GetProperty("tenantId").GetString());
        Assert.True(joined.GetProperty("sequence").GetInt64() > 0);

        await owner.Http.PatchAsJsonAsync($"{Members(owner)}/{member.UserId}", new { role = "sdr" });
        var (_, promoted) = await ownerClient.NextAsync((name, p) => name == "MembershipChanged" && p.GetProperty("userId").GetString() == member.UserId);
        Assert.Equal("sdr", promoted.GetProperty("role").GetString());
        Assert.Equal("member", promoted.GetProperty("previousRole").GetString());

        await owner.Http.DeleteAsync($"{Members(owner)}/{member.UserId}");
        var (_, removed) = await ownerClient.NextAsync((name, p) => name == "MembershipChanged" && p.GetProperty("userId").GetString() == member.UserId);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, removed.GetProperty("role").ValueKind);
        Assert.Equal("sdr", removed.GetProperty("previousRole").GetString());
        Assert.True(removed.GetProperty("sequence").GetInt64() > promoted.GetProperty("sequence").GetInt64());
    }

    [Fact]
    public async Task Hub_connects_after_the_first_one_of_a_tenant_make_no_membership_grain_call_while_REST_requests_still_do()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Cache Co");
        await using var first = await InboxClient.ConnectAsync(_frontend, owner.AccessToken);

        var before = GetMemberCalls;
        var more = new List<InboxClient>();
        for (var i = 0; i < 5; i++) more.Add(await InboxClient.ConnectAsync(_frontend, owner.AccessToken));
        var afterConnects = GetMemberCalls;
        Assert.Equal(HttpStatusCode.OK, (await owner.Http.GetAsync("/api/v1/me")).StatusCode);
        var afterRest = GetMemberCalls;
        foreach (var client in more) await client.DisposeAsync();

        Assert.Equal(0, afterConnects - before);
        Assert.True(afterRest - afterConnects >= 1, "A REST request still asks the tenant grain.");
    }
}

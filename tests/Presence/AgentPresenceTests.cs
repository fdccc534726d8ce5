using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.FrontendApi.Presence;
using Flexoraa.Presence;
using Flexoraa.Tenants;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Realtime;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Flexoraa.Tests.Presence;

/// <summary>
/// Agents' presence from real SignalR connections: online while connected on any host, away by choice, offline after
/// the last connection closes or when the host holding them stops renewing its lease; every change reaches the
/// tenant's other clients as PresenceChanged.
/// </summary>
public sealed class AgentPresenceTests(PresenceFrontend fixture) : IClassFixture<PresenceFrontend>
{
    private readonly TestFrontend _frontend = fixture.Frontend;

    [Fact]
    public async Task An_agent_is_online_while_any_connection_is_open_and_offline_after_the_last_one_closes()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        Assert.Equal("offline", await PresenceApi.OfAsync(owner, owner.UserId));

        var first = await InboxClient.ConnectAsync(_frontend, owner.AccessToken);
        var second = await InboxClient.ConnectAsync(_frontend, owner.AccessToken);
        Assert.Equal("online", await PresenceApi.OfAsync(owner, owner.UserId));

        await first.DisposeAsync();
        await Task.Delay(300);
        Assert.Equal("online", await PresenceApi.OfAsync(owner, owner.UserId));

        await second.DisposeAsync();
        await PresenceApi.BecomesAsync(owner, owner.UserId, "offline");
    }

    [Fact]
    public async Task Only_a_users_first_connection_and_last_disconnection_on_a_host_call_the_presence_grain()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var host = _frontend.Services.GetRequiredService<HostPresence>();
        var clients = new List<InboxClient>();

        var before = host.ConnectionReports;
        clients.Add(await InboxClient.ConnectAsync(_frontend, owner.AccessToken));
        Assert.Equal(before + 1, host.ConnectionReports);
        for (var i = 0; i < 9; i++) clients.Add(await InboxClient.ConnectAsync(_frontend, owner.AccessToken));
        Assert.Equal(before + 1, host.ConnectionReports);

        foreach (var client in clients.Skip(1)) await client.DisposeAsync();
        await Task.Delay(300);
        Assert.Equal(before + 1, host.ConnectionReports);
        Assert.Equal("online", await PresenceApi.OfAsync(owner, owner.UserId));

        await clients[0].DisposeAsync();
        await PresenceApi.BecomesAsync(owner, owner.UserId, "offline");
        Assert.Equal(before + 2, host.ConnectionReports);
    }

    [Fact]
    public async Task SetAway_makes_the_agent_away_for_everyone_until_they_come_back_even_across_a_reconnect()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var sdr = await TestMembership.JoinAsync(_frontend, owner.TenantId, TenantRole.Sdr);
        await using var watcher = await InboxClient.ConnectAsync(_frontend, owner.AccessToken);
        var agent = await InboxClient.ConnectAsync(_frontend, sdr.AccessToken);
        await NextPresenceAsync(watcher, sdr.UserId, "online");

        await agent.Connection.InvokeAsync("SetAway", true);
        var (_, away) = await NextPresenceAsync(watcher, sdr.UserId, "away");
        Assert.Equal(owner.TenantId, away.GetProperty("tenantId").GetString());
        Assert.Equal("away", await PresenceApi.OfAsync(owner, sdr.UserId));

        await agent.DisposeAsync();
        await NextPresenceAsync(watcher, sdr.UserId, "offline");
        await using var again = await InboxClient.ConnectAsync(_frontend, sdr.AccessToken);
        await NextPresenceAsync(watcher, sdr.UserId, "away");

        await again.Connection.InvokeAsync("SetAway", false);
        await NextPresenceAsync(watcher, sdr.UserId, "online");
        Assert.Equal("online", await PresenceApi.OfAsync(owner, sdr.UserId));
    }

    [Fact]
    public async Task Agents_of_a_host_that_stops_renewing_its_lease_go_offline_when_the_lease_ends()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var sdr = await TestMembership.JoinAsync(_frontend, owner.TenantId, TenantRole.Sdr);
        await using var watcher = await InboxClient.ConnectAsync(_frontend, owner.AccessToken);
        // A host that reported its agent and then crashed: it never renews and never says goodbye.
        var presence = _frontend.Services.GetRequiredService<IGrainFactory>().GetGrain<IAgentPresenceGrain>(owner.TenantId);
        // The lease runs from the report, so that is the reference: how late the "online" event reached the watcher
        // (a busy machine delays it) says nothing about when the lease ends.
        var reported = DateTimeOffset.UtcNow;
        await presence.Opened("crashed-host", sdr.UserId, TimeSpan.FromSeconds(2));
        await NextPresenceAsync(watcher, sdr.UserId, "online");

        await NextPresenceAsync(watcher, sdr.UserId, "offline");
        Assert.True(DateTimeOffset.UtcNow - reported >= TimeSpan.FromSeconds(1.9), "The agent went offline before the lease ended.");
        Assert.Equal("offline", await PresenceApi.OfAsync(owner, sdr.UserId));
    }

    [Fact]
    public async Task A_live_hosts_heartbeats_keep_its_agents_online_well_past_one_lease()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        await using var client = await InboxClient.ConnectAsync(_frontend, owner.AccessToken);

        await Task.Delay(PresenceFrontend.Lease * 2);

        Assert.Equal("online", await PresenceApi.OfAsync(owner, owner.UserId));
        Assert.DoesNotContain(client.Drain(), e => e.Name == "PresenceChanged" && e.Payload.GetProperty("presence").GetString() == "offline");
    }

    [Fact]
    public async Task The_presence_list_shows_every_member_with_role_presence_load_and_capacity_and_is_the_callers_tenant_only()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var member = await TestMembership.JoinAsync(_frontend, owner.TenantId, TenantRole.Member);
        var stranger = await TestUser.SignUpAsync(_frontend, company: "Elsewhere");
        await using var client = await InboxClient.ConnectAsync(_frontend, member.AccessToken);

        var page = await member.Http.GetFromJsonAsync<JsonElement>("/api/v1/presence");
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([owner.UserId, member.UserId], items.Select(i => i.GetProperty("userId").GetString()));
        var mine = items[1];
        Assert.Equal("online", mine.GetProperty("presence").GetString());
        Assert.Equal("member", mine.GetProperty("role").GetString());
        Assert.Equal(0, mine.GetProperty("assigned").GetInt32());
        Assert.Equal(AutoAssignmentSettings.StandardCapacity, mine.GetProperty("capacity").GetInt32());
        Assert.False(mine.GetProperty("autoAssignable").GetBoolean());
        Assert.Equal("offline", items[0].GetProperty("presence").GetString());

        var theirs = await stranger.Http.GetFromJsonAsync<JsonElement>("/api/v1/presence");
        Assert.Equal([stranger.UserId], theirs.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("userId").GetString()));
        using var anonymous = _frontend.NewClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/presence")).StatusCode);
    }

    private static Task<(string Name, JsonElement Payload)> NextPresenceAsync(InboxClient client, string userId, string presence) =>
        client.NextAsync((name, payload) => name == "PresenceChanged" && payload.GetProperty("userId").GetString() == userId
            && payload.GetProperty("presence").GetString() == presence, TimeSpan.FromSeconds(15));
}

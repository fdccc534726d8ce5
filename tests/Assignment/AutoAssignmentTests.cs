using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tenants;
using Flexoraa.Tests.Inbox;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Presence;
using Flexoraa.Tests.Realtime;
using Microsoft.AspNetCore.SignalR.Client;

namespace Flexoraa.Tests.Assignment;

/// <summary>
/// Round-robin auto-assignment over real signed webhooks and real hub connections: fair rotation among online agents,
/// away and offline ones skipped, capacity (tenant default and per agent) respected, a FIFO queue that drains when an
/// agent comes online or frees capacity, reopened conversations, and who is eligible (SDR, Admin, Owner; not Member).
/// </summary>
public sealed class AutoAssignmentTests(PresenceFrontend fixture) : IClassFixture<PresenceFrontend>
{
    private readonly TestFrontend _frontend = fixture.Frontend;
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task Nine_new_conversations_go_to_three_online_agents_in_rotation_three_each()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var agents = await AgentsAsync(inbox, TenantRole.Sdr, TenantRole.Sdr, TenantRole.Sdr);
        await using var clients = await OnlineAsync(agents);
        // A Member watches: online, but never in the rotation. The Owner is offline, so skipped.
        var reader = await TestMembership.JoinAsync(_frontend, inbox.TenantId, TenantRole.Member);
        await using var watcher = await InboxClient.ConnectAsync(_frontend, reader.AccessToken);
        await EnableAsync(inbox, defaultCapacity: 10);

        var order = new List<string>();
        for (var i = 0; i < 9; i++) order.Add(await NewConversationAssignedAsync(inbox, $"91984000010{i}"));

        var (a, b, c) = (agents[0].UserId, agents[1].UserId, agents[2].UserId);
        Assert.Equal([a, b, c, a, b, c, a, b, c], order);
        var (_, changed) = await watcher.NextAsync((name, _) => name == "AssignmentChanged");
        Assert.Equal(a, changed.GetProperty("assigneeUserId").GetString());
        Assert.Equal(JsonValueKind.Null, changed.GetProperty("changedByUserId").ValueKind);
        var presence = await PresenceApi.EntryAsync(inbox.Owner, b);
        Assert.Equal(3, presence.GetProperty("assigned").GetInt32());
    }

    [Fact]
    public async Task Offline_and_away_agents_are_skipped()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var agents = await AgentsAsync(inbox, TenantRole.Sdr, TenantRole.Sdr, TenantRole.Sdr);
        var (away, offline, online) = (agents[0], agents[1], agents[2]);
        await using var clients = await OnlineAsync([away, online]);
        await clients[0].Connection.InvokeAsync("SetAway", true);
        await PresenceApi.BecomesAsync(inbox.Owner, away.UserId, "away");
        await EnableAsync(inbox, defaultCapacity: 10);

        for (var i = 0; i < 3; i++) Assert.Equal(online.UserId, await NewConversationAssignedAsync(inbox, $"91984000020{i}"));
        Assert.Equal("offline", await PresenceApi.OfAsync(inbox.Owner, offline.UserId));
    }

    [Fact]
    public async Task The_tenants_default_capacity_caps_each_agent_and_the_rest_waits_until_a_conversation_is_resolved()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var agents = await AgentsAsync(inbox, TenantRole.Sdr, TenantRole.Sdr);
        await using var clients = await OnlineAsync(agents);
        await EnableAsync(inbox, defaultCapacity: 2);

        var assigned = new List<string>();
        for (var i = 0; i < 4; i++) assigned.Add(await NewConversationAssignedAsync(inbox, $"91984000030{i}"));
        await inbox.SendAsync("919840000399", "Anyone?", DateTimeOffset.UtcNow);
        var waiting = inbox.ConversationIdOf("919840000399");
        await Eventually.Get(() => QueueAsync(inbox), q => q.SequenceEqual([waiting]), TimeSpan.FromSeconds(15), "the fifth conversation to wait");

        Assert.Equal(2, assigned.Count(a => a == agents[0].UserId));
        Assert.Equal(2, assigned.Count(a => a == agents[1].UserId));
        Assert.Null(await AssigneeAsync(inbox, waiting));

        var resolved = await PatchAsync(inbox.Owner, inbox.ConversationIdOf("919840000301"), new { status = "resolved" });
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal(agents[1].UserId, await AssignedAsync(inbox, waiting));
        Assert.Empty(await QueueAsync(inbox));
    }

    [Fact]
    public async Task An_agents_own_capacity_overrides_the_default()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var agents = await AgentsAsync(inbox, TenantRole.Sdr, TenantRole.Admin);
        await using var clients = await OnlineAsync(agents);
        await EnableAsync(inbox, defaultCapacity: 5);
        var set = await inbox.Owner.Http.PutAsJsonAsync($"/api/v1/tenants/{inbox.TenantId}/members/{agents[0].UserId}/capacity", new { capacity = 1 });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(1, (await set.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("capacity").GetInt32());

        var assigned = new List<string>();
        for (var i = 0; i < 4; i++) assigned.Add(await NewConversationAssignedAsync(inbox, $"91984000040{i}"));

        Assert.Equal([agents[0].UserId, agents[1].UserId, agents[1].UserId, agents[1].UserId], assigned);
        var entry = await PresenceApi.EntryAsync(inbox.Owner, agents[0].UserId);
        Assert.Equal(1, entry.GetProperty("capacity").GetInt32());
        Assert.Equal(1, entry.GetProperty("capacityOverride").GetInt32());
        Assert.False(entry.GetProperty("autoAssignable").GetBoolean());
    }

    [Fact]
    public async Task Setting_a_capacity_needs_an_owner_or_admin_a_valid_number_and_a_member_of_the_tenant()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var sdr = (await AgentsAsync(inbox, TenantRole.Sdr))[0];
        var url = $"/api/v1/tenants/{inbox.TenantId}/members/{sdr.UserId}/capacity";

        Assert.Equal(HttpStatusCode.Forbidden, (await sdr.Http.PutAsJsonAsync(url, new { capacity = 50 })).StatusCode);
        var invalid = await inbox.Owner.Http.PutAsJsonAsync(url, new { capacity = -1 });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.True((await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("capacity", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await inbox.Owner.Http.PutAsJsonAsync(url, new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await inbox.Owner.Http.PutAsJsonAsync($"/api/v1/tenants/{inbox.TenantId}/members/usr_nobody/capacity", new { capacity = 1 })).StatusCode);
        var reset = await inbox.Owner.Http.PutAsJsonAsync(url, new { capacity = (int?)null });
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await reset.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("capacityOverride").ValueKind);

        var invalidDefault = await inbox.Owner.Http.PatchAsJsonAsync($"/api/v1/tenants/{inbox.TenantId}", new { autoAssignment = new { enabled = true, defaultCapacity = 5000 } });
        Assert.Equal(HttpStatusCode.BadRequest, invalidDefault.StatusCode);
        Assert.True((await invalidDefault.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("autoAssignment.defaultCapacity", out _));
    }

    [Fact]
    public async Task Conversations_that_arrive_while_nobody_is_online_wait_in_order_and_go_to_the_first_agent_who_comes_online()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var agent = (await AgentsAsync(inbox, TenantRole.Sdr))[0];
        await EnableAsync(inbox, defaultCapacity: 10);

        await inbox.SendAsync("919840000501", "first", DateTimeOffset.UtcNow.AddSeconds(-2));
        await inbox.WaitForMessagesAsync();
        await inbox.SendAsync("919840000502", "second", DateTimeOffset.UtcNow);
        var (first, second) = (inbox.ConversationIdOf("919840000501"), inbox.ConversationIdOf("919840000502"));
        await Eventually.Get(() => QueueAsync(inbox), q => q.SequenceEqual([first, second]), TimeSpan.FromSeconds(15), "both conversations to wait in order");
        Assert.Null(await AssigneeAsync(inbox, first));

        await using var client = await InboxClient.ConnectAsync(_frontend, agent.AccessToken);

        Assert.Equal(agent.UserId, await AssignedAsync(inbox, first));
        Assert.Equal(agent.UserId, await AssignedAsync(inbox, second));
        Assert.Empty(await QueueAsync(inbox));
    }

    [Fact]
    public async Task Nothing_is_assigned_while_auto_assignment_is_disabled()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var agents = await AgentsAsync(inbox, TenantRole.Sdr);
        await using var clients = await OnlineAsync(agents);

        await inbox.SendAsync("919840000601", "hello", DateTimeOffset.UtcNow);
        await inbox.WaitForMessagesAsync();
        await Task.Delay(Quiet);

        Assert.Null(await AssigneeAsync(inbox, inbox.ConversationIdOf("919840000601")));
        Assert.Empty(await QueueAsync(inbox));
        var settings = await inbox.Owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/auto-assignment");
        Assert.False(settings.GetProperty("settings").GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Members_are_never_assigned_and_owners_admins_and_sdrs_are()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var agents = await AgentsAsync(inbox, TenantRole.Member, TenantRole.Sdr, TenantRole.Admin);
        await using var clients = await OnlineAsync(agents);
        await using var owner = await InboxClient.ConnectAsync(_frontend, inbox.Owner.AccessToken);
        await EnableAsync(inbox, defaultCapacity: 10);

        var assigned = new List<string>();
        for (var i = 0; i < 6; i++) assigned.Add(await NewConversationAssignedAsync(inbox, $"91984000070{i}"));

        Assert.DoesNotContain(agents[0].UserId, assigned);
        Assert.Equal([inbox.Owner.UserId, agents[1].UserId, agents[2].UserId, inbox.Owner.UserId, agents[1].UserId, agents[2].UserId], assigned);
        var rotation = (await inbox.Owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/auto-assignment")).GetProperty("rotation");
        Assert.DoesNotContain(agents[0].UserId, rotation.EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Manual_reassignment_frees_the_agents_slot_and_an_unassigned_conversation_that_reopens_is_assigned_again()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var agent = (await AgentsAsync(inbox, TenantRole.Sdr))[0];
        await using var client = await InboxClient.ConnectAsync(_frontend, agent.AccessToken);
        await EnableAsync(inbox, defaultCapacity: 1);

        var first = inbox.ConversationIdOf("919840000801");
        Assert.Equal(agent.UserId, await NewConversationAssignedAsync(inbox, "919840000801"));
        await inbox.SendAsync("919840000802", "me too", DateTimeOffset.UtcNow);
        var second = inbox.ConversationIdOf("919840000802");
        await Eventually.Get(() => QueueAsync(inbox), q => q.SequenceEqual([second]), TimeSpan.FromSeconds(15), "the second to wait");

        // The owner takes the first one over by hand: the agent's slot frees and the waiting one goes to them.
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(inbox.Owner, first, new { assigneeUserId = inbox.Owner.UserId })).StatusCode);
        Assert.Equal(agent.UserId, await AssignedAsync(inbox, second));

        // Resolved and unassigned, then the customer writes again: it reopens and wants an agent; the agent resolved
        // their other one, so they have room.
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(inbox.Owner, first, new { status = "resolved", assigneeUserId = (string?)null })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(inbox.Owner, second, new { status = "resolved" })).StatusCode);
        await inbox.SendAsync("919840000801", "one more question", DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(agent.UserId, await AssignedAsync(inbox, first));
    }

    private async Task<List<TestUser>> AgentsAsync(InboxTenant inbox, params TenantRole[] roles)
    {
        var users = new List<TestUser>();
        // One after another, so the rotation (join order) is the order given.
        foreach (var role in roles) users.Add(await TestMembership.JoinAsync(_frontend, inbox.TenantId, role));
        return users;
    }

    private async Task<ClientGroup> OnlineAsync(IEnumerable<TestUser> users)
    {
        var group = new ClientGroup();
        foreach (var user in users) group.Add(await InboxClient.ConnectAsync(_frontend, user.AccessToken));
        return group;
    }

    private static async Task EnableAsync(InboxTenant inbox, int defaultCapacity)
    {
        var response = await inbox.Owner.Http.PatchAsJsonAsync($"/api/v1/tenants/{inbox.TenantId}", new { autoAssignment = new { enabled = true, defaultCapacity } });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"enabling answered {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var settings = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("settings").GetProperty("autoAssignment");
        Assert.True(settings.GetProperty("enabled").GetBoolean());
        Assert.Equal(defaultCapacity, settings.GetProperty("defaultCapacity").GetInt32());
        // The setting reaches auto-assignment one-way; wait until it shows there.
        await Eventually.Get(async () => (await inbox.Owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/auto-assignment")).GetProperty("settings").GetProperty("enabled").GetBoolean(),
            enabled => enabled, TimeSpan.FromSeconds(10), "auto-assignment to be enabled");
    }

    /// <summary>A new contact writes; waits until auto-assignment gave the conversation to someone and returns who.</summary>
    private async Task<string> NewConversationAssignedAsync(InboxTenant inbox, string contact)
    {
        await inbox.SendAsync(contact, "I need help with my order", DateTimeOffset.UtcNow);
        return await AssignedAsync(inbox, inbox.ConversationIdOf(contact));
    }

    private async Task<string> AssignedAsync(InboxTenant inbox, string conversationId) =>
        (await Eventually.Get(() => AssigneeAsync(inbox, conversationId), a => a is not null, TimeSpan.FromSeconds(15), $"{conversationId} to be assigned"))!;

    private async Task<string?> AssigneeAsync(InboxTenant inbox, string conversationId)
    {
        var rows = await OwnerSql.QueryAsync(_frontend, "SELECT assignee_user_id FROM conversations WHERE tenant_id = @t AND id = @id", ("t", inbox.TenantId), ("id", conversationId));
        return rows.Count == 0 ? null : rows[0]["assignee_user_id"] as string;
    }

    private static async Task<List<string>> QueueAsync(InboxTenant inbox) =>
        [.. (await inbox.Owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/auto-assignment")).GetProperty("queue").EnumerateArray().Select(q => q.GetString()!)];

    private static Task<HttpResponseMessage> PatchAsync(TestUser user, string conversationId, object body) =>
        user.Http.PatchAsJsonAsync($"/api/v1/conversations/{conversationId}", body);

    private sealed class ClientGroup : List<InboxClient>, IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var client in this) await client.DisposeAsync();
        }
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tenants;
using Flexoraa.Tests.ChannelAccounts;
using Flexoraa.Tests.Inbox;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Realtime;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Flexoraa.Tests.Presence;

/// <summary>
/// A client that stops calling the hub turns its agent away (and back on the next heartbeat); presence and
/// auto-assignment come back right after their grains are collected: counts from the conversations table, rotation
/// and queue from storage, connections from the hosts' next heartbeat.
/// </summary>
public sealed class IdleAndRecoveryTests(IdleAndRecoveryTests.Host host) : IClassFixture<IdleAndRecoveryTests.Host>
{
    private readonly TestFrontend _frontend = host.Frontend;

    public sealed class Host : IAsyncLifetime
    {
        public TestFrontend Frontend { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync(), extraArgs:
            [
                $"--Flexoraa:Meta:AppSecret={MetaAppFrontend.AppSecret}",
                "--Flexoraa:Presence:HeartbeatInterval=00:00:00.300",
                "--Flexoraa:Presence:LeaseDuration=00:00:03",
                "--Flexoraa:Presence:IdleAfter=00:00:02",
            ]);

        public async Task DisposeAsync() => await Frontend.DisposeAsync();
    }

    [Fact]
    public async Task An_agent_whose_client_stops_sending_heartbeats_turns_away_and_the_next_heartbeat_brings_them_back()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        await using var client = await InboxClient.ConnectAsync(_frontend, owner.AccessToken);
        Assert.Equal("online", await PresenceApi.OfAsync(owner, owner.UserId));

        await PresenceApi.BecomesAsync(owner, owner.UserId, "away", TimeSpan.FromSeconds(10));

        await client.Connection.InvokeAsync("Heartbeat");
        Assert.Equal("online", await PresenceApi.OfAsync(owner, owner.UserId));
    }

    [Fact]
    public async Task Workloads_rotation_and_queue_survive_the_grains_being_collected()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var agent = await TestMembership.JoinAsync(_frontend, inbox.TenantId, TenantRole.Sdr);
        await using var client = await InboxClient.ConnectAsync(_frontend, agent.AccessToken);
        using var heartbeats = new CancellationTokenSource();
        var beating = KeepActiveAsync(client, heartbeats.Token);
        var enabled = await inbox.Owner.Http.PatchAsJsonAsync($"/api/v1/tenants/{inbox.TenantId}", new { autoAssignment = new { enabled = true, defaultCapacity = 1 } });
        enabled.EnsureSuccessStatusCode();
        await inbox.SendAsync("919850000001", "hi", DateTimeOffset.UtcNow);
        await Eventually.Get(() => AssignedAsync(inbox), n => n == 1, TimeSpan.FromSeconds(15), "the first conversation to be assigned");

        await _frontend.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        // The new activation counts the agent's open conversation from the table, so the second one waits.
        await inbox.SendAsync("919850000002", "hello?", DateTimeOffset.UtcNow);
        var waiting = inbox.ConversationIdOf("919850000002");
        var queue = await Eventually.Get(async () => (await inbox.Owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/auto-assignment")).GetProperty("queue"),
            q => q.GetArrayLength() == 1, TimeSpan.FromSeconds(15), "the second conversation to wait");
        Assert.Equal(waiting, queue[0].GetString());
        // The host's next heartbeat tells the new presence activation the agent is here; they are at capacity, so it still waits.
        await PresenceApi.BecomesAsync(inbox.Owner, agent.UserId, "online");
        await Task.Delay(1000);
        var entry = await PresenceApi.EntryAsync(inbox.Owner, agent.UserId);
        Assert.Equal(1, entry.GetProperty("assigned").GetInt32());
        Assert.Equal(1, entry.GetProperty("capacity").GetInt32());
        Assert.Null(await AssigneeOfAsync(inbox, waiting));
        var rotation = (await inbox.Owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/auto-assignment")).GetProperty("rotation");
        Assert.Equal([inbox.Owner.UserId, agent.UserId], rotation.EnumerateArray().Select(r => r.GetString()));

        await heartbeats.CancelAsync();
        await beating;
    }

    private static async Task KeepActiveAsync(InboxClient client, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await client.Connection.InvokeAsync("Heartbeat", cancellationToken);
                await Task.Delay(500, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<string?> AssigneeOfAsync(InboxTenant inbox, string conversationId) =>
        (await OwnerSql.QueryAsync(_frontend, "SELECT assignee_user_id FROM conversations WHERE tenant_id = @t AND id = @id", ("t", inbox.TenantId), ("id", conversationId)))[0]["assignee_user_id"] as string;

    private async Task<long> AssignedAsync(InboxTenant inbox) =>
        (long)(await OwnerSql.QueryAsync(_frontend, "SELECT count(*) AS n FROM conversations WHERE tenant_id = @t AND assignee_user_id IS NOT NULL", ("t", inbox.TenantId)))[0]["n"]!;
}

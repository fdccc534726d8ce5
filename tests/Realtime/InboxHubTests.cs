using System.Net;
using System.Text.Json;
using Flexoraa.FrontendApi.Realtime;
using Flexoraa.Realtime;
using Flexoraa.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Flexoraa.Tests.Realtime;

/// <summary>The inbox hub over real WebSockets, fed by signed webhooks through the co-hosted silo and the tenant-updates stream.</summary>
public sealed class InboxHubTests(InboxHubTests.Host host) : IClassFixture<InboxHubTests.Host>
{
    public const string DeploymentSecret = "realtime-deployment-secret";

    private readonly TestFrontend _frontend = host.Frontend;

    public sealed class Host : DatabaseFrontend
    {
        protected override string[] Arguments => [$"--Flexoraa:Meta:AppSecret={DeploymentSecret}"];
    }

    [Fact]
    public async Task A_client_receives_MessageReceived_and_ConversationUpdated_after_a_signed_webhook()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var channel = await WhatsAppTestChannel.ConnectAsync(_frontend, owner, DeploymentSecret);
        await using var client = await InboxClient.ConnectAsync(_frontend, owner.AccessToken);

        await channel.ReceiveTextAsync("wamid.live.1", from: "919000000001");

        var (_, received) = await client.MessageReceivedAsync("wamid.live.1");
        Assert.Equal(owner.TenantId, received.GetProperty("tenantId").GetString());
        Assert.StartsWith("cv_", received.GetProperty("conversationId").GetString());
        Assert.Equal("Hello from 919000000001", received.GetProperty("body").GetString());
        Assert.Equal("inbound", received.GetProperty("direction").GetString());
        Assert.Equal("Kerry Fisher", received.GetProperty("contactName").GetString());
        var (_, updated) = await client.NextAsync((name, _) => name == "ConversationUpdated");
        Assert.Equal(received.GetProperty("sequence").GetInt64() + 1, updated.GetProperty("sequence").GetInt64());
        Assert.Equal("Hello from 919000000001", updated.GetProperty("lastMessagePreview").GetString());
    }

    [Fact]
    public async Task A_client_of_another_tenant_never_receives_the_events_and_cannot_open_the_conversation()
    {
        var a = await TestUser.SignUpAsync(_frontend, company: "Tenant A");
        var b = await TestUser.SignUpAsync(_frontend, company: "Tenant B");
        var channelA = await WhatsAppTestChannel.ConnectAsync(_frontend, a, DeploymentSecret);
        await using var clientA = await InboxClient.ConnectAsync(_frontend, a.AccessToken);
        await using var clientB = await InboxClient.ConnectAsync(_frontend, b.AccessToken);

        await channelA.ReceiveTextAsync("wamid.tenant.a", from: "919000000002");
        var (_, received) = await clientA.MessageReceivedAsync("wamid.tenant.a");
        var conversationOfA = received.GetProperty("conversationId").GetString()!;
        await clientA.NextAsync((name, _) => name == "ConversationUpdated");

        Assert.True(await clientA.OpenConversationAsync(conversationOfA));
        Assert.False(await clientB.OpenConversationAsync(conversationOfA));
        Assert.False(await clientB.OpenConversationAsync("cv_doesnotexist"));
        await Task.Delay(500);
        // B sees its own tenant's presence events, nothing of A's.
        Assert.All(clientB.Drain(), e => Assert.Equal(b.TenantId, e.Payload.GetProperty("tenantId").GetString()));
    }

    [Fact]
    public async Task A_reconnecting_client_resyncs_the_missed_events_in_order_and_a_too_old_sequence_means_reload()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var channel = await WhatsAppTestChannel.ConnectAsync(_frontend, owner, DeploymentSecret);
        long last;
        await using (var first = await InboxClient.ConnectAsync(_frontend, owner.AccessToken))
        {
            await channel.ReceiveTextAsync("wamid.resync.1", from: "919000000003");
            await first.MessageReceivedAsync("wamid.resync.1");
            last = (await first.NextAsync((name, _) => name == "ConversationUpdated")).Payload.GetProperty("sequence").GetInt64();
        }

        // Offline: two more messages arrive.
        await channel.ReceiveTextAsync("wamid.resync.2", from: "919000000003");
        await channel.ReceiveTextAsync("wamid.resync.3", from: "919000000004");
        var updates = _frontend.Services.GetRequiredService<IGrainFactory>().GetGrain<ITenantUpdatesGrain>(owner.TenantId);
        // The owner's own presence changes (offline, then online again) are numbered among the message events.
        await Eventually.Get(() => updates.Since(last), s => s.Updates.Count(u => u.Update is not PresenceChanged) >= 4, TimeSpan.FromSeconds(30), "the offline updates");

        await using var second = await InboxClient.ConnectAsync(_frontend, owner.AccessToken);
        var resync = await second.ResyncAsync(last);

        Assert.False(resync.GetProperty("reload").GetBoolean());
        var events = resync.GetProperty("events").EnumerateArray().ToList();
        var latest = resync.GetProperty("latestSequence").GetInt64();
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => last + i), events.Select(e => e.GetProperty("sequence").GetInt64()));
        // Each message also rescored its lead, announced as LeadChanged among them.
        Assert.Equal(4, events.Count(e => e.GetProperty("type").GetString() is not ("PresenceChanged" or "LeadChanged")));
        Assert.Equal(["wamid.resync.2", "wamid.resync.3"],
            events.Where(e => e.GetProperty("type").GetString() == "MessageReceived").Select(e => e.GetProperty("externalId").GetString()).Order());
        Assert.Equal(last + events.Count, latest);

        var upToDate = await second.ResyncAsync(latest);
        Assert.False(upToDate.GetProperty("reload").GetBoolean());
        Assert.Empty(upToDate.GetProperty("events").EnumerateArray());

        // More updates than the buffer holds push the client's position out of it.
        for (var i = 0; i < TenantUpdatesGrain.BufferCapacity + 10; i++)
        {
            await updates.Publish(new PresenceChanged(owner.TenantId, DateTimeOffset.UtcNow, owner.UserId, AgentPresence.Online));
        }
        var tooOld = await second.ResyncAsync(latest);
        Assert.True(tooOld.GetProperty("reload").GetBoolean());
        Assert.Empty(tooOld.GetProperty("events").EnumerateArray());
        Assert.True(tooOld.GetProperty("latestSequence").GetInt64() >= latest + TenantUpdatesGrain.BufferCapacity);
    }

    [Fact]
    public async Task Many_connections_of_one_tenant_on_one_host_take_a_single_stream_subscription()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var relay = _frontend.Services.GetRequiredService<TenantUpdatesSubscriptions>();
        var before = relay.SubscribeCalls;

        var clients = new List<InboxClient>();
        for (var i = 0; i < 5; i++) clients.Add(await InboxClient.ConnectAsync(_frontend, owner.AccessToken));

        Assert.Equal(before + 1, relay.SubscribeCalls);
        foreach (var client in clients) await client.DisposeAsync();
    }

    [Fact]
    public async Task A_connection_without_a_valid_token_is_refused()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_frontend.BaseAddress, "/hubs/inbox"), HttpTransportType.WebSockets, o => o.AccessTokenProvider = () => Task.FromResult<string?>("not-a-token"))
            .Build();
        await using (connection)
        {
            var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        }
    }
}

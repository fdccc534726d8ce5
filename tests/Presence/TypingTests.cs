using System.Text.Json;
using Flexoraa.Tenants;
using Flexoraa.Tests.Inbox;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Realtime;
using Microsoft.AspNetCore.SignalR.Client;

namespace Flexoraa.Tests.Presence;

/// <summary>
/// "Is typing" over the hub: it reaches the other agents viewing the conversation (never the typist, never another
/// tenant), is throttled per connection, carries when it expires, and cannot be aimed at another tenant's conversation.
/// </summary>
public sealed class TypingTests(PresenceFrontend fixture) : IClassFixture<PresenceFrontend>
{
    private readonly TestFrontend _frontend = fixture.Frontend;

    [Fact]
    public async Task Typing_reaches_another_agent_viewing_the_conversation_but_not_the_typist_nor_another_tenant()
    {
        var (inbox, conversationId) = await ConversationAsync("919830000001");
        var colleague = await TestMembership.JoinAsync(_frontend, inbox.TenantId, TenantRole.Sdr);
        var outsider = await InboxTenant.CreateAsync(_frontend, "Outsider");
        await using var typist = await InboxClient.ConnectAsync(_frontend, inbox.Owner.AccessToken);
        await using var typistsOtherTab = await InboxClient.ConnectAsync(_frontend, inbox.Owner.AccessToken);
        await using var viewer = await InboxClient.ConnectAsync(_frontend, colleague.AccessToken);
        await using var stranger = await InboxClient.ConnectAsync(_frontend, outsider.Owner.AccessToken);
        Assert.True(await typist.OpenConversationAsync(conversationId));
        Assert.True(await typistsOtherTab.OpenConversationAsync(conversationId));
        Assert.True(await viewer.OpenConversationAsync(conversationId));

        Assert.True(await TypingAsync(typist, conversationId, true));

        var (_, typing) = await NextTypingAsync(viewer, true);
        Assert.Equal(inbox.Owner.UserId, typing.GetProperty("userId").GetString());
        Assert.StartsWith("Test ", typing.GetProperty("displayName").GetString());
        Assert.Equal(conversationId, typing.GetProperty("conversationId").GetString());
        var occurredAt = typing.GetProperty("occurredAt").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromSeconds(6), typing.GetProperty("expiresAt").GetDateTimeOffset() - occurredAt);

        Assert.True(await TypingAsync(typist, conversationId, false));
        var (_, stopped) = await NextTypingAsync(viewer, false);
        Assert.Equal(JsonValueKind.Null, stopped.GetProperty("expiresAt").ValueKind);

        await Task.Delay(500);
        Assert.DoesNotContain(typist.Drain(), e => e.Name == "Typing");
        Assert.DoesNotContain(typistsOtherTab.Drain(), e => e.Name == "Typing");
        Assert.DoesNotContain(stranger.Drain(), e => e.Name == "Typing");
    }

    [Fact]
    public async Task Only_agents_who_opened_the_conversation_receive_typing()
    {
        var (inbox, conversationId) = await ConversationAsync("919830000002");
        var colleague = await TestMembership.JoinAsync(_frontend, inbox.TenantId, TenantRole.Admin);
        await using var typist = await InboxClient.ConnectAsync(_frontend, inbox.Owner.AccessToken);
        await using var elsewhere = await InboxClient.ConnectAsync(_frontend, colleague.AccessToken);

        Assert.True(await TypingAsync(typist, conversationId, true));

        await Task.Delay(700);
        Assert.DoesNotContain(elsewhere.Drain(), e => e.Name == "Typing");
    }

    [Fact]
    public async Task Typing_is_throttled_to_one_event_per_connection_within_the_throttle_but_a_stop_always_goes_through()
    {
        var (inbox, conversationId) = await ConversationAsync("919830000003");
        var colleague = await TestMembership.JoinAsync(_frontend, inbox.TenantId, TenantRole.Sdr);
        await using var typist = await InboxClient.ConnectAsync(_frontend, inbox.Owner.AccessToken);
        await using var viewer = await InboxClient.ConnectAsync(_frontend, colleague.AccessToken);
        Assert.True(await viewer.OpenConversationAsync(conversationId));

        for (var i = 0; i < 6; i++) Assert.True(await TypingAsync(typist, conversationId, true));
        Assert.True(await TypingAsync(typist, conversationId, false));

        // Wait for the stop (however long a busy machine takes to deliver it), then a little more for any straggler
        // the throttle should have dropped.
        var typing = new List<bool>();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!typing.Contains(false) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            typing.AddRange(viewer.Drain().Where(e => e.Name == "Typing").Select(e => e.Payload.GetProperty("isTyping").GetBoolean()));
        }
        await Task.Delay(500);
        typing.AddRange(viewer.Drain().Where(e => e.Name == "Typing").Select(e => e.Payload.GetProperty("isTyping").GetBoolean()));
        Assert.Equal([true, false], typing);
    }

    [Fact]
    public async Task Typing_in_another_tenants_conversation_is_refused_and_reaches_nobody()
    {
        var (victim, conversationId) = await ConversationAsync("919830000004");
        var attacker = await TestUser.SignUpAsync(_frontend, company: "Attacker");
        await using var watcher = await InboxClient.ConnectAsync(_frontend, victim.Owner.AccessToken);
        Assert.True(await watcher.OpenConversationAsync(conversationId));
        await using var intruder = await InboxClient.ConnectAsync(_frontend, attacker.AccessToken);

        Assert.False(await TypingAsync(intruder, conversationId, true));
        Assert.False(await TypingAsync(intruder, "cv_doesnotexist", true));

        await Task.Delay(700);
        Assert.DoesNotContain(watcher.Drain(), e => e.Name == "Typing");
    }

    [Fact]
    public async Task A_member_who_cannot_work_conversations_cannot_type()
    {
        var (inbox, conversationId) = await ConversationAsync("919830000005");
        var reader = await TestMembership.JoinAsync(_frontend, inbox.TenantId, TenantRole.Member);
        await using var watcher = await InboxClient.ConnectAsync(_frontend, inbox.Owner.AccessToken);
        Assert.True(await watcher.OpenConversationAsync(conversationId));
        await using var client = await InboxClient.ConnectAsync(_frontend, reader.AccessToken);

        Assert.False(await TypingAsync(client, conversationId, true));
        await Task.Delay(500);
        Assert.DoesNotContain(watcher.Drain(), e => e.Name == "Typing");
    }

    private async Task<(InboxTenant Inbox, string ConversationId)> ConversationAsync(string contact)
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        await inbox.SendAsync(contact, "Hello, anyone there?", DateTimeOffset.UtcNow);
        await inbox.WaitForMessagesAsync();
        return (inbox, inbox.ConversationIdOf(contact));
    }

    private static Task<bool> TypingAsync(InboxClient client, string conversationId, bool isTyping) =>
        client.Connection.InvokeAsync<bool>("Typing", conversationId, isTyping);

    private static Task<(string Name, JsonElement Payload)> NextTypingAsync(InboxClient client, bool isTyping) =>
        client.NextAsync((name, payload) => name == "Typing" && payload.GetProperty("isTyping").GetBoolean() == isTyping, TimeSpan.FromSeconds(10));
}

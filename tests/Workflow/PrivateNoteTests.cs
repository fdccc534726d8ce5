using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tenants;
using Flexoraa.Tests.ChannelAccounts;
using Flexoraa.Tests.Inbox;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Realtime;

namespace Flexoraa.Tests.Workflow;

/// <summary>Private notes: in the conversation's history for agents, never a message to the customer.</summary>
public sealed class PrivateNoteTests(MetaAppFrontend fixture) : IClassFixture<MetaAppFrontend>
{
    private readonly TestFrontend _frontend = fixture.Frontend;

    [Fact]
    public async Task A_note_appears_in_the_history_as_a_note_without_moving_the_preview_or_unread_count()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        await inbox.SendAsync("919830000001", "Can I get a discount?", DateTimeOffset.UtcNow.AddMinutes(-1));
        await inbox.WaitForMessagesAsync();
        var id = inbox.ConversationIdOf("919830000001");

        var created = await inbox.Owner.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/notes", new { body = "Repeat buyer, offer 5% max" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var detail = await inbox.Owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{id}");
        var note = detail.GetProperty("messages").GetProperty("items").EnumerateArray().Single(m => m.GetProperty("direction").GetString() == "note");
        Assert.Equal("Repeat buyer, offer 5% max", note.GetProperty("body").GetString());
        Assert.Equal("Can I get a discount?", detail.GetProperty("conversation").GetProperty("lastMessagePreview").GetString());
        Assert.Equal(1, detail.GetProperty("conversation").GetProperty("unreadCount").GetInt32());
    }

    [Fact]
    public async Task A_note_reaches_the_teams_open_inboxes_live_as_a_message_with_direction_note()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        await inbox.SendAsync("919830000004", "Is COD available?", DateTimeOffset.UtcNow.AddMinutes(-1));
        await inbox.WaitForMessagesAsync();
        var id = inbox.ConversationIdOf("919830000004");
        await using var colleague = await InboxClient.ConnectAsync(_frontend, inbox.Owner.AccessToken);

        var created = await inbox.Owner.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/notes", new { body = "COD only under 5k" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var (_, payload) = await colleague.NextAsync((name, e) => name == "MessageReceived" && e.GetProperty("direction").GetString() == "note");
        Assert.Equal(id, payload.GetProperty("conversationId").GetString());
        Assert.Equal("COD only under 5k", payload.GetProperty("body").GetString());
        Assert.True(payload.GetProperty("sequence").GetInt64() > 0);
    }

    [Fact]
    public async Task An_empty_note_is_400_naming_body_and_another_tenants_conversation_is_404()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        await inbox.SendAsync("919830000002", "hello", DateTimeOffset.UtcNow);
        await inbox.WaitForMessagesAsync();
        var id = inbox.ConversationIdOf("919830000002");
        var stranger = await TestUser.SignUpAsync(_frontend);

        var empty = await inbox.Owner.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/notes", new { body = "  " });
        var foreign = await stranger.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/notes", new { body = "sneaky" });

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.True((await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("body", out _));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        var detail = await inbox.Owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{id}");
        Assert.DoesNotContain(detail.GetProperty("messages").GetProperty("items").EnumerateArray(), m => m.GetProperty("direction").GetString() == "note");
    }

    [Fact]
    public async Task A_member_who_can_only_read_cannot_add_notes()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        await inbox.SendAsync("919830000003", "hello", DateTimeOffset.UtcNow);
        await inbox.WaitForMessagesAsync();
        var member = await TestMembership.JoinAsync(_frontend, inbox.TenantId, TenantRole.Member);

        var response = await member.Http.PostAsJsonAsync($"/api/v1/conversations/{inbox.ConversationIdOf("919830000003")}/notes", new { body = "hi" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}

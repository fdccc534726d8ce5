using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tests.ChannelAccounts;
using Flexoraa.Tests.Inbox;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Team;

namespace Flexoraa.Tests.Workflow;

/// <summary>
/// The SDR rule, for an SDR user and for an <c>sdr</c> API key alike: every write to a conversation assigned to someone
/// else is 403 — note, status, tags, assignment, read and reply — and the same writes to an unassigned one go through.
/// </summary>
public sealed class SdrRuleTests(MetaAppFrontend fixture) : IClassFixture<MetaAppFrontend>
{
    private readonly TestFrontend _frontend = fixture.Frontend;

    [Fact]
    public async Task An_sdr_user_is_refused_every_write_to_a_conversation_assigned_to_someone_else()
    {
        var (inbox, _, owners) = await TwoConversationsAsync("919840000001", "919840000002");
        var sdr = await TeamInvites.JoinAsync(_frontend, inbox.Owner, "sdr");

        var answers = await EveryWriteAsync(sdr.Http, owners, sdr.UserId);

        Assert.All(answers, a => Assert.True(a.Value == HttpStatusCode.Forbidden, $"{a.Key} answered {a.Value}"));
        await AssertNoNoteAsync(inbox, owners);
    }

    [Fact]
    public async Task An_sdr_api_key_is_refused_every_write_to_a_conversation_assigned_to_someone_else()
    {
        var (inbox, _, owners) = await TwoConversationsAsync("919840000011", "919840000012");
        using var key = await SdrKeyAsync(inbox);

        var answers = await EveryWriteAsync(key, owners, inbox.Owner.UserId);

        Assert.All(answers, a => Assert.True(a.Value == HttpStatusCode.Forbidden, $"{a.Key} answered {a.Value}"));
        await AssertNoNoteAsync(inbox, owners);
    }

    [Fact]
    public async Task An_sdr_user_may_write_to_an_unassigned_conversation_and_to_their_own()
    {
        var (inbox, free, _) = await TwoConversationsAsync("919840000021", "919840000022");
        var sdr = await TeamInvites.JoinAsync(_frontend, inbox.Owner, "sdr");

        Assert.Equal(HttpStatusCode.Created, (await NoteAsync(sdr.Http, free)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ConversationWorkflowTests.PatchAsync(sdr.Http, free, new { tags = new[] { "hot" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sdr.Http.PostAsync($"/api/v1/conversations/{free}/read", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ConversationWorkflowTests.PatchAsync(sdr.Http, free, new { assigneeUserId = sdr.UserId })).StatusCode);
        // Now their own.
        Assert.Equal(HttpStatusCode.Created, (await NoteAsync(sdr.Http, free)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ConversationWorkflowTests.PatchAsync(sdr.Http, free, new { status = "pending" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await ReplyAsync(sdr.Http, free)).StatusCode);
    }

    [Fact]
    public async Task An_sdr_api_key_may_write_to_an_unassigned_conversation()
    {
        var (inbox, free, _) = await TwoConversationsAsync("919840000031", "919840000032");
        using var key = await SdrKeyAsync(inbox);

        Assert.Equal(HttpStatusCode.Created, (await NoteAsync(key, free)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ConversationWorkflowTests.PatchAsync(key, free, new { tags = new[] { "hot" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ConversationWorkflowTests.PatchAsync(key, free, new { status = "pending" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await key.PostAsync($"/api/v1/conversations/{free}/read", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await ReplyAsync(key, free)).StatusCode);
    }

    /// <summary>A tenant with an unassigned conversation and one assigned to its Owner.</summary>
    private async Task<(InboxTenant Inbox, string Free, string Owners)> TwoConversationsAsync(string freeContact, string ownersContact)
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        await inbox.SendAsync(freeContact, "anyone there?", DateTimeOffset.UtcNow.AddMinutes(-2));
        await inbox.SendAsync(ownersContact, "for the boss", DateTimeOffset.UtcNow.AddMinutes(-1));
        await inbox.WaitForMessagesAsync();
        var owners = inbox.ConversationIdOf(ownersContact);
        var assigned = await ConversationWorkflowTests.PatchAsync(inbox.Owner.Http, owners, new { assigneeUserId = inbox.Owner.UserId });
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        return (inbox, inbox.ConversationIdOf(freeContact), owners);
    }

    private async Task<HttpClient> SdrKeyAsync(InboxTenant inbox)
    {
        var created = await inbox.Owner.Http.PostAsJsonAsync($"/api/v1/tenants/{inbox.TenantId}/api-keys", new { name = "Dialer", role = "sdr" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var client = _frontend.NewClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString());
        return client;
    }

    private static async Task<Dictionary<string, HttpStatusCode>> EveryWriteAsync(HttpClient http, string conversation, string assignTo) => new()
    {
        ["note"] = (await NoteAsync(http, conversation)).StatusCode,
        ["status"] = (await ConversationWorkflowTests.PatchAsync(http, conversation, new { status = "resolved" })).StatusCode,
        ["tags"] = (await ConversationWorkflowTests.PatchAsync(http, conversation, new { tags = new[] { "mine" } })).StatusCode,
        ["assign"] = (await ConversationWorkflowTests.PatchAsync(http, conversation, new { assigneeUserId = assignTo })).StatusCode,
        ["read"] = (await http.PostAsync($"/api/v1/conversations/{conversation}/read", null)).StatusCode,
        ["reply"] = (await ReplyAsync(http, conversation)).StatusCode,
    };

    private static Task<HttpResponseMessage> NoteAsync(HttpClient http, string conversation) =>
        http.PostAsJsonAsync($"/api/v1/conversations/{conversation}/notes", new { body = "I'll take this one" });

    private static Task<HttpResponseMessage> ReplyAsync(HttpClient http, string conversation) =>
        http.PostAsJsonAsync($"/api/v1/conversations/{conversation}/messages", new { text = "On it." });

    private static async Task AssertNoNoteAsync(InboxTenant inbox, string conversation)
    {
        var detail = await inbox.Owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{conversation}");
        Assert.DoesNotContain(detail.GetProperty("messages").GetProperty("items").EnumerateArray(), m => m.GetProperty("direction").GetString() == "note");
    }
}

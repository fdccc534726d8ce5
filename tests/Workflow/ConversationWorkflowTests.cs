using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tests.ChannelAccounts;
using Flexoraa.Tests.Inbox;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Team;

namespace Flexoraa.Tests.Workflow;

/// <summary>
/// The workflow API over conversations that real signed webhooks created: status and snooze, reopening on a new
/// inbound message, assignment with the SDR rules, tags, mark-read, and that another tenant's conversation is a 404.
/// </summary>
public sealed class ConversationWorkflowTests(MetaAppFrontend fixture) : IClassFixture<MetaAppFrontend>
{
    private readonly TestFrontend _frontend = fixture.Frontend;
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task A_status_change_shows_in_the_status_filter_of_the_list()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        await inbox.SendAsync("919820000001", "Is the sofa in stock?", Now.AddMinutes(-3));
        await inbox.SendAsync("919820000002", "Thanks, all good", Now.AddMinutes(-2));
        await inbox.WaitForMessagesAsync();
        var (sofa, thanks) = (inbox.ConversationIdOf("919820000001"), inbox.ConversationIdOf("919820000002"));

        var resolved = await PatchAsync(inbox.Owner.Http, thanks, new { status = "resolved" });
        var pending = await PatchAsync(inbox.Owner.Http, sofa, new { status = "pending" });

        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal("resolved", (await resolved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, pending.StatusCode);
        Assert.Equal([thanks], await IdsAsync(inbox.Owner.Http, "status=resolved"));
        Assert.Equal([sofa], await IdsAsync(inbox.Owner.Http, "status=pending"));
        Assert.Empty(await IdsAsync(inbox.Owner.Http, "status=open"));
    }

    [Fact]
    public async Task A_new_inbound_message_reopens_a_resolved_and_a_snoozed_conversation()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        await inbox.SendAsync("919820000011", "first question", Now.AddMinutes(-10));
        await inbox.SendAsync("919820000012", "another question", Now.AddMinutes(-9));
        await inbox.WaitForMessagesAsync();
        var (resolved, snoozed) = (inbox.ConversationIdOf("919820000011"), inbox.ConversationIdOf("919820000012"));
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(inbox.Owner.Http, resolved, new { status = "resolved" })).StatusCode);
        var snooze = await PatchAsync(inbox.Owner.Http, snoozed, new { status = "snoozed", snoozeUntil = DateTimeOffset.UtcNow.AddDays(2) });
        Assert.Equal(HttpStatusCode.OK, snooze.StatusCode);
        Assert.NotEqual(JsonValueKind.Null, (await snooze.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("snoozeUntil").ValueKind);
        Assert.Equal([snoozed], await IdsAsync(inbox.Owner.Http, "status=snoozed"));

        await inbox.SendAsync("919820000011", "one more thing", Now.AddMinutes(-1));
        await inbox.SendAsync("919820000012", "hello again", Now);
        await inbox.WaitForMessagesAsync();

        var open = await Eventually.Get(() => IdsAsync(inbox.Owner.Http, "status=open"), ids => ids.Count == 2, TimeSpan.FromSeconds(30), "both reopened");
        Assert.Equal([snoozed, resolved], open);
    }

    [Fact]
    public async Task Bad_values_are_400_naming_the_field_and_change_nothing()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        await inbox.SendAsync("919820000021", "hi", Now);
        await inbox.WaitForMessagesAsync();
        var id = inbox.ConversationIdOf("919820000021");

        await AssertInvalidAsync(inbox, id, new { status = "closed" }, "status");
        await AssertInvalidAsync(inbox, id, new { status = "snoozed" }, "snoozeUntil");
        await AssertInvalidAsync(inbox, id, new { status = "snoozed", snoozeUntil = DateTimeOffset.UtcNow.AddMinutes(-1) }, "snoozeUntil");
        await AssertInvalidAsync(inbox, id, new { status = "open", snoozeUntil = DateTimeOffset.UtcNow.AddHours(1) }, "snoozeUntil");
        await AssertInvalidAsync(inbox, id, new { tags = new[] { new string('x', 33) } }, "tags");
        await AssertInvalidAsync(inbox, id, new { tags = new[] { "  " } }, "tags");
        await AssertInvalidAsync(inbox, id, new { tags = Enumerable.Range(0, 21).Select(i => $"t{i}").ToArray() }, "tags");
        await AssertInvalidAsync(inbox, id, new { assigneeUserId = "us_notamember00000001" }, "assigneeUserId");
        await AssertInvalidAsync(inbox, id, new { }, "body");

        var item = Assert.Single((await GetAsync(inbox.Owner.Http, "/api/v1/conversations")).GetProperty("items").EnumerateArray());
        Assert.Equal("open", item.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("assigneeUserId").ValueKind);
    }

    [Fact]
    public async Task Assigning_and_unassigning_show_in_the_assignee_filters()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        await inbox.SendAsync("919820000031", "hi", Now);
        await inbox.WaitForMessagesAsync();
        var id = inbox.ConversationIdOf("919820000031");

        var assigned = await PatchAsync(inbox.Owner.Http, id, new { assigneeUserId = inbox.Owner.UserId });
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        Assert.Equal(inbox.Owner.UserId, (await assigned.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("assigneeUserId").GetString());
        Assert.Equal([id], await IdsAsync(inbox.Owner.Http, "assignee=me"));
        Assert.Empty(await IdsAsync(inbox.Owner.Http, "assignee=unassigned"));

        var unassigned = await PatchAsync(inbox.Owner.Http, id, new { assigneeUserId = (string?)null });
        Assert.Equal(HttpStatusCode.OK, unassigned.StatusCode);
        Assert.Equal([id], await IdsAsync(inbox.Owner.Http, "assignee=unassigned"));
        Assert.Empty(await IdsAsync(inbox.Owner.Http, "assignee=me"));
    }

    [Fact]
    public async Task An_sdr_works_only_unassigned_conversations_or_their_own_and_assigns_only_themselves()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var sdr = await TeamInvites.JoinAsync(_frontend, inbox.Owner, "sdr");
        var member = await TeamInvites.JoinAsync(_frontend, inbox.Owner, "member");
        await inbox.SendAsync("919820000041", "unassigned one", Now.AddMinutes(-2));
        await inbox.SendAsync("919820000042", "the owner's one", Now.AddMinutes(-1));
        await inbox.WaitForMessagesAsync();
        var (free, owners) = (inbox.ConversationIdOf("919820000041"), inbox.ConversationIdOf("919820000042"));
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(inbox.Owner.Http, owners, new { assigneeUserId = inbox.Owner.UserId })).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await PatchAsync(sdr.Http, free, new { assigneeUserId = inbox.Owner.UserId })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(sdr.Http, free, new { tags = new[] { "lead" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(sdr.Http, free, new { assigneeUserId = sdr.UserId, status = "pending" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(sdr.Http, free, new { status = "resolved" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PatchAsync(sdr.Http, owners, new { status = "resolved" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PatchAsync(sdr.Http, owners, new { assigneeUserId = sdr.UserId })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sdr.Http.PostAsync($"/api/v1/conversations/{owners}/read", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PatchAsync(member.Http, free, new { status = "open" })).StatusCode);

        Assert.Equal([free], await IdsAsync(sdr.Http, "assignee=me"));
        Assert.Equal([owners], await IdsAsync(inbox.Owner.Http, "status=open"));
        // An owner or admin may assign anyone, including taking the SDR's conversation back.
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(inbox.Owner.Http, free, new { assigneeUserId = inbox.Owner.UserId })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PatchAsync(sdr.Http, free, new { status = "open" })).StatusCode);
    }

    [Fact]
    public async Task Tags_are_trimmed_lower_cased_deduplicated_and_filterable()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        await inbox.SendAsync("919820000051", "hi", Now.AddMinutes(-1));
        await inbox.SendAsync("919820000052", "hello", Now);
        await inbox.WaitForMessagesAsync();
        var id = inbox.ConversationIdOf("919820000051");

        var response = await PatchAsync(inbox.Owner.Http, id, new { tags = new[] { " VIP ", "Billing", "vip" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tags = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Equal(["vip", "billing"], tags);
        Assert.Equal([id], await IdsAsync(inbox.Owner.Http, "tag=vip"));
        Assert.Equal([id], await IdsAsync(inbox.Owner.Http, "tag=billing"));
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(inbox.Owner.Http, id, new { tags = Array.Empty<string>() })).StatusCode);
        Assert.Empty(await IdsAsync(inbox.Owner.Http, "tag=vip"));
    }

    [Fact]
    public async Task Mark_read_zeroes_the_unread_count()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        await inbox.SendAsync("919820000061", "one", Now.AddMinutes(-2));
        await inbox.SendAsync("919820000061", "two", Now.AddMinutes(-1));
        await inbox.WaitForMessagesAsync();
        var id = inbox.ConversationIdOf("919820000061");
        Assert.Equal([id], await IdsAsync(inbox.Owner.Http, "unread=true"));

        var response = await inbox.Owner.Http.PostAsync($"/api/v1/conversations/{id}/read", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("unreadCount").GetInt32());
        Assert.Empty(await IdsAsync(inbox.Owner.Http, "unread=true"));
        var item = Assert.Single((await GetAsync(inbox.Owner.Http, "/api/v1/conversations")).GetProperty("items").EnumerateArray());
        Assert.Equal(0, item.GetProperty("unreadCount").GetInt32());
    }

    [Fact]
    public async Task Another_tenants_conversation_or_a_made_up_id_is_404_and_stays_unchanged()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var other = await InboxTenant.CreateAsync(_frontend, "Other Traders");
        await inbox.SendAsync("919820000071", "mine", Now);
        await inbox.WaitForMessagesAsync();
        var id = inbox.ConversationIdOf("919820000071");

        Assert.Equal(HttpStatusCode.NotFound, (await PatchAsync(other.Owner.Http, id, new { status = "resolved" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Owner.Http.PostAsync($"/api/v1/conversations/{id}/read", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PatchAsync(inbox.Owner.Http, "cv_notreal", new { status = "resolved" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PatchAsync(inbox.Owner.Http, other.ConversationIdOf("919820000071"), new { status = "resolved" })).StatusCode);
        Assert.Equal([id], await IdsAsync(inbox.Owner.Http, "status=open&unread=true"));
    }

    private static async Task AssertInvalidAsync(InboxTenant inbox, string id, object body, string field)
    {
        var response = await PatchAsync(inbox.Owner.Http, id, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error on {field}: {problem}");
    }

    internal static Task<HttpResponseMessage> PatchAsync(HttpClient http, string conversationId, object body) =>
        http.PatchAsJsonAsync($"/api/v1/conversations/{conversationId}", body);

    internal static async Task<List<string?>> IdsAsync(HttpClient http, string query) =>
        (await GetAsync(http, "/api/v1/conversations?" + query)).GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();

    private static async Task<JsonElement> GetAsync(HttpClient http, string url)
    {
        var response = await http.GetAsync(url);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"{url}: {response.StatusCode} {body}");
        return body;
    }
}

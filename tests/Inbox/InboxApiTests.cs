using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tenants;
using Flexoraa.Tests.ChannelAccounts;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Inbox;

/// <summary>
/// The inbox read API over conversations that real signed webhooks created: list order, filters and paging, one
/// conversation's messages paged backwards, full-text search, and that no tenant ever sees another's inbox.
/// </summary>
public sealed class InboxApiTests(MetaAppFrontend fixture) : IClassFixture<MetaAppFrontend>
{
    private readonly TestFrontend _frontend = fixture.Frontend;
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task Conversations_come_newest_activity_first_and_small_pages_cover_them_all_without_gaps_or_duplicates()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var hoursAgo = new[] { 5, 1, 7, 3, 2, 6, 4 };
        foreach (var h in hoursAgo) await inbox.SendAsync($"91980000{h:0000}", $"message {h} hours ago", Now.AddHours(-h));
        await inbox.WaitForMessagesAsync();

        var seen = new List<JsonElement>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await GetAsync(inbox.Owner, "/api/v1/conversations?limit=3" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        var expected = hoursAgo.Order().Select(h => inbox.ConversationIdOf($"91980000{h:0000}")).ToList();
        Assert.Equal(expected, seen.Select(c => c.GetProperty("id").GetString()!).ToList());
        var first = seen[0];
        Assert.Equal("whatsapp", first.GetProperty("channel").GetString());
        Assert.Equal(inbox.ChannelAccountId, first.GetProperty("channelAccountId").GetString());
        Assert.Equal("Kerry Fisher", first.GetProperty("contact").GetProperty("name").GetString());
        Assert.Equal("919800000001", first.GetProperty("contact").GetProperty("id").GetString());
        Assert.Equal("message 1 hours ago", first.GetProperty("lastMessagePreview").GetString());
        Assert.Equal(1, first.GetProperty("unreadCount").GetInt32());
        Assert.Equal("open", first.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Array, first.GetProperty("tags").ValueKind);
    }

    [Fact]
    public async Task Each_filter_narrows_the_list_to_the_conversations_it_names()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        await inbox.SendAsync("919811110001", "Do you deliver sofas to Bengaluru?", Now.AddMinutes(-40), name: "Asha Rao");
        await inbox.SendAsync("919811110002", "What are your opening hours", Now.AddMinutes(-30), name: "Vikram Iyer");
        await inbox.SendAsync("919811110003", "Need an invoice please", Now.AddMinutes(-20), name: "Meena Das");
        await inbox.WaitForMessagesAsync();
        await inbox.UpdateAsync("919811110001", "status = 'resolved', unread_count = 0");
        await inbox.UpdateAsync("919811110002", "assignee_user_id = @user, tags = ARRAY['vip','billing']", ("user", inbox.Owner.UserId));
        await inbox.UpdateAsync("919811110003", "assignee_user_id = 'us_someoneelse000001', status = 'snoozed'");
        var (sofas, hours, invoice) = (inbox.ConversationIdOf("919811110001"), inbox.ConversationIdOf("919811110002"), inbox.ConversationIdOf("919811110003"));

        async Task<List<string?>> Ids(string query) =>
            (await GetAsync(inbox.Owner, "/api/v1/conversations?" + query)).GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();

        Assert.Equal([sofas], await Ids("status=resolved"));
        Assert.Equal([hours], await Ids("status=open"));
        Assert.Equal([sofas], await Ids("unread=false"));
        Assert.Equal([invoice, hours], await Ids("unread=true"));
        Assert.Equal([sofas], await Ids("assignee=unassigned"));
        Assert.Equal([hours], await Ids("assignee=me"));
        Assert.Equal([invoice], await Ids("assignee=us_someoneelse000001"));
        Assert.Equal([hours], await Ids("tag=vip"));
        Assert.Empty(await Ids("tag=nope"));
        Assert.Equal([invoice, hours, sofas], await Ids("channel=whatsapp"));
        Assert.Empty(await Ids("channel=messenger"));
        Assert.Equal([invoice, hours, sofas], await Ids("channelAccountId=" + inbox.ChannelAccountId));
        Assert.Empty(await Ids("channelAccountId=ch_notmine"));
        Assert.Equal([sofas], await Ids("q=bengaluru"));
        Assert.Equal([sofas], await Ids("q=" + Uri.EscapeDataString("deliver sofas")));
        Assert.Equal([hours], await Ids("q=vikram"));
        Assert.Empty(await Ids("q=%25"));
        Assert.Equal([hours], await Ids("status=open&assignee=me&tag=billing&unread=true"));

        var hoursItem = (await GetAsync(inbox.Owner, "/api/v1/conversations?tag=vip")).GetProperty("items")[0];
        Assert.Equal(["vip", "billing"], hoursItem.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray());
        Assert.Equal(inbox.Owner.UserId, hoursItem.GetProperty("assigneeUserId").GetString());
    }

    [Fact]
    public async Task The_window_is_open_until_24_hours_after_the_last_inbound_message()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var recent = Now.AddHours(-3);
        var old = Now.AddHours(-30);
        await inbox.SendAsync("919822220001", "recent", recent);
        await inbox.SendAsync("919822220002", "old", old);
        await inbox.WaitForMessagesAsync();

        var items = (await GetAsync(inbox.Owner, "/api/v1/conversations")).GetProperty("items").EnumerateArray().ToList();

        var open = items.Single(c => c.GetProperty("id").GetString() == inbox.ConversationIdOf("919822220001")).GetProperty("window");
        var closed = items.Single(c => c.GetProperty("id").GetString() == inbox.ConversationIdOf("919822220002")).GetProperty("window");
        Assert.True(open.GetProperty("open").GetBoolean());
        Assert.Equal(recent.AddHours(24).ToUnixTimeSeconds(), open.GetProperty("expiresAt").GetDateTimeOffset().ToUnixTimeSeconds());
        Assert.False(closed.GetProperty("open").GetBoolean());
        Assert.Equal(old.AddHours(24).ToUnixTimeSeconds(), closed.GetProperty("expiresAt").GetDateTimeOffset().ToUnixTimeSeconds());
    }

    [Fact]
    public async Task One_conversation_pages_its_messages_backwards_with_their_delivery_status()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        const string contact = "919833330001";
        for (var i = 1; i <= 5; i++) await inbox.SendAsync(contact, $"line {i}", Now.AddMinutes(-60 + i), messageId: $"wamid.line.{inbox.TenantId}.{i}");
        await inbox.SendAsync("919833330002", "another conversation", Now);
        await inbox.WaitForMessagesAsync();
        await OwnerSql.ExecuteAsync(_frontend,
            "INSERT INTO message_statuses (tenant_id, channel, external_id, status, status_rank, error_code, error_title, occurred_at) " +
            "VALUES (@t, 'whatsapp', @x, 'failed', 4, 131047, 'Re-engagement message', now())", ("t", inbox.TenantId), ("x", $"wamid.line.{inbox.TenantId}.4"));
        var id = inbox.ConversationIdOf(contact);

        var bodies = new List<string?>();
        string? before = null;
        JsonElement first = default;
        do
        {
            var page = await GetAsync(inbox.Owner, $"/api/v1/conversations/{id}?limit=2" + (before is null ? "" : "&before=" + before));
            if (before is null) first = page;
            var messages = page.GetProperty("messages");
            bodies.AddRange(messages.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("body").GetString()));
            before = messages.GetProperty("nextCursor").GetString();
        }
        while (before is not null);

        Assert.Equal(["line 5", "line 4", "line 3", "line 2", "line 1"], bodies);
        Assert.Equal(id, first.GetProperty("conversation").GetProperty("id").GetString());
        Assert.Equal("line 5", first.GetProperty("conversation").GetProperty("lastMessagePreview").GetString());
        var newest = first.GetProperty("messages").GetProperty("items")[0];
        Assert.Equal("inbound", newest.GetProperty("direction").GetString());
        Assert.Equal("text", newest.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Array, newest.GetProperty("attachments").ValueKind);
        Assert.Equal(JsonValueKind.Null, newest.GetProperty("status").ValueKind);
        var failed = first.GetProperty("messages").GetProperty("items")[1].GetProperty("status");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal(131047, failed.GetProperty("errorCode").GetInt32());
        Assert.Equal("Re-engagement message", failed.GetProperty("errorTitle").GetString());
    }

    [Fact]
    public async Task Search_ranks_better_matches_first_highlights_them_and_pages_without_repeats()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        await inbox.SendAsync("919844440001", "The sofa arrived, thanks", Now.AddMinutes(-30));
        await inbox.SendAsync("919844440002", "sofa sofa sofa: which sofa fits a small room?", Now.AddMinutes(-20));
        await inbox.SendAsync("919844440003", "Is the <b>sofa</b> & chair set in stock?", Now.AddMinutes(-10));
        await inbox.SendAsync("919844440003", "Nothing relevant here", Now.AddMinutes(-5));
        await inbox.WaitForMessagesAsync();

        var all = await GetAsync(inbox.Owner, "/api/v1/search/messages?q=sofa");
        var hits = all.GetProperty("items").EnumerateArray().ToList();

        Assert.Equal(3, hits.Count);
        Assert.Equal(inbox.ConversationIdOf("919844440002"), hits[0].GetProperty("conversationId").GetString());
        Assert.True(hits[0].GetProperty("rank").GetSingle() > hits[1].GetProperty("rank").GetSingle());
        Assert.Contains("<mark>sofa</mark>", hits[0].GetProperty("snippet").GetString(), StringComparison.Ordinal);
        Assert.Equal("sofa sofa sofa: which sofa fits a small room?", hits[0].GetProperty("message").GetProperty("body").GetString());
        var escaped = hits.Single(h => h.GetProperty("message").GetProperty("body").GetString()!.Contains("<b>", StringComparison.Ordinal)).GetProperty("snippet").GetString()!;
        Assert.DoesNotContain("<b>", escaped, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;", escaped, StringComparison.Ordinal);
        Assert.Contains("&amp;", escaped, StringComparison.Ordinal);
        Assert.Contains("<mark>sofa</mark>", escaped, StringComparison.Ordinal);

        var paged = new List<long>();
        string? cursor = null;
        do
        {
            var page = await GetAsync(inbox.Owner, "/api/v1/search/messages?q=sofa&limit=1" + (cursor is null ? "" : "&cursor=" + cursor));
            paged.AddRange(page.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("message").GetProperty("id").GetInt64()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        Assert.Equal(hits.Select(h => h.GetProperty("message").GetProperty("id").GetInt64()).ToList(), paged);

        Assert.Empty((await GetAsync(inbox.Owner, "/api/v1/search/messages?q=" + Uri.EscapeDataString("sofa -stock -room -arrived"))).GetProperty("items").EnumerateArray());
        Assert.Single((await GetAsync(inbox.Owner, "/api/v1/search/messages?q=" + Uri.EscapeDataString("\"small room\""))).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Another_tenant_sees_none_of_the_conversations_messages_or_search_hits_and_gets_404_on_their_ids()
    {
        var victim = await InboxTenant.CreateAsync(_frontend, "Victim Sofas");
        await victim.SendAsync("919855550001", "secret sofa order", Now.AddMinutes(-5));
        await victim.WaitForMessagesAsync();
        var attacker = await InboxTenant.CreateAsync(_frontend, "Attacker Co");
        var victimConversation = victim.ConversationIdOf("919855550001");

        Assert.Single((await GetAsync(victim.Owner, "/api/v1/conversations")).GetProperty("items").EnumerateArray());
        Assert.Empty((await GetAsync(attacker.Owner, "/api/v1/conversations")).GetProperty("items").EnumerateArray());
        Assert.Empty((await GetAsync(attacker.Owner, "/api/v1/conversations?q=sofa")).GetProperty("items").EnumerateArray());
        Assert.Empty((await GetAsync(attacker.Owner, "/api/v1/search/messages?q=sofa")).GetProperty("items").EnumerateArray());
        var probe = await attacker.Owner.Http.GetAsync($"/api/v1/conversations/{victimConversation}");
        Assert.Equal(HttpStatusCode.NotFound, probe.StatusCode);
        Assert.DoesNotContain("sofa", await probe.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await victim.Owner.Http.GetAsync($"/api/v1/conversations/{victimConversation}")).StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/conversations?status=closed", "status")]
    [InlineData("/api/v1/conversations?channel=sms", "channel")]
    [InlineData("/api/v1/conversations?unread=maybe", "unread")]
    [InlineData("/api/v1/conversations?assignee=", "assignee")]
    [InlineData("/api/v1/conversations?tag=", "tag")]
    [InlineData("/api/v1/conversations?channelAccountId=", "channelAccountId")]
    [InlineData("/api/v1/conversations?cursor=not-a-cursor", "cursor")]
    [InlineData("/api/v1/conversations?limit=0", "limit")]
    [InlineData("/api/v1/conversations/cv_aaaaaaaaaaaaaaaaaaaa?before=garbage", "before")]
    [InlineData("/api/v1/search/messages", "q")]
    [InlineData("/api/v1/search/messages?q=%20%20", "q")]
    [InlineData("/api/v1/search/messages?q=sofa&cursor=xyz", "cursor")]
    public async Task Bad_values_are_400_naming_the_field(string url, string field)
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);

        var response = await inbox.Owner.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_query_longer_than_200_characters_is_400_naming_q()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);

        foreach (var url in new[] { "/api/v1/search/messages?q=", "/api/v1/conversations?q=" })
        {
            var response = await inbox.Owner.Http.GetAsync(url + new string('a', 201));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("q", out _));
        }
        Assert.Equal(HttpStatusCode.OK, (await inbox.Owner.Http.GetAsync("/api/v1/search/messages?q=" + new string('a', 200))).StatusCode);
    }

    [Theory]
    [InlineData("cv_aaaaaaaaaaaaaaaaaaaa")]
    [InlineData("not-a-conversation")]
    [InlineData("cv_AAAAAAAAAAAAAAAAAAAA")]
    [InlineData("cv_aaaaaaaaaaaaaaaaaaa")]
    public async Task An_unknown_or_malformed_conversation_id_is_404(string id)
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);

        Assert.Equal(HttpStatusCode.NotFound, (await inbox.Owner.Http.GetAsync($"/api/v1/conversations/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_member_can_read_the_inbox_and_search_it()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        await inbox.SendAsync("919866660001", "member visible sofa", Now.AddMinutes(-1));
        await inbox.WaitForMessagesAsync();
        var member = await TestMembership.JoinAsync(_frontend, inbox.TenantId, TenantRole.Member);

        Assert.Single((await GetAsync(member, "/api/v1/conversations")).GetProperty("items").EnumerateArray());
        Assert.Single((await GetAsync(member, "/api/v1/search/messages?q=sofa")).GetProperty("items").EnumerateArray());
        var detail = await GetAsync(member, $"/api/v1/conversations/{inbox.ConversationIdOf("919866660001")}");
        Assert.Single(detail.GetProperty("messages").GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.Unauthorized, (await _frontend.NewClient().GetAsync("/api/v1/conversations")).StatusCode);
    }

    private static async Task<JsonElement> GetAsync(TestUser user, string url)
    {
        var response = await user.Http.GetAsync(url);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} answered {(int)response.StatusCode}: {body}");
        return body;
    }
}

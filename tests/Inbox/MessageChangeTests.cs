using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Flexoraa.Channels.Meta;
using Flexoraa.Conversations;
using Flexoraa.Tests.ChannelAccounts;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Webhooks;

namespace Flexoraa.Tests.Inbox;

/// <summary>
/// Reactions, edits and deletions (issue 12 item 1), posted in Meta's shapes (reference C.2 and C.5) through the signed
/// webhooks and read back through the REST API: they change the message they target instead of being rows of their own,
/// in webhook order, also when they arrive before that message.
/// </summary>
public sealed class MessageChangeTests(MetaAppFrontend fixture) : IClassFixture<MetaAppFrontend>
{
    private readonly TestFrontend _frontend = fixture.Frontend;

    [Fact]
    public async Task A_whatsapp_reaction_is_shown_on_the_message_it_reacts_to_as_one_per_person_and_is_not_a_row_of_its_own()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var contact = NewContact();
        var ts = Now();
        var target = NewWamid();
        await PostWhatsAppAsync(inbox, contact, Text(contact, target, ts, "Do you ship to Pune?"));
        await MessagesAsync(inbox, contact, m => m.Count == 1, "the message");

        await PostWhatsAppAsync(inbox, contact, Reaction(contact, NewWamid(), ts + 5, target, "\"emoji\":\"👍\""));
        await PostWhatsAppAsync(inbox, contact, Reaction(contact, NewWamid(), ts + 9, target, "\"emoji\":\"❤️\""));

        var messages = await MessagesAsync(inbox, contact, m => Reactions(m[0]).FirstOrDefault().Emoji == "❤️", "the second reaction on the message");
        var only = Assert.Single(messages);
        Assert.Equal(target, only.GetProperty("externalId").GetString());
        var reaction = Assert.Single(Reactions(only));
        Assert.Equal((contact, "❤️"), (reaction.By, reaction.Emoji));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(ts + 9), only.GetProperty("reactions")[0].GetProperty("at").GetDateTimeOffset());
        Assert.Empty(await OwnerSql.QueryAsync(_frontend, "SELECT 1 FROM messages WHERE tenant_id = @t AND kind = 'reaction'", ("t", inbox.TenantId)));
    }

    [Fact]
    public async Task A_whatsapp_react_then_unreact_with_the_same_timestamp_leaves_no_reaction()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var contact = NewContact();
        var ts = Now();
        var target = NewWamid();
        await PostWhatsAppAsync(inbox, contact, Text(contact, target, ts, "Is it in stock?"));
        await MessagesAsync(inbox, contact, m => m.Count == 1, "the message");

        // One webhook, as Meta batches them: the reaction, then its removal (no emoji), both at the same second.
        await PostWhatsAppAsync(inbox, contact,
            Reaction(contact, NewWamid(), ts + 3, target, "\"emoji\":\"👍\""),
            Reaction(contact, NewWamid(), ts + 3, target, null));
        var marker = NewWamid();
        await PostWhatsAppAsync(inbox, contact, Text(contact, marker, ts + 4, "after the reactions"));

        var messages = await MessagesAsync(inbox, contact, m => m.Count == 2, "the marker after the reactions");
        Assert.Empty(Reactions(messages.Single(m => m.GetProperty("externalId").GetString() == target)));
        var stored = await OwnerSql.QueryAsync(_frontend, "SELECT reactions::text AS r FROM messages WHERE tenant_id = @t AND external_id = @e", ("t", inbox.TenantId), ("e", target));
        Assert.Contains("\"emoji\": null", (string)stored[0]["r"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_messenger_react_then_unreact_with_the_same_timestamp_leaves_no_reaction()
    {
        var (owner, pageId) = await ConnectAsync("messenger");
        var psid = "PSID" + Random.Shared.NextInt64(1_000_000, 9_999_999);
        var mid = "m_" + Guid.NewGuid().ToString("N");
        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await PostMessagingAsync("messenger", "page", pageId, at, $$$"""{"sender":{"id":"{{{psid}}}"},"recipient":{"id":"{{{pageId}}}"},"timestamp":{{{at}}},"message":{"mid":"{{{mid}}}","text":"Blue one?"}}""");
        await ConversationMessagesAsync(owner, pageId, psid, m => m.Count == 1, "the message");
        await PostMessagingAsync("messenger", "page", pageId, at + 5,
            $$$"""{"sender":{"id":"{{{psid}}}"},"recipient":{"id":"{{{pageId}}}"},"timestamp":{{{at + 5}}},"reaction":{"reaction":"like","emoji":"\ud83d\udc4d","action":"react","mid":"{{{mid}}}"}}""");
        Assert.Equal((psid, "👍"), Assert.Single(Reactions(Assert.Single(
            await ConversationMessagesAsync(owner, pageId, psid, m => Reactions(m[0]).Count == 1, "the first reaction")))));

        await PostMessagingAsync("messenger", "page", pageId, at + 10,
            $$$"""{"sender":{"id":"{{{psid}}}"},"recipient":{"id":"{{{pageId}}}"},"timestamp":{{{at + 10}}},"reaction":{"reaction":"love","emoji":"\u2764\ufe0f","action":"react","mid":"{{{mid}}}"}}""",
            $$$"""{"sender":{"id":"{{{psid}}}"},"recipient":{"id":"{{{pageId}}}"},"timestamp":{{{at + 10}}},"reaction":{"action":"unreact","mid":"{{{mid}}}"}}""");
        var marker = "m_" + Guid.NewGuid().ToString("N");
        await PostMessagingAsync("messenger", "page", pageId, at + 20,
            $$$"""{"sender":{"id":"{{{psid}}}"},"recipient":{"id":"{{{pageId}}}"},"timestamp":{{{at + 20}}},"message":{"mid":"{{{marker}}}","text":"after the reactions"}}""");

        var messages = await ConversationMessagesAsync(owner, pageId, psid, m => m.Count == 2, "the marker after the reactions");
        Assert.Empty(Reactions(messages.Single(m => m.GetProperty("externalId").GetString() == mid)));
    }

    [Fact]
    public async Task A_reaction_that_arrives_before_its_message_is_applied_when_the_message_arrives()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var contact = NewContact();
        var ts = Now();
        var target = NewWamid();

        await PostWhatsAppAsync(inbox, contact, Reaction(contact, NewWamid(), ts + 2, target, "\"emoji\":\"🙏\""));
        await Eventually.Get(() => PendingAsync(inbox.TenantId, target), n => n == 1, TimeSpan.FromSeconds(30), "the pending reaction");
        Assert.Empty(await OwnerSql.QueryAsync(_frontend, "SELECT 1 FROM messages WHERE tenant_id = @t", ("t", inbox.TenantId)));

        await PostWhatsAppAsync(inbox, contact, Text(contact, target, ts, "Thanks!"));

        var messages = await MessagesAsync(inbox, contact, m => m.Count == 1 && Reactions(m[0]).Count == 1, "the message with its reaction");
        Assert.Equal((contact, "🙏"), Assert.Single(Reactions(messages[0])));
        Assert.Equal(0, await PendingAsync(inbox.TenantId, target));
    }

    [Fact]
    public async Task A_whatsapp_revoke_marks_the_message_deleted_hides_its_body_and_media_keeps_them_stored_and_search_no_longer_finds_it()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var contact = NewContact();
        var ts = Now();
        var target = NewWamid();
        var word = "Revokable" + Random.Shared.Next(1000, 9999);
        await PostWhatsAppAsync(inbox, contact,
            $$$"""{"from":"{{{contact}}}","id":"{{{target}}}","timestamp":"{{{ts}}}","type":"image","image":{"caption":"{{{word}}} photo","mime_type":"image/jpeg","sha256":"abc","id":"1479537139650973"}}""");
        await MessagesAsync(inbox, contact, m => m.Count == 1, "the image");
        Assert.Single(await SearchAsync(inbox.Owner, word));

        await PostWhatsAppAsync(inbox, contact, $$$"""{"from":"{{{contact}}}","id":"{{{NewWamid()}}}","timestamp":"{{{ts + 30}}}","type":"revoke","revoke":{"original_message_id":"{{{target}}}"}}""");

        var message = Assert.Single(await MessagesAsync(inbox, contact, m => m[0].GetProperty("deleted").GetBoolean(), "the deletion"));
        Assert.Equal(JsonValueKind.Null, message.GetProperty("body").ValueKind);
        Assert.Equal(0, message.GetProperty("attachments").GetArrayLength());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(ts + 30), message.GetProperty("deletedAt").GetDateTimeOffset());
        var single = await GetAsync(inbox.Owner, $"/api/v1/conversations/{inbox.ConversationIdOf(contact)}/messages/{message.GetProperty("id").GetInt64()}");
        Assert.True(single.GetProperty("deleted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, single.GetProperty("body").ValueKind);
        Assert.Empty(await SearchAsync(inbox.Owner, word));
        // Kept for audit and retention rules.
        var stored = await OwnerSql.QueryAsync(_frontend, "SELECT body, jsonb_array_length(attachments) AS n FROM messages WHERE tenant_id = @t AND external_id = @e",
            ("t", inbox.TenantId), ("e", target));
        Assert.Equal($"{word} photo", stored[0]["body"]);
        Assert.Equal(1, stored[0]["n"]);
    }

    [Fact]
    public async Task An_instagram_is_deleted_message_marks_the_original_deleted_and_hides_its_text()
    {
        var (owner, accountId) = await ConnectAsync("instagram");
        var igsid = "IGSID" + Random.Shared.NextInt64(1_000_000, 9_999_999);
        var mid = "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx" + Guid.NewGuid().ToString("N");
        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await PostMessagingAsync("instagram", "instagram", accountId, at,
            $$$"""{"sender":{"id":"{{{igsid}}}"},"recipient":{"id":"{{{accountId}}}"},"timestamp":{{{at}}},"message":{"mid":"{{{mid}}}","text":"oops wrong chat"}}""");
        await ConversationMessagesAsync(owner, accountId, igsid, m => m.Count == 1, "the message");

        await PostMessagingAsync("instagram", "instagram", accountId, at + 5000,
            $$$"""{"sender":{"id":"{{{igsid}}}"},"recipient":{"id":"{{{accountId}}}"},"timestamp":{{{at + 5000}}},"message":{"mid":"{{{mid}}}","is_deleted":true}}""");

        var message = Assert.Single(await ConversationMessagesAsync(owner, accountId, igsid, m => m[0].GetProperty("deleted").GetBoolean(), "the deletion"));
        Assert.Equal(mid, message.GetProperty("externalId").GetString());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("body").ValueKind);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(at + 5000), message.GetProperty("deletedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_whatsapp_edit_replaces_the_text_keeps_the_previous_version_marks_it_edited_and_search_finds_the_new_text()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var contact = NewContact();
        var ts = Now();
        var target = NewWamid();
        var edit = NewWamid();
        await PostWhatsAppAsync(inbox, contact, Text(contact, target, ts, "Delivery to Pnue please"));
        await MessagesAsync(inbox, contact, m => m.Count == 1, "the message");

        var editBody = $$$$$"""{"from":"{{{{{contact}}}}}","id":"{{{{{edit}}}}}","timestamp":"{{{{{ts + 60}}}}}","type":"edit","edit":{"original_message_id":"{{{{{target}}}}}","message":{"context":{"id":"M0"},"type":"text","text":{"body":"Delivery to Pune please"}}}}""";
        await PostWhatsAppAsync(inbox, contact, editBody);
        // Meta delivers at least once: the redelivered edit must not add a second version.
        await PostWhatsAppAsync(inbox, contact, editBody);

        var message = Assert.Single(await MessagesAsync(inbox, contact, m => m[0].GetProperty("edited").GetBoolean(), "the edit"));
        Assert.Equal("Delivery to Pune please", message.GetProperty("body").GetString());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(ts + 60), message.GetProperty("editedAt").GetDateTimeOffset());
        var version = Assert.Single(message.GetProperty("previousVersions").EnumerateArray());
        Assert.Equal("Delivery to Pnue please", version.GetProperty("body").GetString());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(ts), version.GetProperty("at").GetDateTimeOffset());
        Assert.Single(await SearchAsync(inbox.Owner, "Pune"));
        Assert.Empty(await SearchAsync(inbox.Owner, "Pnue"));
    }

    [Fact]
    public async Task An_edit_that_arrives_before_its_original_is_applied_when_the_original_arrives()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var contact = NewContact();
        var ts = Now();
        var target = NewWamid();
        await PostWhatsAppAsync(inbox, contact,
            $$$$$"""{"from":"{{{{{contact}}}}}","id":"{{{{{NewWamid()}}}}}","timestamp":"{{{{{ts + 60}}}}}","type":"edit","edit":{"original_message_id":"{{{{{target}}}}}","message":{"type":"text","text":{"body":"second thoughts"}}}}""");
        await Eventually.Get(() => PendingAsync(inbox.TenantId, target), n => n == 1, TimeSpan.FromSeconds(30), "the pending edit");

        await PostWhatsAppAsync(inbox, contact, Text(contact, target, ts, "first thoughts"));

        var message = Assert.Single(await MessagesAsync(inbox, contact, m => m.Count == 1 && m[0].GetProperty("edited").GetBoolean(), "the original with its edit"));
        Assert.Equal("second thoughts", message.GetProperty("body").GetString());
        Assert.Equal("first thoughts", message.GetProperty("previousVersions")[0].GetProperty("body").GetString());
    }

    [Fact]
    public async Task A_messenger_message_edit_replaces_the_text_and_keeps_each_previous_version_in_order()
    {
        var (owner, pageId) = await ConnectAsync("messenger");
        var psid = "PSID" + Random.Shared.NextInt64(1_000_000, 9_999_999);
        var mid = "m_" + Guid.NewGuid().ToString("N");
        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await PostMessagingAsync("messenger", "page", pageId, at, $$$"""{"sender":{"id":"{{{psid}}}"},"recipient":{"id":"{{{pageId}}}"},"timestamp":{{{at}}},"message":{"mid":"{{{mid}}}","text":"one"}}""");
        await ConversationMessagesAsync(owner, pageId, psid, m => m.Count == 1, "the message");

        await PostMessagingAsync("messenger", "page", pageId, at + 1000,
            $$$"""{"sender":{"id":"{{{psid}}}"},"recipient":{"id":"{{{pageId}}}"},"timestamp":{{{at + 1000}}},"message_edit":{"mid":"{{{mid}}}","text":"two","num_edit":1}}""");
        await PostMessagingAsync("messenger", "page", pageId, at + 2000,
            $$$"""{"sender":{"id":"{{{psid}}}"},"recipient":{"id":"{{{pageId}}}"},"timestamp":{{{at + 2000}}},"message_edit":{"mid":"{{{mid}}}","text":"three","num_edit":2}}""");

        var message = Assert.Single(await ConversationMessagesAsync(owner, pageId, psid, m => m[0].GetProperty("body").GetString() == "three", "both edits"));
        Assert.True(message.GetProperty("edited").GetBoolean());
        Assert.Equal(["one", "two"], message.GetProperty("previousVersions").EnumerateArray().Select(v => v.GetProperty("body").GetString()));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(at + 2000), message.GetProperty("editedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_whatsapp_unsupported_edit_without_an_original_shows_that_the_customer_edited_a_message()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var contact = NewContact();
        var id = NewWamid();
        await PostWhatsAppAsync(inbox, contact,
            $$$"""{"from":"{{{contact}}}","id":"{{{id}}}","timestamp":"{{{Now()}}}","type":"unsupported","unsupported":{"type":"edit"},"errors":[{"code":131051,"title":"Message type unknown","message":"Message type unknown","error_data":{"details":"Message type is currently not supported."}}]}""");

        var message = Assert.Single(await MessagesAsync(inbox, contact, m => m.Count == 1, "the notice"));
        Assert.Equal("unsupported", message.GetProperty("kind").GetString());
        Assert.Equal("the customer edited a message", message.GetProperty("body").GetString());
        Assert.StartsWith("the customer edited a message", message.GetProperty("content").GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal(131051, message.GetProperty("content").GetProperty("unsupported").GetProperty("errorCode").GetInt32());
        Assert.False(message.GetProperty("edited").GetBoolean());
    }

    private static string NewContact() => "9197" + Random.Shared.NextInt64(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);

    private static string NewWamid() => "wamid.change." + Guid.NewGuid().ToString("N");

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 300;

    private static string Text(string contact, string id, long ts, string body) =>
        $$$"""{"from":"{{{contact}}}","id":"{{{id}}}","timestamp":"{{{ts}}}","type":"text","text":{"body":"{{{body}}}"}}""";

    /// <summary>Meta's reaction object (C.2); <paramref name="emoji"/> null is a removal, which comes without the field.</summary>
    private static string Reaction(string contact, string id, long ts, string target, string? emoji) =>
        $$$"""{"from":"{{{contact}}}","id":"{{{id}}}","timestamp":"{{{ts}}}","type":"reaction","reaction":{"message_id":"{{{target}}}"{{{(emoji is null ? "" : "," + emoji)}}}}}""";

    private static List<(string By, string Emoji)> Reactions(JsonElement message) =>
        [.. message.GetProperty("reactions").EnumerateArray().Select(r => (r.GetProperty("by").GetString()!, r.GetProperty("emoji").GetString()!))];

    private async Task PostWhatsAppAsync(InboxTenant inbox, string contact, params string[] messages)
    {
        var response = await WhatsAppMessageBody.PostAsync(_frontend, WhatsAppMessageBody.Of(inbox.PhoneNumberId, contact, messages), MetaAppFrontend.AppSecret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task PostMessagingAsync(string channel, string objectName, string accountId, long time, params string[] events)
    {
        var bytes = Encoding.UTF8.GetBytes($$$"""{"object":"{{{objectName}}}","entry":[{"id":"{{{accountId}}}","time":{{{time}}},"messaging":[{{{string.Join(",", events)}}}]}]}""");
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/{channel}") { Content = content };
        request.Headers.Add(MetaWebhookSignature.HeaderName, new MetaWebhookSignature(MetaAppFrontend.AppSecret).Compute(bytes));
        using var response = await _frontend.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A new tenant with one Messenger page or Instagram account; answers the owner and the account's Meta id.</summary>
    private async Task<(TestUser Owner, string AccountId)> ConnectAsync(string channel)
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var id = Random.Shared.NextInt64(100_000_000_000, 999_999_999_999).ToString(CultureInfo.InvariantCulture);
        object request = channel == "messenger"
            ? new { channel, pageId = id, pageAccessToken = "EAAG-change-test-token" }
            : new { channel, instagramAccountId = id, accessToken = "IG-change-test-token" };
        var response = await owner.Http.PostAsJsonAsync("/api/v1/channels", request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        _accounts[(owner.TenantId, id)] = body.GetProperty("id").GetString()!;
        return (owner, id);
    }

    private readonly Dictionary<(string Tenant, string MetaId), string> _accounts = [];

    private static Task<List<JsonElement>> MessagesAsync(InboxTenant inbox, string contact, Func<List<JsonElement>, bool> done, string what) =>
        MessagesOfAsync(inbox.Owner, inbox.ConversationIdOf(contact), done, what);

    private Task<List<JsonElement>> ConversationMessagesAsync(TestUser owner, string metaAccountId, string contact, Func<List<JsonElement>, bool> done, string what) =>
        MessagesOfAsync(owner, ConversationKeys.ConversationId(_accounts[(owner.TenantId, metaAccountId)], contact), done, what);

    private static Task<List<JsonElement>> MessagesOfAsync(TestUser owner, string conversationId, Func<List<JsonElement>, bool> done, string what) =>
        Eventually.Get(async () =>
        {
            var detail = await GetAsync(owner, $"/api/v1/conversations/{conversationId}");
            return detail.ValueKind == JsonValueKind.Object ? detail.GetProperty("messages").GetProperty("items").EnumerateArray().ToList() : [];
        }, m => m.Count > 0 && done(m), TimeSpan.FromSeconds(30), what);

    private async Task<long> PendingAsync(string tenantId, string target) =>
        (long)(await OwnerSql.QueryAsync(_frontend, "SELECT count(*) AS n FROM pending_message_changes WHERE tenant_id = @t AND target_external_id = @e",
            ("t", tenantId), ("e", target)))[0]["n"]!;

    private static async Task<List<JsonElement>> SearchAsync(TestUser owner, string word) =>
        [.. (await GetAsync(owner, "/api/v1/search/messages?q=" + Uri.EscapeDataString(word))).GetProperty("items").EnumerateArray()];

    private static async Task<JsonElement> GetAsync(TestUser user, string url)
    {
        var response = await user.Http.GetAsync(url);
        return response.StatusCode == HttpStatusCode.NotFound ? default : await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

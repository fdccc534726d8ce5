using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Flexoraa.Tests.ChannelAccounts;
using Flexoraa.Tests.Inbox;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Webhooks;

/// <summary>
/// WhatsApp identities through the signed webhook and the REST API. A customer may hide their number behind a username:
/// Meta then names them only by their business-scoped user id (BSUID), and their conversation is keyed by it. Once a
/// webhook carries both ids, the wa_id's conversation is the customer's: it continues the BSUID one (same lead), and
/// later BSUID-only messages land in it. A customer who changes number continues in the new number's conversation,
/// linked to the old one, with the same lead, whichever of the system message and the new number's first message
/// arrives first.
/// </summary>
public sealed class WhatsAppIdentityTests(MetaAppFrontend fixture) : IClassFixture<MetaAppFrontend>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TestFrontend _frontend = fixture.Frontend;

    [Fact]
    public async Task A_message_from_a_customer_who_hides_their_number_opens_a_conversation_keyed_by_their_bsuid_with_their_username()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var bsuid = NewBsuid();

        await PostAsync(inbox, HiddenNumber(bsuid), Text(null, bsuid, "wamid.hidden." + Guid.NewGuid().ToString("N"), "hi"));

        var detail = await ConversationWithAsync(inbox, inbox.ConversationIdOf(bsuid), 1);
        var contact = detail.GetProperty("conversation").GetProperty("contact");
        Assert.Equal(bsuid, contact.GetProperty("id").GetString());
        Assert.Equal(bsuid, contact.GetProperty("userId").GetString());
        Assert.Equal("@sheena", contact.GetProperty("username").GetString());
        Assert.Equal("Sheena", contact.GetProperty("name").GetString());
        Assert.Equal("hi", detail.GetProperty("messages").GetProperty("items")[0].GetProperty("body").GetString());
        Assert.NotNull(detail.GetProperty("conversation").GetProperty("leadId").GetString());
    }

    [Fact]
    public async Task A_later_message_with_both_ids_lands_in_the_wa_id_conversation_which_continues_the_bsuid_one_with_its_lead()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var bsuid = NewBsuid();
        var waId = NewWaId();
        await PostAsync(inbox, HiddenNumber(bsuid), Text(null, bsuid, "wamid.first." + Guid.NewGuid().ToString("N"), "hi"));
        var hidden = await ConversationWithAsync(inbox, inbox.ConversationIdOf(bsuid), 1);

        await PostAsync(inbox, BothIds(waId, bsuid), Text(waId, null, "wamid.second." + Guid.NewGuid().ToString("N"), "my number is visible now"));

        var known = await ConversationWithAsync(inbox, inbox.ConversationIdOf(waId), 1);
        var conversation = known.GetProperty("conversation");
        Assert.Equal(waId, conversation.GetProperty("contact").GetProperty("id").GetString());
        Assert.Equal(bsuid, conversation.GetProperty("contact").GetProperty("userId").GetString());
        Assert.Equal(inbox.ConversationIdOf(bsuid), conversation.GetProperty("previousConversationId").GetString());
        var leadId = hidden.GetProperty("conversation").GetProperty("leadId").GetString();
        Assert.Equal(leadId, conversation.GetProperty("leadId").GetString());
        var before = await GetAsync(inbox, $"/api/v1/conversations/{inbox.ConversationIdOf(bsuid)}");
        Assert.Equal(inbox.ConversationIdOf(waId), before.GetProperty("conversation").GetProperty("continuedInConversationId").GetString());
        // The BSUID's lead has the customer's number now.
        Assert.Equal("+" + waId, await LeadPhoneAsync(leadId!));
    }

    [Fact]
    public async Task After_both_ids_were_seen_a_bsuid_only_message_lands_in_the_wa_id_conversation()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var bsuid = NewBsuid();
        var waId = NewWaId();
        await PostAsync(inbox, BothIds(waId, bsuid), Text(waId, bsuid, "wamid.both." + Guid.NewGuid().ToString("N"), "hello"));
        await ConversationWithAsync(inbox, inbox.ConversationIdOf(waId), 1);
        await Eventually.Get(() => PairAsync(inbox, bsuid), w => w == waId, Patience, "the stored BSUID pair");

        var hiddenId = "wamid.hidden-later." + Guid.NewGuid().ToString("N");
        await PostAsync(inbox, HiddenNumber(bsuid), Text(null, bsuid, hiddenId, "number hidden again"));

        var known = await ConversationWithAsync(inbox, inbox.ConversationIdOf(waId), 2);
        Assert.Equal(hiddenId, known.GetProperty("messages").GetProperty("items")[0].GetProperty("externalId").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await inbox.Owner.Http.GetAsync($"/api/v1/conversations/{inbox.ConversationIdOf(bsuid)}")).StatusCode);
        Assert.Equal("@sheena", known.GetProperty("conversation").GetProperty("contact").GetProperty("username").GetString());
    }

    [Fact]
    public async Task A_changed_user_id_is_remembered_so_a_message_under_the_new_bsuid_lands_in_the_wa_id_conversation()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var (oldBsuid, newBsuid, waId) = (NewBsuid(), NewBsuid(), NewWaId());
        await PostAsync(inbox, BothIds(waId, oldBsuid), Text(waId, oldBsuid, "wamid.u1." + Guid.NewGuid().ToString("N"), "hello"));
        await PostAsync(inbox, null, System(waId, "wamid.u2." + Guid.NewGuid().ToString("N"), "User changed their user id",
            $$"""{"type":"user_changed_user_id","user_id":"{{newBsuid}}"}"""));
        await Eventually.Get(() => PairAsync(inbox, newBsuid), w => w == waId, Patience, "the new BSUID's pair");

        await PostAsync(inbox, HiddenNumber(newBsuid), Text(null, newBsuid, "wamid.u3." + Guid.NewGuid().ToString("N"), "under my new id"));

        await ConversationWithAsync(inbox, inbox.ConversationIdOf(waId), 3);
        Assert.Equal(waId, await PairAsync(inbox, oldBsuid));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_changed_number_links_the_new_number_s_conversation_to_the_old_one_and_keeps_the_lead(bool systemMessageFirst)
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var (oldNumber, newNumber) = (NewWaId(), NewWaId());
        await PostAsync(inbox, Number(oldNumber), Text(oldNumber, null, "wamid.old." + Guid.NewGuid().ToString("N"), "from my old number"));
        var old = await ConversationWithAsync(inbox, inbox.ConversationIdOf(oldNumber), 1);
        var leadId = old.GetProperty("conversation").GetProperty("leadId").GetString();
        var notice = $"User Sheena Nelson changed from {oldNumber} to {newNumber}";
        var system = System(oldNumber, "wamid.sys." + Guid.NewGuid().ToString("N"), notice, $$"""{"wa_id":"{{newNumber}}","type":"user_changed_number"}""");
        var first = Text(newNumber, null, "wamid.new." + Guid.NewGuid().ToString("N"), "from my new number");

        if (systemMessageFirst)
        {
            await PostAsync(inbox, null, system);
            await ConversationWithAsync(inbox, inbox.ConversationIdOf(oldNumber), 2);
            // The link is told to the new number's conversation right after the notice is stored.
            await Task.Delay(1000);
            await PostAsync(inbox, Number(newNumber), first);
        }
        else
        {
            await PostAsync(inbox, Number(newNumber), first);
            await ConversationWithAsync(inbox, inbox.ConversationIdOf(newNumber), 1);
            await PostAsync(inbox, null, system);
        }

        var continued = await Eventually.Get(() => GetAsync(inbox, $"/api/v1/conversations/{inbox.ConversationIdOf(newNumber)}"),
            c => c.ValueKind == JsonValueKind.Object && c.GetProperty("conversation").GetProperty("previousConversationId").GetString() is not null
                 && c.GetProperty("conversation").GetProperty("leadId").GetString() == leadId,
            Patience, "the new number's conversation continuing the old one with its lead");
        Assert.Equal(inbox.ConversationIdOf(oldNumber), continued.GetProperty("conversation").GetProperty("previousConversationId").GetString());
        var oldAfter = await ConversationWithAsync(inbox, inbox.ConversationIdOf(oldNumber), 2);
        Assert.Equal(inbox.ConversationIdOf(newNumber), oldAfter.GetProperty("conversation").GetProperty("continuedInConversationId").GetString());
        var shown = oldAfter.GetProperty("messages").GetProperty("items")[0];
        Assert.Equal("system", shown.GetProperty("kind").GetString());
        Assert.Equal(notice, shown.GetProperty("body").GetString());
        if (systemMessageFirst)
        {
            // No lead was made for the new number: the old lead has it.
            Assert.Equal("+" + newNumber, await LeadPhoneAsync(leadId!));
            Assert.Single(await OwnerSql.QueryAsync(_frontend, "SELECT id FROM leads WHERE tenant_id = @tenant", ("tenant", inbox.TenantId)));
        }
    }

    [Fact]
    public async Task A_message_with_neither_a_wa_id_nor_a_bsuid_is_dead_lettered_with_its_path_while_its_siblings_are_stored()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var bsuid = NewBsuid();
        var ts = Seconds(DateTimeOffset.UtcNow);
        var nobody = "wamid.nobody." + Guid.NewGuid().ToString("N");

        await PostAsync(inbox, HiddenNumber(bsuid),
            Text(null, bsuid, "wamid.sib1." + Guid.NewGuid().ToString("N"), "first"),
            $$$"""{"id":"{{{nobody}}}","timestamp":"{{{ts}}}","type":"text","text":{"body":"from nobody"}}""",
            Text(null, bsuid, "wamid.sib2." + Guid.NewGuid().ToString("N"), "third"));

        await ConversationWithAsync(inbox, inbox.ConversationIdOf(bsuid), 2);
        var letter = Assert.Single(await OwnerSql.QueryAsync(_frontend,
            "SELECT reason, payload->>'id' AS id FROM webhook_dead_letters WHERE external_account_id = @account", ("account", inbox.PhoneNumberId)));
        Assert.Equal("invalid item at entry[0].changes[0].value.messages[1]: from (wa_id) and from_user_id (BSUID) are both missing", letter["reason"]);
        Assert.Equal(nobody, letter["id"]);
        Assert.Empty(await OwnerSql.QueryAsync(_frontend, "SELECT 1 FROM messages WHERE external_id = @id", ("id", nobody)));
    }

    private static string NewBsuid() => "US." + Random.Shared.NextInt64(1_000_000_000_000_000, 9_000_000_000_000_000).ToString(CultureInfo.InvariantCulture);

    private static string NewWaId() => "1219" + Random.Shared.NextInt64(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);

    private static string Seconds(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static string HiddenNumber(string bsuid) => $$"""[{"profile":{"name":"Sheena","username":"@sheena"},"user_id":"{{bsuid}}"}]""";

    private static string BothIds(string waId, string bsuid) =>
        $$"""[{"profile":{"name":"Sheena Nelson","username":"@sheena"},"wa_id":"{{waId}}","user_id":"{{bsuid}}"}]""";

    private static string Number(string waId) => $$"""[{"profile":{"name":"Sheena Nelson"},"wa_id":"{{waId}}"}]""";

    /// <summary>A text message from <paramref name="waId"/> (<c>from</c>) and/or <paramref name="bsuid"/> (<c>from_user_id</c>).</summary>
    private static string Text(string? waId, string? bsuid, string id, string body)
    {
        var sender = (waId is null ? "" : $"\"from\":\"{waId}\",") + (bsuid is null ? "" : $"\"from_user_id\":\"{bsuid}\",");
        return "{" + sender + $"\"id\":\"{id}\",\"timestamp\":\"{Seconds(DateTimeOffset.UtcNow)}\",\"type\":\"text\",\"text\":{{\"body\":\"{body}\"}}}}";
    }

    private static string System(string from, string id, string body, string systemTail) =>
        $$"""{"from":"{{from}}","id":"{{id}}","timestamp":"{{Seconds(DateTimeOffset.UtcNow)}}","type":"system","system":{"body":"{{body}}",""" + systemTail[1..] + "}";

    private async Task PostAsync(InboxTenant inbox, string? contactsJson, params string[] messages)
    {
        var body = Encoding.UTF8.GetBytes(
            "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"8856996819413533\",\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\"," +
            $"\"metadata\":{{\"display_phone_number\":\"16505553333\",\"phone_number_id\":\"{inbox.PhoneNumberId}\"}}," +
            (contactsJson is null ? "" : $"\"contacts\":{contactsJson},") +
            $"\"messages\":[{string.Join(",", messages)}]}},\"field\":\"messages\"}}]}}]}}");
        var response = await WhatsAppMessageBody.PostAsync(_frontend, body, MetaAppFrontend.AppSecret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static Task<JsonElement> ConversationWithAsync(InboxTenant inbox, string conversationId, int messages) =>
        Eventually.Get(() => GetAsync(inbox, $"/api/v1/conversations/{conversationId}"),
            c => c.ValueKind == JsonValueKind.Object && c.GetProperty("messages").GetProperty("items").GetArrayLength() >= messages,
            Patience, $"{messages} message(s) in {conversationId}");

    private static async Task<JsonElement> GetAsync(InboxTenant inbox, string url)
    {
        var response = await inbox.Owner.Http.GetAsync(url);
        return response.StatusCode == HttpStatusCode.NotFound ? default : await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<string?> PairAsync(InboxTenant inbox, string bsuid) =>
        (await OwnerSql.QueryAsync(_frontend, "SELECT wa_id FROM whatsapp_contact_ids WHERE tenant_id = @tenant AND user_id = @user",
            ("tenant", inbox.TenantId), ("user", bsuid))).SingleOrDefault()?["wa_id"] as string;

    private async Task<string?> LeadPhoneAsync(string leadId) =>
        (await OwnerSql.QueryAsync(_frontend, "SELECT phone_e164 FROM leads WHERE id = @id", ("id", leadId))).Single()["phone_e164"] as string;
}

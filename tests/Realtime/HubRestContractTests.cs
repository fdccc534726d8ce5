using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Realtime;
using Flexoraa.Tests.ChannelAccounts;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Replies;
using Flexoraa.Tests.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Flexoraa.Tests.Realtime;

/// <summary>
/// The hub and the REST API speak one contract: the same property names and enum spellings, and a hub message that
/// carries every field of the REST message with the same value. The comparison is generic over the REST JSON, so a
/// field added to the REST message later is covered without touching this test.
/// </summary>
public sealed class HubRestContractTests(ReplyHost host) : IClassFixture<ReplyHost>
{
    private readonly TestFrontend _frontend = host.Frontend;

    [Fact]
    public async Task MessageReceived_carries_every_field_of_the_REST_message_with_the_same_names_and_spellings()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var channel = await WhatsAppTestChannel.ConnectAsync(_frontend, owner, MetaAppFrontend.AppSecret);
        await using var client = await InboxClient.ConnectAsync(_frontend, owner.AccessToken);
        const string contact = "919000000071";
        var image = $$$"""{"from":"{{{contact}}}","id":"wamid.contract.image","timestamp":"{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}}","type":"image","image":{"caption":"The broken part","mime_type":"image/jpeg","sha256":"c2hhMjU2","id":"1003383421387256"}}""";

        var response = await WhatsAppMessageBody.PostAsync(_frontend, WhatsAppMessageBody.Of(channel.PhoneNumberId, contact, image), MetaAppFrontend.AppSecret);
        response.EnsureSuccessStatusCode();

        var (_, hub) = await client.MessageReceivedAsync("wamid.contract.image");
        var conversationId = hub.GetProperty("conversationId").GetString();
        var id = hub.GetProperty("id").GetInt64();
        Assert.True(id > 0, "the hub message carries the stored numeric id");
        var rest = JsonDocument.Parse(await owner.Http.GetStringAsync($"/api/v1/conversations/{conversationId}/messages/{id}")).RootElement;

        AssertCarriesAll(rest, hub, "message");
        AssertCamelCase(hub, "hub message");
        Assert.Equal("whatsapp", hub.GetProperty("channel").GetString());
        Assert.Equal("inbound", hub.GetProperty("direction").GetString());
        Assert.Equal("image", hub.GetProperty("kind").GetString());
        Assert.Equal("image", hub.GetProperty("attachments")[0].GetProperty("kind").GetString());
        Assert.Equal("The broken part", hub.GetProperty("attachments")[0].GetProperty("caption").GetString());
    }

    [Fact]
    public async Task A_reply_and_its_status_change_on_the_hub_match_the_REST_message()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, host.Graph);
        await using var client = await InboxClient.ConnectAsync(_frontend, tenant.Owner.AccessToken);
        const string contact = "16315551171";
        await tenant.CustomerWritesOnWhatsAppAsync(contact, DateTimeOffset.UtcNow.AddMinutes(-5));
        var conversation = tenant.WhatsAppConversation(contact);

        var response = await tenant.Owner.Http.PostAsJsonAsync($"/api/v1/conversations/{conversation}/messages", new { text = "On its way." });
        response.EnsureSuccessStatusCode();
        var queued = await response.Content.ReadFromJsonAsync<JsonElement>();
        var (_, hub) = await client.NextAsync((name, p) => name == "MessageReceived" && p.GetProperty("direction").GetString() == "outbound");
        // The POST answers with the row as it is when it is read back, and the send may already have finished by then;
        // the hub's MessageReceived is the message as it was queued. Only the send's own fields may differ between them.
        AssertCarriesAll(queued, hub, "reply", except: ["externalId", "status"]);
        Assert.Equal("queued", hub.GetProperty("status").GetProperty("status").GetString());

        var (_, status) = await client.NextAsync((name, p) => name == "MessageStatusChanged" && p.GetProperty("previousExternalId").GetString() == hub.GetProperty("externalId").GetString());
        var rest = JsonDocument.Parse(await tenant.Owner.Http.GetStringAsync($"/api/v1/conversations/{conversation}/messages/{queued.GetProperty("id").GetInt64()}")).RootElement;
        Assert.Contains(queued.GetProperty("externalId").GetString(), new[] { hub.GetProperty("externalId").GetString(), status.GetProperty("externalId").GetString() });
        Assert.Equal(rest.GetProperty("externalId").GetString(), status.GetProperty("externalId").GetString());
        Assert.Equal("sent", status.GetProperty("status").GetProperty("status").GetString());
        Assert.True(JsonElement.DeepEquals(rest.GetProperty("status"), status.GetProperty("status")), $"REST {rest.GetProperty("status")}, hub {status.GetProperty("status")}");
        AssertCamelCase(status, "MessageStatusChanged");
    }

    [Fact]
    public async Task ConversationUpdated_spells_its_fields_as_the_REST_conversation_and_carries_the_unread_count()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var channel = await WhatsAppTestChannel.ConnectAsync(_frontend, owner, MetaAppFrontend.AppSecret);
        await using var client = await InboxClient.ConnectAsync(_frontend, owner.AccessToken);

        await channel.ReceiveTextAsync("wamid.contract.unread.1", from: "919000000072");
        await client.MessageReceivedAsync("wamid.contract.unread.1");
        await client.NextAsync((name, _) => name == "ConversationUpdated");
        await channel.ReceiveTextAsync("wamid.contract.unread.2", from: "919000000072");
        var (_, message) = await client.MessageReceivedAsync("wamid.contract.unread.2");
        var (_, updated) = await client.NextAsync((name, _) => name == "ConversationUpdated");

        var conversationId = updated.GetProperty("conversationId").GetString();
        var rest = JsonDocument.Parse(await owner.Http.GetStringAsync($"/api/v1/conversations/{conversationId}")).RootElement.GetProperty("conversation");
        Assert.Equal(2, updated.GetProperty("unreadCount").GetInt32());
        Assert.Equal(rest.GetProperty("unreadCount").GetInt32(), updated.GetProperty("unreadCount").GetInt32());
        // Every field both transports name must hold the same value; the update's nulls mean "unchanged".
        foreach (var field in updated.EnumerateObject().Where(f => f.Value.ValueKind != JsonValueKind.Null))
        {
            if (rest.TryGetProperty(field.Name, out var same))
            {
                Assert.True(JsonElement.DeepEquals(same, field.Value), $"conversation.{field.Name}: REST {same.GetRawText()}, hub {field.Value.GetRawText()}");
            }
        }
        Assert.Equal(rest.GetProperty("channel").GetString(), message.GetProperty("channel").GetString());
        AssertCamelCase(updated, "ConversationUpdated");

        // The names and shapes are REST's: besides the envelope, every field the update names is a field of the REST
        // conversation, and its objects (contact, window) have exactly the REST object's fields.
        string[] envelope = ["tenantId", "conversationId", "occurredAt", "sequence", "type"];
        foreach (var field in updated.EnumerateObject().Where(f => !envelope.Contains(f.Name)))
        {
            Assert.True(rest.TryGetProperty(field.Name, out _), $"ConversationUpdated.{field.Name} is not a field of the REST conversation");
        }
        foreach (var shape in new[] { "contact", "window" })
        {
            var hubObject = updated.GetProperty(shape);
            Assert.Equal(JsonValueKind.Object, hubObject.ValueKind);
            Assert.Equal(rest.GetProperty(shape).EnumerateObject().Select(f => f.Name).Order(), hubObject.EnumerateObject().Select(f => f.Name).Order());
            Assert.True(JsonElement.DeepEquals(rest.GetProperty(shape), hubObject), $"conversation.{shape}: REST {rest.GetProperty(shape)}, hub {hubObject}");
        }
        var contact = updated.GetProperty("contact");
        Assert.Equal(contact.GetProperty("name").GetString() ?? "+919000000072", contact.GetProperty("displayName").GetString());
        Assert.Equal("notApplicable", updated.GetProperty("contact").GetProperty("profileStatus").GetString());
    }

    [Fact]
    public async Task Typing_takes_no_number_from_the_tenant_sequence_and_is_never_replayed()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var updates = _frontend.Services.GetRequiredService<IGrainFactory>().GetGrain<ITenantUpdatesGrain>(owner.TenantId);
        var now = DateTimeOffset.UtcNow;

        var before = await updates.Publish(new ConversationUpdated(owner.TenantId, "cv_typing", now, null, "hi", now, null, null));
        var typing = await updates.Publish(new Typing(owner.TenantId, "cv_typing", now, "us_typist", "Typist", IsTyping: true));
        var stop = await updates.Publish(new Typing(owner.TenantId, "cv_typing", now, "us_typist", "Typist", IsTyping: false));
        var after = await updates.Publish(new ConversationUpdated(owner.TenantId, "cv_typing", now, null, "there", now, null, null));

        Assert.Equal(before, typing);
        Assert.Equal(before, stop);
        Assert.Equal(before + 1, after);
        var since = await updates.Since(before);
        Assert.False(since.Reload);
        Assert.Equal(after, since.LatestSequence);
        Assert.Equal([after], since.Updates.Select(u => u.Sequence));
        Assert.IsType<ConversationUpdated>(since.Updates[0].Update);
    }

    /// <summary>Every property of <paramref name="rest"/> is in <paramref name="hub"/> under the same name, with an equal value.</summary>
    private static void AssertCarriesAll(JsonElement rest, JsonElement hub, string what, string[]? except = null)
    {
        foreach (var field in rest.EnumerateObject())
        {
            if (except?.Contains(field.Name) == true)
            {
                Assert.True(hub.TryGetProperty(field.Name, out _), $"the hub's {what} has no '{field.Name}'");
                continue;
            }
            Assert.True(hub.TryGetProperty(field.Name, out var value), $"the hub's {what} has no '{field.Name}' (REST: {field.Value.GetRawText()})");
            Assert.True(JsonElement.DeepEquals(field.Value, value), $"{what}.{field.Name}: REST {field.Value.GetRawText()}, hub {value.GetRawText()}");
        }
    }

    private static void AssertCamelCase(JsonElement json, string what)
    {
        foreach (var field in json.EnumerateObject())
        {
            Assert.True(JsonNamingPolicy.CamelCase.ConvertName(field.Name) == field.Name, $"{what}.{field.Name} is not camelCase");
            if (field.Value.ValueKind == JsonValueKind.Object) AssertCamelCase(field.Value, $"{what}.{field.Name}");
        }
    }
}

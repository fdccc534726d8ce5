using System.Collections.Immutable;
using System.Text.Json;
using Flexoraa.Api;
using Flexoraa.Channels;
using Flexoraa.Realtime;
using Flexoraa.Tenants;

namespace Flexoraa.Tests.Foundation;

/// <summary>One spelling per enum value, whichever way it travels: the API's JSON, the hub's, the database, grain keys.</summary>
public sealed class WireNameTests
{
    [Theory]
    [InlineData(ChannelKind.WhatsApp, "whatsapp")]
    [InlineData(ChannelKind.Messenger, "messenger")]
    [InlineData(ChannelKind.Instagram, "instagram")]
    public void A_channel_has_one_name_in_JSON_in_the_database_and_in_grain_keys(ChannelKind channel, string name)
    {
        Assert.Equal(name, ChannelKindNames.Of(channel));
        Assert.Equal(name, ApiJson.NameOf(channel));
        Assert.Equal($"\"{name}\"", JsonSerializer.Serialize(channel, ApiJson.Options));
        Assert.Equal(channel, JsonSerializer.Deserialize<ChannelKind>($"\"{name}\"", ApiJson.Options));
        Assert.True(ChannelKindNames.TryParse(name, out var parsed));
        Assert.Equal(channel, parsed);
        Assert.Equal($"{name}/123", ChannelAccountKeys.For(channel, "123"));
    }

    [Fact]
    public void Every_channel_has_a_name()
    {
        foreach (var channel in Enum.GetValues<ChannelKind>()) Assert.Equal(ChannelKindNames.Of(channel), ApiJson.NameOf(channel));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("whatsApp ")]
    [InlineData("whats_app")]
    [InlineData("")]
    [InlineData(null)]
    public void Channel_parsing_takes_names_only(string? text)
    {
        // Case and surrounding spaces are forgiven ("whatsApp " parses), numbers and other words are not.
        Assert.Equal(text == "whatsApp ", ChannelKindNames.TryParse(text, out _));
    }

    [Fact]
    public void Every_role_has_one_name_in_JSON_claims_and_the_database()
    {
        foreach (var role in Enum.GetValues<TenantRole>())
        {
            var name = TenantRoleNames.Of(role);
            Assert.Equal(name, ApiJson.NameOf(role));
            Assert.True(TenantRoleNames.TryParse(name.ToUpperInvariant(), out var parsed));
            Assert.Equal(role, parsed);
        }
        Assert.Equal(["member", "sdr", "admin", "owner"], Enum.GetValues<TenantRole>().Select(TenantRoleNames.Of));
    }

    [Theory]
    [InlineData("3")]
    [InlineData("Owner, Admin")]
    [InlineData("superuser")]
    public void Role_parsing_refuses_numbers_flags_and_unknown_words(string text) => Assert.False(TenantRoleNames.TryParse(text, out _));

    [Fact]
    public void Message_kinds_directions_and_statuses_are_spelled_in_JSON_as_the_database_stores_them()
    {
        // The writers store JsonNamingPolicy.CamelCase of the member name; REST returns the column as it is.
        foreach (var kind in Enum.GetValues<MessageKind>()) Assert.Equal(JsonNamingPolicy.CamelCase.ConvertName(kind.ToString()), ApiJson.NameOf(kind));
        foreach (var direction in Enum.GetValues<MessageDirection>()) Assert.Equal(direction.ToString().ToLowerInvariant(), ApiJson.NameOf(direction));
        foreach (var status in Enum.GetValues<DeliveryStatus>()) Assert.Equal(status.ToString().ToLowerInvariant(), ApiJson.NameOf(status));
        Assert.Equal("buttonReply", ApiJson.NameOf(MessageKind.ButtonReply));
    }

    [Fact]
    public void An_attachment_kind_is_a_camelCase_string_both_ways()
    {
        var attachment = new MediaReference(MessageKind.Image, "1003383421387256", null, "image/jpeg", null, "caption", null, null, false, false);
        var json = JsonSerializer.SerializeToElement(attachment, ApiJson.Options);
        Assert.Equal("image", json.GetProperty("kind").GetString());
        Assert.Equal(attachment, JsonSerializer.Deserialize<MediaReference>(json, ApiJson.Options));
    }

    [Fact]
    public void Hub_payloads_use_the_same_enum_spelling_as_REST()
    {
        var update = new MessageStatusChanged("tn_1", "cv_1", DateTimeOffset.UnixEpoch, "wamid.1", DeliveryStatus.Delivered, null, null);
        var json = FrontendApi.Realtime.InboxEventPayload.From(new SequencedUpdate(7, update));
        Assert.Equal("delivered", json["status"]!["status"]!.GetValue<string>());
        Assert.Equal(7, json["sequence"]!.GetValue<long>());
        Assert.Equal("MessageStatusChanged", json["type"]!.GetValue<string>());
        // The REST message's names: externalId, and status as { status, errorCode, errorTitle }.
        Assert.Equal(["conversationId", "externalId", "occurredAt", "previousExternalId", "sequence", "status", "tenantId", "type"],
            json.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_hub_message_is_the_REST_message_plus_its_conversation_and_contact()
    {
        var received = new MessageReceived("tn_1", "cv_1", DateTimeOffset.UnixEpoch, "wamid.1", ChannelKind.WhatsApp, MessageDirection.Inbound, MessageKind.Image,
            "919000000001", "Kerry", "caption", null, StoredId: 42, AttachmentsJson: """[{"kind":"image","mimeType":"image/jpeg"}]""", ReplyToExternalId: "wamid.0");
        var json = FrontendApi.Realtime.InboxEventPayload.From(new SequencedUpdate(3, received));
        var view = JsonSerializer.SerializeToNode(FrontendApi.Inbox.MessageView.From(received), ApiJson.Options)!.AsObject();

        foreach (var (name, value) in view) Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(value, json[name]), name);
        Assert.Equal(42, json["id"]!.GetValue<long>());
        Assert.Equal("wamid.1", json["externalId"]!.GetValue<string>());
        Assert.Equal("caption", json["body"]!.GetValue<string>());
        Assert.Equal("whatsapp", json["channel"]!.GetValue<string>());
        Assert.Equal("image", json["attachments"]![0]!["kind"]!.GetValue<string>());
        Assert.Null(json["status"]);
        ImmutableArray<string> envelope = ["tenantId", "conversationId", "channel", "contactId", "contactName", "sequence", "type"];
        Assert.Equal([.. view.Select(p => p.Key).Concat(envelope).Order()], json.Select(p => p.Key).Order());
    }

    [Fact]
    public void Every_reply_kind_has_one_stored_name_that_parses_back_and_numbers_do_not()
    {
        Assert.Equal(["text", "template", "media"], Enum.GetValues<Outbound.OutboundKind>().Select(Outbound.OutboundKindNames.Of));
        foreach (var kind in Enum.GetValues<Outbound.OutboundKind>())
        {
            Assert.True(Outbound.OutboundKindNames.TryParse(Outbound.OutboundKindNames.Of(kind).ToUpperInvariant(), out var parsed));
            Assert.Equal(kind, parsed);
        }
        Assert.False(Outbound.OutboundKindNames.TryParse("1", out _));
        Assert.False(Outbound.OutboundKindNames.TryParse("Text, Media", out _));
    }
}

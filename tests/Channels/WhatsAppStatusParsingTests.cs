using System.Text.Json.Nodes;
using Flexoraa.Channels;
using Flexoraa.Channels.Meta;
using static Flexoraa.Tests.Channels.MetaFixtures;

namespace Flexoraa.Tests.Channels;

public sealed class WhatsAppStatusParsingTests
{
    [Fact]
    public void A_delivered_status_keeps_the_recipient_conversation_and_pricing()
    {
        var fixture = Text("whatsapp-status-delivered.json");

        var status = Single<ChannelStatusUpdate>(ParseWhatsApp(fixture));

        Assert.Equal(ChannelKind.WhatsApp, status.Channel);
        Assert.Equal("590968830767958", status.AccountId);
        Assert.Equal("5516992318222", status.ContactId);
        Assert.Equal(At("2025-06-25T13:16:24Z"), status.OccurredAt);
        Assert.Equal("wamid.HBgNNTUxNjk5MjMxODIyMhUCABEYEjgxQkVFRDVBQTVDODFDOTg3MQA=", status.ExternalMessageId);
        Assert.Equal(DeliveryStatus.Delivered, status.Status);
        Assert.Equal("delivered", status.RawStatus);
        Assert.Empty(status.Errors);
        Assert.Equal("a75d17ad06104c51166f948319b03c6a", status.ConversationId);
        Assert.Equal("service", status.ConversationCategory);
        Assert.Null(status.ConversationExpiresAt);
        Assert.Equal(new ChannelPricing(true, "CBP", "service"), status.Pricing);
        Assert.Contains(status.RawJson, fixture, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sent_status_keeps_when_the_conversation_expires()
    {
        // The reference: the "sent" status was identical except for the status and this conversation object.
        var body = JsonNode.Parse(Text("whatsapp-status-delivered.json"))!;
        var status = body["entry"]![0]!["changes"]![0]!["value"]!["statuses"]![0]!;
        status["status"] = "sent";
        status["conversation"] = JsonNode.Parse("{" + Text("whatsapp-status-sent-conversation.fragment.txt") + "}")!["conversation"]!.DeepClone();

        var sent = Single<ChannelStatusUpdate>(ParseWhatsApp(body.ToJsonString()));

        Assert.Equal(DeliveryStatus.Sent, sent.Status);
        Assert.Equal("a75d17ad06104c51166f948319b03c6a", sent.ConversationId);
        Assert.Equal(At("2025-06-26T13:17:00Z"), sent.ConversationExpiresAt);
        Assert.Equal("service", sent.ConversationCategory);
    }

    [Fact]
    public void A_failed_status_keeps_the_error_code_and_title()
    {
        var status = Single<ChannelStatusUpdate>(ParseWhatsApp(Text("whatsapp-status-failed.json")));

        Assert.Equal(DeliveryStatus.Failed, status.Status);
        Assert.Equal("<WAMID_OF_THE_MESSAGE_YOU_SENT>", status.ExternalMessageId);
        Assert.Equal("<PHONE_NUMBER_ID>", status.AccountId);
        Assert.Equal("15551340563", status.ContactId);
        Assert.Equal(At("2024-02-22T12:09:06Z"), status.OccurredAt);
        var error = Assert.Single(status.Errors);
        Assert.Equal(131047, error.Code);
        Assert.Equal("Re-engagement message", error.Title);
        Assert.Equal("Re-engagement message", error.Message);
        Assert.Equal("Message failed to send because more than 24 hours have passed since the customer last replied to this number.", error.Details);
        Assert.Equal("https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/", error.Href);
        Assert.Null(status.Pricing);
        Assert.Null(status.ConversationId);
    }

    [Fact]
    public void A_minimal_status_has_no_conversation_or_pricing()
    {
        var status = Single<ChannelStatusUpdate>(ParseWhatsApp(WhatsAppValue(Text("whatsapp-statuses-minimal.fragment.txt"))));

        Assert.Equal("wamid.gBGGFlCGg0cvAglAxydbAoy-gwNo", status.ExternalMessageId);
        Assert.Equal(DeliveryStatus.Sent, status.Status);
        Assert.Equal("16315551234", status.ContactId);
        Assert.Equal(At("2020-10-19T05:45:13Z"), status.OccurredAt);
        Assert.Null(status.ConversationId);
        Assert.Null(status.ConversationCategory);
        Assert.Null(status.ConversationExpiresAt);
        Assert.Null(status.Pricing);
    }

    [Theory]
    [InlineData("read", DeliveryStatus.Read)]
    [InlineData("deleted", DeliveryStatus.Unknown)]
    [InlineData("warning", DeliveryStatus.Unknown)]
    public void A_status_value_maps_to_the_known_statuses_and_anything_else_is_unknown_with_the_original_word(string raw, DeliveryStatus expected)
    {
        var body = WhatsAppValue($$"""
            "statuses":[{"id":"wamid.x","status":"{{raw}}","timestamp":"1603086313","recipient_id":"16315551234"}]
            """);

        var status = Single<ChannelStatusUpdate>(ParseWhatsApp(body));

        Assert.Equal(expected, status.Status);
        Assert.Equal(raw, status.RawStatus);
    }

    [Fact]
    public void Per_message_pricing_without_a_conversation_is_kept()
    {
        var body = WhatsAppValue("""
            "statuses":[{"id":"wamid.pmp","status":"delivered","timestamp":"1750857384","recipient_id":"5516992318222","pricing":{"billable":false,"pricing_model":"PMP","category":"utility"}}]
            """);

        var status = Single<ChannelStatusUpdate>(ParseWhatsApp(body));

        Assert.Equal(new ChannelPricing(false, "PMP", "utility"), status.Pricing);
        Assert.Null(status.ConversationId);
    }

    [Fact]
    public void A_payment_status_is_skipped_because_it_is_not_about_a_message()
    {
        var body = WhatsAppValue("""
            "statuses":[{"id":"order-1","type":"payment","status":"captured","timestamp":"1603086313","payment":{"reference_id":"ref-1"}}]
            """);

        var batch = ParseWhatsApp(body);

        Assert.Empty(batch.Events);
        var skipped = Assert.Single(batch.Skipped);
        Assert.Equal("entry[0].changes[0].value.statuses[0]", skipped.Path);
        Assert.Contains("payment", skipped.Reason, StringComparison.Ordinal);
    }
}

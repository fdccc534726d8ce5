using Flexoraa.Channels;
using Flexoraa.Channels.Meta;
using static Flexoraa.Tests.Channels.MetaFixtures;

namespace Flexoraa.Tests.Channels;

public sealed class WhatsAppWebhookBatchTests
{
    [Fact]
    public void Every_entry_and_every_change_is_parsed_in_body_order()
    {
        var body = """
            {"object":"whatsapp_business_account","entry":[
              {"id":"waba-1","changes":[
                {"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550000001","phone_number_id":"pn-1"},
                  "contacts":[{"profile":{"name":"Asha"},"wa_id":"919800000001"}],
                  "messages":[{"from":"919800000001","id":"wamid.1","timestamp":"1603059201","type":"text","text":{"body":"one"}},
                              {"from":"919800000001","id":"wamid.2","timestamp":"1603059202","type":"text","text":{"body":"two"}}]}},
                {"field":"message_template_status_update","value":{"event":"APPROVED","message_template_id":1}},
                {"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550000002","phone_number_id":"pn-2"},
                  "statuses":[{"id":"wamid.out","status":"read","timestamp":"1603059203","recipient_id":"919800000009"}]}}]},
              {"id":"waba-2","changes":[
                {"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550000003","phone_number_id":"pn-3"},
                  "messages":[{"from":"447700900000","id":"wamid.3","timestamp":"1603059204","type":"text","text":{"body":"three"}}]}}]}]}
            """;

        var batch = ParseWhatsApp(body);

        Assert.Equal(["wamid.1", "wamid.2", "wamid.out", "wamid.3"], batch.Events.Select(ExternalId));
        Assert.Equal(["pn-1", "pn-1", "pn-2", "pn-3"], batch.Events.Select(e => e.AccountId));
        Assert.Equal(["919800000001", "919800000001", "919800000009", "447700900000"], batch.Events.Select(e => e.ContactId));
        var skipped = Assert.Single(batch.Skipped);
        Assert.Equal("entry[0].changes[1]", skipped.Path);
        Assert.Equal("WhatsApp webhook field 'message_template_status_update' is not handled", skipped.Reason);
        Assert.Contains("\"event\":\"APPROVED\"", skipped.RawJson, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_with_both_messages_and_statuses_yields_both()
    {
        var body = WhatsAppValue("""
            "messages":[{"from":"16315551234","id":"wamid.in","timestamp":"1603059201","type":"text","text":{"body":"hi"}}],
            "statuses":[{"id":"wamid.out","status":"delivered","timestamp":"1603059202","recipient_id":"16315551234"}]
            """);

        var events = ParseWhatsApp(body).Events;

        Assert.IsType<ChannelMessage>(events[0]);
        Assert.IsType<ChannelStatusUpdate>(events[1]);
    }

    [Fact]
    public void An_account_level_rate_limit_error_is_reported_beside_the_events()
    {
        var batch = ParseWhatsApp(Text("whatsapp-value-errors.json"));

        Assert.Empty(batch.Events);
        Assert.Empty(batch.Skipped);
        var accountError = Assert.Single(batch.AccountErrors);
        Assert.Equal(ChannelKind.WhatsApp, accountError.Channel);
        Assert.Equal("106540352242922", accountError.AccountId);
        Assert.Equal("entry[0].changes[0].value.errors[0]", accountError.Path);
        Assert.Equal(
            new ChannelError(130429, "Rate limit hit", "Rate limit hit",
                "Message failed to send because there were too many messages sent from this phone number in a short period of time",
                "/documentation/business-messaging/whatsapp/support/error-codes"),
            accountError.Error);
    }

    [Fact]
    public void A_group_event_in_the_messages_field_is_skipped_not_rejected()
    {
        var body = WhatsAppValue("""
            "groups":[{"group_id":"g-1","type":"group_participants_update"}]
            """);

        var batch = ParseWhatsApp(body);

        Assert.Empty(batch.Events);
        Assert.Equal("entry[0].changes[0]", Assert.Single(batch.Skipped).Path);
    }

    [Fact]
    public void An_empty_entry_list_is_an_empty_batch()
    {
        var batch = ParseWhatsApp("""{"object":"whatsapp_business_account","entry":[]}""");

        Assert.Empty(batch.Events);
        Assert.Empty(batch.Skipped);
        Assert.Empty(batch.AccountErrors);
    }

    [Fact]
    public void Unknown_fields_anywhere_are_ignored()
    {
        var body = """
            {"object":"whatsapp_business_account","new_top":1,"entry":[{"id":"1","extra":[1,2],"changes":[{"field":"messages","value":{
              "messaging_product":"whatsapp","metadata":{"phone_number_id":"pn","future":{}},
              "contacts":[{"profile":{"name":"N","username":"n"},"wa_id":"1","identity_key_hash":"h"}],
              "messages":[{"from":"1","id":"wamid.f","timestamp":"1603059201","type":"text","text":{"body":"b","preview_url":true},"later":null}]}}]}]}
            """;

        var message = Single<ChannelMessage>(ParseWhatsApp(body));

        Assert.Equal("b", message.Text);
        Assert.Equal("N", message.ContactName);
    }

    [Fact]
    public void The_generic_meta_parser_routes_whatsapp_bodies_to_the_whatsapp_parser()
    {
        var message = Single<ChannelMessage>(MetaWebhookParser.Parse(Bytes("whatsapp-text.json")));

        Assert.Equal(ChannelKind.WhatsApp, message.Channel);
        Assert.Equal("wamid.ABGGFlCGg0cvAgo-sJQh43L5Pe4W", message.ExternalMessageId);
    }

    private static string ExternalId(ChannelEvent e) => e switch
    {
        ChannelMessage m => m.ExternalMessageId,
        ChannelStatusUpdate s => s.ExternalMessageId,
        _ => "",
    };
}

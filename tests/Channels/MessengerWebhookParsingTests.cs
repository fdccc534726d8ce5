using Flexoraa.Channels;
using Flexoraa.Channels.Meta;
using static Flexoraa.Tests.Channels.MetaFixtures;

namespace Flexoraa.Tests.Channels;

public sealed class MessengerWebhookParsingTests
{
    [Fact]
    public void A_messenger_text_message_comes_from_the_psid_to_the_page()
    {
        var fixture = Text("messenger-text.json");

        var message = Single<ChannelMessage>(ParseMessenger(fixture));

        Assert.Equal(ChannelKind.Messenger, message.Channel);
        Assert.Equal("<PAGE_ID>", message.AccountId);
        Assert.Equal("<PSID>", message.ContactId);
        Assert.Equal(At("2016-03-23T00:25:52.478Z"), message.OccurredAt);
        Assert.Equal("mid.1457764197618:41d102a3e1ae206a38", message.ExternalMessageId);
        Assert.Equal(MessageDirection.Inbound, message.Direction);
        Assert.Equal(MessageKind.Text, message.Kind);
        Assert.Equal("hello, world!", message.Text);
        Assert.Null(message.ContactName);
        Assert.Null(message.Interactive);
        Assert.Equal(
            """{"sender":{"id":"<PSID>"},"recipient":{"id":"<PAGE_ID>"},"timestamp":1458692752478,"message":{"mid":"mid.1457764197618:41d102a3e1ae206a38","text":"hello, world!"}}""",
            message.RawJson);
    }

    [Fact]
    public void A_quick_reply_keeps_the_tapped_text_and_the_developer_payload()
    {
        var fixture = Text("messenger-text-event.json");

        var message = Single<ChannelMessage>(ParseMessenger(MessagingEvents("page", "<PAGE_ID>", fixture)));

        Assert.Equal(MessageKind.Text, message.Kind);
        Assert.Equal("hello, world!", message.Text);
        Assert.Equal(new InteractiveReply(null, "hello, world!", null, "<DEVELOPER_DEFINED_PAYLOAD>"), message.Interactive);
        Assert.Equal(fixture, message.RawJson);
    }

    [Fact]
    public void An_echo_is_the_business_s_own_message_and_belongs_to_the_recipient_s_conversation()
    {
        var fixture = Text("messenger-echo-event.json");

        var message = Single<ChannelMessage>(ParseMessenger(MessagingEvents("page", "<PAGE_ID>", fixture)));

        Assert.Equal(MessageDirection.Echo, message.Direction);
        Assert.Equal("<PSID>", message.ContactId);
        Assert.Equal("<PAGE_ID>", message.AccountId);
        Assert.Equal("mid.1457764197618:41d102a3e1ae206a38", message.ExternalMessageId);
        Assert.Equal("hello, world!", message.Text);
        Assert.Equal(At("2016-03-12T06:29:57.627Z"), message.OccurredAt);
    }

    [Fact]
    public void An_echo_trusts_is_echo_not_the_sender_so_the_older_shape_also_keys_by_the_recipient()
    {
        // Older pages show sender = PSID and recipient = USER_ID for echoes: is_echo still decides, recipient is the contact.
        var echo = """{"sender":{"id":"PSID"},"recipient":{"id":"USER_ID"},"timestamp":1457764197627,"message":{"is_echo":true,"mid":"m_1","text":"t"}}""";

        var message = Single<ChannelMessage>(ParseMessenger(MessagingEvents("page", "PAGE", echo)));

        Assert.Equal(MessageDirection.Echo, message.Direction);
        Assert.Equal("USER_ID", message.ContactId);
    }

    [Fact]
    public void A_delivery_receipt_lists_the_delivered_mids_and_uses_the_watermark_as_its_time()
    {
        var receipt = Single<ChannelReceipt>(ParseMessenger(MessagingEvents("page", "<PAGE_ID>", Text("messenger-delivery-event.json"))));

        Assert.Equal(ReceiptKind.Delivered, receipt.Kind);
        Assert.Equal("<PSID>", receipt.ContactId);
        Assert.Equal("<PAGE_ID>", receipt.AccountId);
        Assert.Equal(At("2016-03-22T17:47:36.253Z"), receipt.Watermark);
        Assert.Equal(At("2016-03-22T17:47:36.253Z"), receipt.OccurredAt);
        Assert.Equal<string>(["mid.1458668856218:ed81099e15d3f4f233"], receipt.MessageIds);
    }

    [Fact]
    public void A_read_receipt_keeps_its_watermark_and_time()
    {
        var receipt = Single<ChannelReceipt>(ParseMessenger(MessagingEvents("page", "<PAGE_ID>", Text("messenger-read-event.json"))));

        Assert.Equal(ReceiptKind.Read, receipt.Kind);
        Assert.Equal("<PSID>", receipt.ContactId);
        Assert.Equal(At("2016-03-22T17:47:36.253Z"), receipt.Watermark);
        Assert.Equal(At("2016-03-22T17:47:36.463Z"), receipt.OccurredAt);
        Assert.Empty(receipt.MessageIds);
    }

    [Fact]
    public void An_attachment_of_a_type_we_do_not_know_is_kept_with_its_url()
    {
        // The reference's sample literally says "<image|video|audio|file|reel|ig_reel>" as the type.
        var message = Single<ChannelMessage>(ParseMessenger(Entries("page", Text("messenger-attachments-entry.json"))));

        Assert.Equal("682498302938465", message.AccountId);
        Assert.Equal("<PSID>", message.ContactId);
        Assert.Equal("mid.$cAAJdkrCd2ORnva8ErFhjGm0X_Q_c", message.ExternalMessageId);
        Assert.Equal(At("2018-02-12T23:46:35.308Z"), message.OccurredAt);
        Assert.Equal(MessageKind.Unsupported, message.Kind);
        var attachment = Assert.Single(message.Attachments);
        Assert.Equal(MessageKind.Unsupported, attachment.Kind);
        Assert.Equal("<ATTACHMENT_URL>", attachment.Url);
    }

    [Theory]
    [InlineData("image", MessageKind.Image)]
    [InlineData("video", MessageKind.Video)]
    [InlineData("audio", MessageKind.Audio)]
    [InlineData("file", MessageKind.Document)]
    [InlineData("reel", MessageKind.Reel)]
    [InlineData("ig_reel", MessageKind.Reel)]
    [InlineData("fallback", MessageKind.Fallback)]
    [InlineData("share", MessageKind.Share)]
    [InlineData("template", MessageKind.Template)]
    public void Each_attachment_type_becomes_its_message_kind(string type, MessageKind expected)
    {
        var entry = Text("messenger-attachments-entry.json").Replace("<image|video|audio|file|reel|ig_reel>", type, StringComparison.Ordinal);

        var message = Single<ChannelMessage>(ParseMessenger(Entries("page", entry)));

        Assert.Equal(expected, message.Kind);
        Assert.Equal(new MediaReference(expected, null, "<ATTACHMENT_URL>", null, null, null, null, null, false, false), Assert.Single(message.Attachments));
        Assert.Null(message.Text);
    }

    [Fact]
    public void Several_attachments_are_all_kept_in_order()
    {
        var ev = """{"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"timestamp":1518479195308,"message":{"mid":"m_2","attachments":[{"type":"image","payload":{"url":"https://x.test/1.jpg"}},{"type":"file","payload":{"url":"https://x.test/2.pdf"}}]}}""";

        var message = Single<ChannelMessage>(ParseMessenger(MessagingEvents("page", "PAGE", ev)));

        Assert.Equal(MessageKind.Image, message.Kind);
        Assert.Equal(["https://x.test/1.jpg", "https://x.test/2.pdf"], message.Attachments.Select(a => a.Url));
        Assert.Equal([MessageKind.Image, MessageKind.Document], message.Attachments.Select(a => a.Kind));
    }

    [Fact]
    public void A_fallback_link_keeps_its_title_even_from_the_older_shape_outside_the_payload()
    {
        var ev = """{"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"timestamp":1518479195308,"message":{"mid":"m_3","attachments":[{"type":"fallback","title":"Our summer sale","url":"https://shop.test/sale","payload":null}]}}""";

        var link = Assert.Single(Single<ChannelMessage>(ParseMessenger(MessagingEvents("page", "PAGE", ev))).Attachments);

        Assert.Equal(MessageKind.Fallback, link.Kind);
        Assert.Equal("Our summer sale", link.Title);
        Assert.Equal("https://shop.test/sale", link.Url);
    }

    [Fact]
    public void A_reply_keeps_the_mid_it_answers()
    {
        var replyTo = Text("messenger-reply-to.json");
        var ev = """{"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"timestamp":1458692752478,"message":{"mid":"m_reply","text":"yes","reply_to":""" + replyTo + "}}";

        var message = Single<ChannelMessage>(ParseMessenger(MessagingEvents("page", "PAGE", ev)));

        Assert.Equal(new ReplyContext("m_...", null, null, null), message.Reply);
        Assert.Equal(MessageKind.Text, message.Kind);
    }

    [Fact]
    public void A_postback_is_a_message_with_the_button_title_and_payload()
    {
        var ev = """{"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"timestamp":1458692752478,"postback":{"title":"Get Started","payload":"GET_STARTED","mid":"m_postback"}}""";

        var message = Single<ChannelMessage>(ParseMessenger(MessagingEvents("page", "PAGE", ev)));

        Assert.Equal(MessageKind.Postback, message.Kind);
        Assert.Equal("m_postback", message.ExternalMessageId);
        Assert.Equal("PSID", message.ContactId);
        Assert.Equal("Get Started", message.Text);
        Assert.Equal(new InteractiveReply(null, "Get Started", null, "GET_STARTED"), message.Interactive);
        Assert.Equal(MessageDirection.Inbound, message.Direction);
    }

    [Fact]
    public void A_postback_without_a_mid_gets_an_id_that_is_the_same_on_redelivery()
    {
        var ev = """{"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"timestamp":1458692752478,"postback":{"title":"Menu","payload":"MENU"}}""";
        var body = MessagingEvents("page", "PAGE", ev);

        var first = Single<ChannelMessage>(ParseMessenger(body));
        var redelivered = Single<ChannelMessage>(ParseMessenger(body));

        Assert.Equal("postback.PSID.1458692752478", first.ExternalMessageId);
        Assert.Equal(first.ExternalMessageId, redelivered.ExternalMessageId);
    }

    [Fact]
    public void A_reaction_and_its_removal_are_reactions_to_the_same_message()
    {
        var react = """{"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"timestamp":1458692752478,"reaction":{"mid":"m_target","action":"react","reaction":"love","emoji":"\u2764\uFE0F"}}""";
        var unreact = """{"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"timestamp":1458692759999,"reaction":{"mid":"m_target","action":"unreact"}}""";

        var events = ParseMessenger(MessagingEvents("page", "PAGE", react, unreact)).Events.Cast<ChannelMessage>().ToList();

        Assert.All(events, e => Assert.Equal(MessageKind.Reaction, e.Kind));
        Assert.Equal(new ChannelReaction("\u2764\uFE0F", "m_target"), events[0].Reaction);
        Assert.Equal(new ChannelReaction("", "m_target"), events[1].Reaction);
        Assert.NotEqual(events[0].ExternalMessageId, events[1].ExternalMessageId);
    }

    [Fact]
    public void Events_under_standby_are_parsed_like_messaging_events()
    {
        var body = Entries("page", """{"id":"PAGE","time":1458692752478,"standby":[{"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"timestamp":1458692752478,"message":{"mid":"m_standby","text":"while another app has the thread"}}]}""");

        Assert.Equal("m_standby", Single<ChannelMessage>(ParseMessenger(body)).ExternalMessageId);
    }

    [Fact]
    public void Every_entry_and_every_messaging_event_is_parsed_in_body_order()
    {
        var body = Entries(
            "page",
            """{"id":"PAGE-1","time":1458692752478,"messaging":[{"sender":{"id":"A"},"recipient":{"id":"PAGE-1"},"timestamp":1458692752001,"message":{"mid":"m_1","text":"1"}},{"sender":{"id":"A"},"recipient":{"id":"PAGE-1"},"delivery":{"watermark":1458692752002}}]}""",
            """{"id":"PAGE-2","time":1458692752478,"messaging":[{"sender":{"id":"B"},"recipient":{"id":"PAGE-2"},"timestamp":1458692752003,"message":{"mid":"m_2","text":"2"}}]}""");

        var events = ParseMessenger(body).Events;

        Assert.Equal(["PAGE-1", "PAGE-1", "PAGE-2"], events.Select(e => e.AccountId));
        Assert.Equal(["A", "A", "B"], events.Select(e => e.ContactId));
        Assert.IsType<ChannelReceipt>(events[1]);
    }

    [Fact]
    public void A_message_without_its_own_timestamp_takes_the_entry_time()
    {
        var body = MessagingEvents("page", "PAGE", """{"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"message":{"mid":"m_t","text":"t"}}""");

        Assert.Equal(At("2016-03-23T00:25:52.478Z"), Single<ChannelMessage>(ParseMessenger(body)).OccurredAt);
    }

    [Theory]
    [InlineData("""{"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"timestamp":1458692752478,"optin":{"ref":"signup"}}""", "optin")]
    [InlineData("""{"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"timestamp":1458692752478,"referral":{"ref":"ad","source":"ADS"}}""", "referral")]
    [InlineData("""{"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"timestamp":1458692752478,"pass_thread_control":{"new_owner_app_id":"1"}}""", "pass_thread_control")]
    public void Messaging_events_we_do_not_handle_are_skipped_and_named(string ev, string name)
    {
        var batch = ParseMessenger(MessagingEvents("page", "PAGE", ev));

        Assert.Empty(batch.Events);
        var skipped = Assert.Single(batch.Skipped);
        Assert.Equal("entry[0].messaging[0]", skipped.Path);
        Assert.Equal($"messaging event ({name}) is not handled", skipped.Reason);
        Assert.Equal(ev, skipped.RawJson);
    }

    [Fact]
    public void Page_feed_changes_are_skipped()
    {
        var batch = ParseMessenger(Entries("page", """{"id":"PAGE","time":1458692752478,"changes":[{"field":"feed","value":{"item":"comment"}}]}"""));

        Assert.Empty(batch.Events);
        Assert.Equal("entry[0].changes[0]", Assert.Single(batch.Skipped).Path);
    }

    [Fact]
    public void The_messenger_parser_refuses_a_whatsapp_body_naming_the_object()
    {
        var error = Assert.Throws<MetaWebhookFormatException>(() => MessengerWebhookParser.Parse(Bytes("whatsapp-text.json")));

        Assert.Equal("object", error.Path);
        Assert.Equal("object is 'whatsapp_business_account', expected 'page' or 'instagram'", error.Message);
    }
}

using Flexoraa.Channels;
using Flexoraa.Channels.Meta;
using static Flexoraa.Tests.Channels.MetaFixtures;

namespace Flexoraa.Tests.Channels;

public sealed class WhatsAppMessageParsingTests
{
    [Fact]
    public void A_text_message_becomes_an_inbound_text_from_the_sender_with_their_profile_name()
    {
        var fixture = Text("whatsapp-text.json");

        var message = Single<ChannelMessage>(ParseWhatsApp(fixture));

        Assert.Equal(ChannelKind.WhatsApp, message.Channel);
        Assert.Equal("27681414235104944", message.AccountId);
        Assert.Equal("16315551234", message.ContactId);
        Assert.Equal("Kerry Fisher", message.ContactName);
        Assert.Equal(At("2020-10-18T22:13:21Z"), message.OccurredAt);
        Assert.Equal(TimeSpan.Zero, message.OccurredAt.Offset);
        Assert.Equal("wamid.ABGGFlCGg0cvAgo-sJQh43L5Pe4W", message.ExternalMessageId);
        Assert.Equal(MessageDirection.Inbound, message.Direction);
        Assert.Equal(MessageKind.Text, message.Kind);
        Assert.Equal("Hello this is an answer", message.Text);
        Assert.Empty(message.Attachments);
        Assert.Empty(message.Errors);
        Assert.Null(message.Reply);
        Assert.Null(message.Referral);
    }

    [Fact]
    public void The_raw_json_is_the_original_text_of_that_one_message_object()
    {
        var fixture = Text("whatsapp-text.json");

        var message = Single<ChannelMessage>(ParseWhatsApp(fixture));

        Assert.StartsWith("{", message.RawJson, StringComparison.Ordinal);
        Assert.Contains("\"id\": \"wamid.ABGGFlCGg0cvAgo-sJQh43L5Pe4W\"", message.RawJson, StringComparison.Ordinal);
        Assert.DoesNotContain("metadata", message.RawJson, StringComparison.Ordinal);
        Assert.Contains(message.RawJson, fixture, StringComparison.Ordinal);
    }

    [Fact]
    public void The_signature_test_vector_body_parses_although_field_comes_before_value()
    {
        var message = Single<ChannelMessage>(WhatsAppWebhookParser.Parse(Bytes("whatsapp-signature-test-vector.json")));

        Assert.Equal("123456123", message.AccountId);
        Assert.Equal("16315551181", message.ContactId);
        Assert.Equal("test user name", message.ContactName);
        Assert.Equal("ABGGFlA5Fpa", message.ExternalMessageId);
        Assert.Equal(At("2017-09-08T20:36:28Z"), message.OccurredAt);
        Assert.Equal("this is a text message", message.Text);
    }

    [Fact]
    public void An_image_message_keeps_media_id_mime_type_sha256_and_caption()
    {
        var message = Single<ChannelMessage>(ParseWhatsApp(WhatsAppImageWithTimestamp()));

        Assert.Equal(MessageKind.Image, message.Kind);
        Assert.Equal("<PHONE_NUMBER_ID>", message.AccountId);
        Assert.Equal("<FROM_PHONE_NUMBER>", message.ContactId);
        Assert.Equal("wamid.id", message.ExternalMessageId);
        Assert.Equal("This is a caption", message.Text);
        var image = Assert.Single(message.Attachments);
        Assert.Equal(
            new MediaReference(MessageKind.Image, "2754859441498128", null, "image/jpeg", "81d3bd8a8db4868c9520ed47186e8b7c5789e61ff79f7f834be6950b808a90d3",
                "This is a caption", null, null, IsVoiceNote: false, IsAnimated: false),
            image);
    }

    [Fact]
    public void Profile_names_map_only_by_wa_id_so_the_placeholder_image_sample_has_no_name()
    {
        // Example B's contact is "<WA_ID>" and its sender "<FROM_PHONE_NUMBER>": they are different users to us.
        Assert.Null(Single<ChannelMessage>(ParseWhatsApp(WhatsAppImageWithTimestamp())).ContactName);
    }

    [Fact]
    public void The_published_image_sample_is_rejected_because_its_timestamp_is_a_placeholder()
    {
        var batch = ParseWhatsApp(Text("whatsapp-image.json"));

        Assert.Empty(batch.Events);
        var rejected = Assert.Single(batch.Rejected);
        Assert.Equal("entry[0].changes[0].value.messages[0]", rejected.Path);
        Assert.Equal("timestamp is not a Unix time in seconds", rejected.Reason);
    }

    [Fact]
    public void The_spec_image_without_sha256_keeps_the_caption_and_leaves_sha256_empty()
    {
        var fixture = Text("whatsapp-message-image-oas.json");

        var message = Single<ChannelMessage>(ParseWhatsApp(WhatsAppMessages(fixture)));

        Assert.Equal(fixture, message.RawJson);
        Assert.Equal("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=", message.ExternalMessageId);
        Assert.Equal("16505551234", message.ContactId);
        Assert.Equal(At("2025-04-11T04:08:16Z"), message.OccurredAt);
        var image = Assert.Single(message.Attachments);
        Assert.Equal("1003383421387256", image.MediaId);
        Assert.Equal("Taj Mahal", image.Caption);
        Assert.Equal("image/jpeg", image.MimeType);
        Assert.Null(image.Sha256);
        Assert.Null(message.ContactName);
    }

    [Fact]
    public void A_list_reply_keeps_the_row_id_title_description_and_the_tapped_message()
    {
        var fixture = Text("whatsapp-message-list-reply.json");

        var message = Single<ChannelMessage>(ParseWhatsApp(WhatsAppMessages(fixture)));

        Assert.Equal(MessageKind.ListReply, message.Kind);
        Assert.Equal(new InteractiveReply("priority_express", "Priority Mail Express", "Next Day to 2 Days", null), message.Interactive);
        Assert.Equal("Priority Mail Express", message.Text);
        Assert.Equal(new ReplyContext("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJGMzEyNzhENTZDMzNGODlDRDgA", "15550783881", null, null), message.Reply);
        Assert.Equal(At("2025-06-13T22:42:55Z"), message.OccurredAt);
        Assert.Equal(fixture, message.RawJson);
    }

    [Fact]
    public void A_button_reply_keeps_the_button_id_and_title()
    {
        // The reference gives the interactive object as a fragment, with "cancel-button"/"Cancel" as the example values.
        var interactive = Text("whatsapp-interactive-button-reply.fragment.txt")
            .Replace("<BUTTON_ID>", "cancel-button", StringComparison.Ordinal)
            .Replace("<BUTTON_LABEL_TEXT>", "Cancel", StringComparison.Ordinal);
        var body = WhatsAppMessages($$"""{"from":"16505551234","id":"wamid.button-reply","timestamp":"1749854575","type":"interactive","context":{"from":"15550783881","id":"wamid.menu"},{{interactive}}}""");

        var message = Single<ChannelMessage>(ParseWhatsApp(body));

        Assert.Equal(MessageKind.ButtonReply, message.Kind);
        Assert.Equal(new InteractiveReply("cancel-button", "Cancel", null, null), message.Interactive);
        Assert.Equal("Cancel", message.Text);
        Assert.Equal("wamid.menu", message.Reply?.MessageId);
    }

    [Fact]
    public void A_template_quick_reply_button_keeps_its_text_and_payload_and_the_template_it_answers()
    {
        var fixture = Text("whatsapp-message-button.json");

        var message = Single<ChannelMessage>(ParseWhatsApp(WhatsAppMessages(fixture)));

        Assert.Equal(MessageKind.Button, message.Kind);
        Assert.Equal("wamid.ABGGFlCGg0cvAgo-sHWxBA2VFD_S", message.ExternalMessageId);
        Assert.Equal("16315551234", message.ContactId);
        Assert.Equal(At("2020-10-19T06:00:29Z"), message.OccurredAt);
        Assert.Equal(new InteractiveReply(null, "No", null, "No-Button-Payload"), message.Interactive);
        Assert.Equal("No", message.Text);
        Assert.Equal(new ReplyContext("wamid.gBGGFlCGg0cvAgkLFm4e9tICiTI", "16505553333", null, null), message.Reply);
        Assert.Equal(fixture, message.RawJson);
    }

    [Fact]
    public void A_reaction_keeps_the_emoji_and_the_message_it_reacts_to()
    {
        var fixture = Text("whatsapp-message-reaction.json");

        var message = Single<ChannelMessage>(ParseWhatsApp(WhatsAppMessages(fixture)));

        Assert.Equal(MessageKind.Reaction, message.Kind);
        Assert.Equal(new ChannelReaction("👍", "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0RTJEOTc2ODVERUY5RDlGNkYA"), message.Reaction);
        Assert.Equal("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=", message.ExternalMessageId);
        Assert.Equal(At("2025-06-08T21:52:24Z"), message.OccurredAt);
        Assert.Null(message.Text);
        Assert.Equal(fixture, message.RawJson);
    }

    [Theory]
    [InlineData("""{"message_id":"wamid.target","emoji":""}""")]
    [InlineData("""{"message_id":"wamid.target"}""")]
    public void Removing_a_reaction_is_a_reaction_with_an_empty_emoji(string reaction)
    {
        // Whether Meta sends "" or omits the emoji is unconfirmed; both mean "removed".
        var body = WhatsAppMessages($$"""{"from":"16505551234","id":"wamid.unreact","timestamp":"1749419600","type":"reaction","reaction":{{reaction}}}""");

        Assert.Equal(new ChannelReaction("", "wamid.target"), Single<ChannelMessage>(ParseWhatsApp(body)).Reaction);
    }

    [Fact]
    public void An_unsupported_message_keeps_meta_s_error_and_its_raw_json()
    {
        var fixture = Text("whatsapp-message-unsupported.json");

        var message = Single<ChannelMessage>(ParseWhatsApp(WhatsAppMessages(fixture)));

        Assert.Equal(MessageKind.Unsupported, message.Kind);
        Assert.Equal(
            new ChannelError(131051, "Message type unknown", "Message type unknown", "Message type is currently not supported.", null),
            Assert.Single(message.Errors));
        Assert.Equal(At("2025-06-16T16:18:22Z"), message.OccurredAt);
        Assert.Null(message.Text);
        Assert.Equal(fixture, message.RawJson);
    }

    [Theory]
    [InlineData("unknown", """ "errors":[{"code":130501,"title":"Message type unknown"}] """)]
    [InlineData("hologram", """ "hologram":{"id":"123","shape":"cube"} """)]
    [InlineData("request_welcome", """ "request_welcome":{} """)]
    public void A_type_this_code_does_not_know_is_kept_as_unsupported_with_its_raw_json(string type, string content)
    {
        var raw = $$"""{"from":"16505551234","id":"wamid.new","timestamp":"1750090702","type":"{{type}}",{{content}}}""";

        var message = Single<ChannelMessage>(ParseWhatsApp(WhatsAppMessages(raw)));

        Assert.Equal(MessageKind.Unsupported, message.Kind);
        Assert.Equal(raw, message.RawJson);
        Assert.Equal("wamid.new", message.ExternalMessageId);
    }

    // The remaining kinds have no verbatim sample in the reference; these bodies follow its field tables.

    [Fact]
    public void A_voice_note_is_audio_marked_as_voice()
    {
        var body = WhatsAppMessages("""{"from":"16505551234","id":"wamid.voice","timestamp":"1749416383","type":"audio","audio":{"mime_type":"audio/ogg; codecs=opus","sha256":"SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=","id":"1139273231498532","voice":true}}""");

        var message = Single<ChannelMessage>(ParseWhatsApp(body));

        Assert.Equal(MessageKind.Audio, message.Kind);
        Assert.Equal(
            new MediaReference(MessageKind.Audio, "1139273231498532", null, "audio/ogg; codecs=opus", "SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=", null, null, null, IsVoiceNote: true, IsAnimated: false),
            Assert.Single(message.Attachments));
    }

    [Fact]
    public void A_document_keeps_its_file_name_and_caption()
    {
        var body = WhatsAppMessages("""{"from":"16505551234","id":"wamid.doc","timestamp":"1749416383","type":"document","document":{"caption":"Invoice","filename":"invoice-42.pdf","mime_type":"application/pdf","sha256":"abc","id":"555"}}""");

        var message = Single<ChannelMessage>(ParseWhatsApp(body));

        Assert.Equal(MessageKind.Document, message.Kind);
        Assert.Equal("Invoice", message.Text);
        Assert.Equal(new MediaReference(MessageKind.Document, "555", null, "application/pdf", "abc", "Invoice", "invoice-42.pdf", null, false, false), Assert.Single(message.Attachments));
    }

    [Fact]
    public void Video_and_animated_sticker_messages_carry_their_media()
    {
        var body = WhatsAppMessages(
            """{"from":"16505551234","id":"wamid.video","timestamp":"1749416383","type":"video","video":{"caption":"Demo","mime_type":"video/mp4","sha256":"v","id":"777","url":"https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=777"}}""",
            """{"from":"16505551234","id":"wamid.sticker","timestamp":"1749416384","type":"sticker","sticker":{"mime_type":"image/webp","sha256":"s","id":"888","animated":true}}""");

        var events = ParseWhatsApp(body).Events;

        var video = Assert.IsType<ChannelMessage>(events[0]);
        Assert.Equal(MessageKind.Video, video.Kind);
        Assert.Equal("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=777", video.Attachments[0].Url);
        Assert.Equal("Demo", video.Text);
        var sticker = Assert.IsType<ChannelMessage>(events[1]);
        Assert.Equal(MessageKind.Sticker, sticker.Kind);
        Assert.Equal(new MediaReference(MessageKind.Sticker, "888", null, "image/webp", "s", null, null, null, false, IsAnimated: true), sticker.Attachments[0]);
    }

    [Fact]
    public void A_location_without_a_type_is_recognised_by_its_content_as_in_meta_s_postman_sample()
    {
        var body = WhatsAppMessages("""{"from":"16315551234","id":"wamid.location","timestamp":"1603059201","location":{"latitude":38.9806263495,"longitude":-131.9428612257,"name":"Main Street Beach","address":"Main Street Beach, Santa Cruz, CA"}}""");

        var message = Single<ChannelMessage>(ParseWhatsApp(body));

        Assert.Equal(MessageKind.Location, message.Kind);
        Assert.Equal(new ChannelLocation(38.9806263495, -131.9428612257, "Main Street Beach", "Main Street Beach, Santa Cruz, CA", null), message.Location);
    }

    [Fact]
    public void Shared_contact_cards_are_kept_as_compact_json()
    {
        var body = WhatsAppMessages("""
            {"from":"16315551234","id":"wamid.contacts","timestamp":"1603059201","type":"contacts","contacts":[
              { "name": { "formatted_name": "Jörg \u00e4 Test", "first_name": "Jörg" },
                "phones": [ { "phone": "+1 (940) 555-1234", "wa_id": "19405551234", "type": "WORK" } ] } ]}
            """);

        var message = Single<ChannelMessage>(ParseWhatsApp(body));

        Assert.Equal(MessageKind.Contacts, message.Kind);
        // Whitespace outside strings goes; text inside strings, escapes included, stays exactly as Meta sent it.
        Assert.Equal(
            """[{"name":{"formatted_name":"Jörg \u00e4 Test","first_name":"Jörg"},"phones":[{"phone":"+1 (940) 555-1234","wa_id":"19405551234","type":"WORK"}]}]""",
            message.ContactsJson);
    }

    [Fact]
    public void An_order_keeps_the_catalog_id_note_and_items_as_json()
    {
        var body = WhatsAppMessages("""{"from":"16315551234","id":"wamid.order","timestamp":"1603059201","type":"order","order":{"catalog_id":"cat-1","text":"Please deliver today","product_items":[{"product_retailer_id":"sku-9","quantity":2,"item_price":499,"currency":"INR"}]}}""");

        var message = Single<ChannelMessage>(ParseWhatsApp(body));

        Assert.Equal(MessageKind.Order, message.Kind);
        Assert.Equal("cat-1", message.Order?.CatalogId);
        Assert.Equal("Please deliver today", message.Order?.Text);
        Assert.Equal("""{"catalog_id":"cat-1","text":"Please deliver today","product_items":[{"product_retailer_id":"sku-9","quantity":2,"item_price":499,"currency":"INR"}]}""", message.Order?.Json);
        Assert.Equal("Please deliver today", message.Text);
    }

    [Fact]
    public void A_system_message_without_contacts_is_kept_with_its_notice()
    {
        var body = WhatsAppMessages("""{"from":"16315551234","id":"wamid.system","timestamp":"1603059201","type":"system","system":{"body":"User A changed from 16315551234 to 16315559999","wa_id":"16315559999","type":"user_changed_number"}}""");

        var message = Single<ChannelMessage>(ParseWhatsApp(body));

        Assert.Equal(MessageKind.System, message.Kind);
        Assert.Equal("User A changed from 16315551234 to 16315559999", message.Text);
        Assert.Null(message.ContactName);
    }

    [Fact]
    public void A_click_to_whatsapp_referral_keeps_the_ad_and_click_id()
    {
        var body = WhatsAppMessages("""{"from":"16315551234","id":"wamid.ad","timestamp":"1603059201","type":"text","text":{"body":"Is this available?"},"referral":{"source_url":"https://fb.me/abc","source_id":"120200","source_type":"ad","headline":"Summer sale","body":"50% off","media_type":"image","image_url":"https://example.test/i.jpg","ctwa_clid":"ARAkLkA"}}""");

        var message = Single<ChannelMessage>(ParseWhatsApp(body));

        Assert.Equal("ad", message.Referral?.SourceType);
        Assert.Equal("120200", message.Referral?.SourceId);
        Assert.Equal("https://fb.me/abc", message.Referral?.SourceUrl);
        Assert.Equal("Summer sale", message.Referral?.Headline);
        Assert.Equal("50% off", message.Referral?.Body);
        Assert.Equal("ARAkLkA", message.Referral?.ClickId);
        Assert.Contains("\"image_url\":\"https://example.test/i.jpg\"", message.Referral?.Json, StringComparison.Ordinal);
        Assert.Equal("Is this available?", message.Text);
    }

    [Fact]
    public void A_question_about_a_catalog_product_keeps_the_referred_product()
    {
        var body = WhatsAppMessages("""{"from":"16315551234","id":"wamid.product","timestamp":"1603059201","type":"text","text":{"body":"Do you have it in blue?"},"context":{"from":"16505553333","id":"wamid.catalog","referred_product":{"catalog_id":"cat-1","product_retailer_id":"sku-9"}}}""");

        var reply = Single<ChannelMessage>(ParseWhatsApp(body)).Reply;

        Assert.Equal(new ReplyContext("wamid.catalog", "16505553333", new ReferredProduct("cat-1", "sku-9"), null), reply);
    }

    [Fact]
    public void A_forwarded_message_is_not_a_reply()
    {
        var body = WhatsAppMessages("""{"from":"16315551234","id":"wamid.fwd","timestamp":"1603059201","type":"text","text":{"body":"fwd"},"context":{"forwarded":true}}""");

        Assert.Null(Single<ChannelMessage>(ParseWhatsApp(body)).Reply);
    }

    [Fact]
    public void Profile_names_are_matched_to_each_message_by_wa_id()
    {
        var body = WhatsAppValue("""
            "contacts":[{"profile":{"name":"Asha"},"wa_id":"919800000001"},{"profile":{"name":"Ravi"},"wa_id":"919800000002"}],
            "messages":[
              {"from":"919800000002","id":"wamid.r","timestamp":"1603059201","type":"text","text":{"body":"from Ravi"}},
              {"from":"919800000001","id":"wamid.a","timestamp":"1603059202","type":"text","text":{"body":"from Asha"}},
              {"from":"919800000003","id":"wamid.x","timestamp":"1603059203","type":"text","text":{"body":"no profile"}}]
            """);

        var messages = ParseWhatsApp(body).Events.Cast<ChannelMessage>().ToList();

        Assert.Equal(["Ravi", "Asha", null], messages.Select(m => m.ContactName));
        Assert.Equal(["from Ravi", "from Asha", "no profile"], messages.Select(m => m.Text));
    }
}

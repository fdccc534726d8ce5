using Flexoraa.Channels;
using Flexoraa.Channels.Meta;
using static Flexoraa.Tests.Channels.MetaFixtures;

namespace Flexoraa.Tests.Channels;

/// <summary>
/// Out-of-shape webhooks. A body that is not a Meta webhook at all throws, and the endpoint answers 400 with the
/// exception's message; a malformed part inside one is rejected on its own, to be dead-lettered with its path and the
/// problem. Either way the field is named.
/// </summary>
public sealed class MetaWebhookFormatTests
{
    [Fact]
    public void A_missing_message_id_rejects_that_message_by_its_full_path_and_keeps_the_status_beside_it()
    {
        var body = """
            {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[
              {"field":"messages","value":{"metadata":{"phone_number_id":"pn"},"statuses":[{"id":"wamid.s","status":"sent","timestamp":"1603086313","recipient_id":"1"}]}},
              {"field":"messages","value":{"metadata":{"phone_number_id":"pn"},"messages":[{"from":"1","timestamp":"1603059201","type":"text","text":{"body":"b"}}]}}]}]}
            """;

        var batch = ParseWhatsApp(body);

        var rejected = Assert.Single(batch.Rejected);
        Assert.Equal("entry[0].changes[1].value.messages[0]", rejected.Path);
        Assert.Equal("id is missing", rejected.Reason);
        Assert.Equal("pn", rejected.AccountId);
        Assert.Equal(ChannelKind.WhatsApp, rejected.Channel);
        Assert.Contains("\"timestamp\":\"1603059201\"", rejected.RawJson, StringComparison.Ordinal);
        Assert.Equal("wamid.s", Assert.IsType<ChannelStatusUpdate>(Assert.Single(batch.Events)).ExternalMessageId);
    }

    [Theory]
    [InlineData("""{"id":"","from":"1","timestamp":"1603059201","type":"text","text":{"body":"b"}}""", "entry[0].changes[0].value.messages[0]: id is empty")]
    [InlineData("""{"id":null,"from":"1","timestamp":"1603059201","type":"text","text":{"body":"b"}}""", "entry[0].changes[0].value.messages[0]: id is null")]
    [InlineData("""{"id":7,"from":"1","timestamp":"1603059201","type":"text","text":{"body":"b"}}""", "entry[0].changes[0].value.messages[0]: id is a number, expected a string")]
    [InlineData("""{"id":"w","timestamp":"1603059201","type":"text","text":{"body":"b"}}""", "entry[0].changes[0].value.messages[0]: from (wa_id) and from_user_id (BSUID) are both missing")]
    [InlineData("""{"id":"w","from":"1","type":"text","text":{"body":"b"}}""", "entry[0].changes[0].value.messages[0]: timestamp is missing")]
    [InlineData("""{"id":"w","from":"1","timestamp":{},"type":"text","text":{"body":"b"}}""", "entry[0].changes[0].value.messages[0]: timestamp is an object, expected a Unix time in seconds")]
    [InlineData("""{"id":"w","from":"1","timestamp":"99999999999999","type":"text","text":{"body":"b"}}""", "entry[0].changes[0].value.messages[0]: timestamp is out of range for a Unix time in seconds")]
    [InlineData("""{"id":"w","from":"1","timestamp":"-1","type":"text","text":{"body":"b"}}""", "entry[0].changes[0].value.messages[0]: timestamp is not a Unix time in seconds")]
    [InlineData("""{"id":"w","from":"1","timestamp":"1603059201","type":"text"}""", "entry[0].changes[0].value.messages[0]: text is missing")]
    [InlineData("""{"id":"w","from":"1","timestamp":"1603059201","type":"text","text":"hi"}""", "entry[0].changes[0].value.messages[0]: text is a string, expected an object")]
    [InlineData("""{"id":"w","from":"1","timestamp":"1603059201","type":"location","location":{"latitude":"north","longitude":1}}""", "entry[0].changes[0].value.messages[0]: location.latitude is not a finite number")]
    [InlineData("""{"id":"w","from":"1","timestamp":"1603059201","type":"location","location":{"latitude":1e400,"longitude":1}}""", "entry[0].changes[0].value.messages[0]: location.latitude is not a finite number")]
    [InlineData("""{"id":"w","from":"1","timestamp":"1603059201","type":"reaction","reaction":{"emoji":"x"}}""", "entry[0].changes[0].value.messages[0]: reaction.message_id is missing")]
    [InlineData("""{"id":"w","from":"1","timestamp":"1603059201","type":"contacts","contacts":{}}""", "entry[0].changes[0].value.messages[0]: contacts is not an array of contact cards")]
    [InlineData("""{"id":"w","from":"1","timestamp":"1603059201","type":"unsupported","errors":[{"code":"abc"}]}""", "entry[0].changes[0].value.messages[0]: errors[0].code is not a 32-bit integer")]
    [InlineData("""{"id":"w","from":"1","timestamp":"1603059201","type":"image","image":{"voice":"yes"}}""", "entry[0].changes[0].value.messages[0]: image.voice is a string, expected true or false")]
    [InlineData(""" "just a string" """, "entry[0].changes[0].value.messages[0]: is a string, expected an object")]
    public void A_whatsapp_message_of_the_wrong_shape_is_rejected_on_its_own_naming_the_field(string message, string expected) =>
        Assert.Equal(expected, Rejection(ParseWhatsApp(WhatsAppMessages(message))));

    [Theory]
    [InlineData("""{"object":"whatsapp_business_account","entry":["not an entry"]}""", "entry[0]: is a string, expected an object")]
    [InlineData("""{"object":"whatsapp_business_account","entry":[{"id":"1"}]}""", "entry[0]: changes is missing")]
    [InlineData("""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{}}]}]}""", "entry[0].changes[0]: field is missing")]
    [InlineData("""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages"}]}]}""", "entry[0].changes[0]: value is missing")]
    [InlineData("""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messages":[]}}]}]}""", "entry[0].changes[0]: value.metadata is missing")]
    [InlineData("""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"display_phone_number":"1"},"messages":[]}}]}]}""", "entry[0].changes[0]: value.metadata.phone_number_id is missing")]
    [InlineData("""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"p"},"statuses":[{"id":"w","status":"failed","timestamp":"1","recipient_id":"1","errors":[{"title":"no code"}]}]}}]}]}""", "entry[0].changes[0].value.statuses[0]: errors[0].code is missing")]
    [InlineData("""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"p"},"statuses":[{"id":"w","status":"sent","timestamp":"1"}]}}]}]}""", "entry[0].changes[0].value.statuses[0]: recipient_id (wa_id) and recipient_user_id (BSUID) are both missing")]
    [InlineData("""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"p"},"statuses":[{"id":"w","status":"sent","timestamp":"1","recipient_id":"1","pricing":{"billable":"yes"}}]}}]}]}""", "entry[0].changes[0].value.statuses[0]: pricing.billable is a string, expected true or false")]
    public void A_malformed_whatsapp_entry_change_or_status_is_rejected_on_its_own_naming_the_field(string body, string expected) =>
        Assert.Equal(expected, Rejection(ParseWhatsApp(body)));

    [Theory]
    [InlineData("""{"object":"whatsapp_business_account"}""", "entry is missing")]
    [InlineData("""{"object":"whatsapp_business_account","entry":{}}""", "entry is an object, expected an array")]
    [InlineData("""{"object":"page","entry":[]}""", "object is 'page', expected 'whatsapp_business_account'")]
    [InlineData("""{"object":42,"entry":[]}""", "object is a number, expected a string")]
    [InlineData("""{"entry":[]}""", "object is missing")]
    [InlineData("""[]""", "The body is an array, expected an object")]
    [InlineData("""null""", "The body is null, expected an object")]
    public void A_body_that_is_not_a_whatsapp_webhook_is_refused_as_a_whole_naming_the_field(string body, string expected) =>
        Assert.Equal(expected, Rejected(body).Message);

    [Theory]
    [InlineData("""{"recipient":{"id":"PAGE"},"timestamp":1,"message":{"mid":"m","text":"t"}}""", "entry[0].messaging[0]: sender is missing")]
    [InlineData("""{"sender":{"id":"PAGE"},"timestamp":1,"message":{"is_echo":true,"mid":"m","text":"t"}}""", "entry[0].messaging[0]: recipient is missing")]
    [InlineData("""{"sender":{"id":"P"},"recipient":{"id":"PAGE"},"timestamp":1,"message":{"text":"t"}}""", "entry[0].messaging[0]: message.mid is missing")]
    [InlineData("""{"sender":{"id":"P"},"recipient":{"id":"PAGE"},"timestamp":1,"message":{"mid":"m","is_echo":"yes"}}""", "entry[0].messaging[0]: message.is_echo is a string, expected true or false")]
    [InlineData("""{"sender":{"id":"P"},"recipient":{"id":"PAGE"},"timestamp":"soon","message":{"mid":"m"}}""", "entry[0].messaging[0]: timestamp is not a Unix time in milliseconds")]
    [InlineData("""{"sender":{"id":"P"},"recipient":{"id":"PAGE"},"timestamp":1,"message":{"mid":"m","attachments":{}}}""", "entry[0].messaging[0]: message.attachments is an object, expected an array")]
    [InlineData("""{"sender":{"id":"P"},"recipient":{"id":"PAGE"},"delivery":{"mids":["m"]}}""", "entry[0].messaging[0]: delivery.watermark is missing")]
    [InlineData("""{"sender":{"id":"P"},"recipient":{"id":"PAGE"},"delivery":{"mids":[1],"watermark":1}}""", "entry[0].messaging[0]: delivery.mids[0] is a number, expected a string")]
    [InlineData("""{"sender":{"id":"P"},"recipient":{"id":"PAGE"},"timestamp":1,"read":{}}""", "entry[0].messaging[0]: read has neither a watermark nor a mid")]
    [InlineData("""{"sender":{"id":"P"},"recipient":{"id":"PAGE"},"timestamp":1,"reaction":{"action":"react","emoji":"x"}}""", "entry[0].messaging[0]: reaction.mid is missing")]
    public void A_messenger_event_of_the_wrong_shape_is_rejected_on_its_own_naming_the_field(string messagingEvent, string expected) =>
        Assert.Equal(expected, Rejection(ParseMessenger(Entries("page", """{"id":"PAGE","messaging":[""" + messagingEvent + "]}"))));

    [Fact]
    public void A_messenger_message_without_any_time_is_rejected()
    {
        var body = Entries("page", """{"id":"PAGE","messaging":[{"sender":{"id":"P"},"recipient":{"id":"PAGE"},"message":{"mid":"m","text":"t"}}]}""");

        Assert.Equal("entry[0].messaging[0]: timestamp is missing", Rejection(ParseMessenger(body)));
    }

    [Fact]
    public void A_messenger_entry_without_an_id_is_rejected_and_the_next_entry_still_parses()
    {
        var batch = ParseMessenger(Entries("instagram", """{"time":1,"messaging":[]}""",
            """{"id":"IGID","time":1,"messaging":[{"sender":{"id":"IGSID"},"recipient":{"id":"IGID"},"timestamp":1569262485349,"message":{"mid":"MESSAGE-ID","text":"MESSAGE-TEXT"}}]}"""));

        Assert.Equal("entry[0]: id is missing", Rejection(batch));
        Assert.Equal("", Assert.Single(batch.Rejected).AccountId);
        Assert.Equal("MESSAGE-TEXT", Single<ChannelMessage>(batch).Text);
    }

    [Fact]
    public void The_generic_parser_names_the_objects_it_knows()
    {
        var error = Assert.Throws<MetaWebhookFormatException>(() => MetaWebhookParser.Parse(Utf8("""{"object":"user","entry":[]}""")));

        Assert.Equal("object is 'user', expected 'whatsapp_business_account', 'page' or 'instagram'", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[")]
    [InlineData("{\"object\":\"page\",}")]
    [InlineData("// comment\n{}")]
    public void A_body_that_is_not_json_is_rejected_as_a_whole(string body)
    {
        var error = Assert.Throws<MetaWebhookFormatException>(() => MetaWebhookParser.Parse(Utf8(body)));

        Assert.Equal("", error.Path);
        Assert.StartsWith("The body is not valid JSON: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_body_that_is_not_utf8_is_rejected_as_a_whole()
    {
        byte[] body = [.. Utf8("""{"object":"page","entry":[{"id":"""), 0x22, 0xC3, 0x28, 0x22, .. Utf8("}]}")];

        Assert.Equal("The body is not valid UTF-8.", Assert.Throws<MetaWebhookFormatException>(() => MetaWebhookParser.Parse(body)).Message);
    }

    [Fact]
    public void Nesting_deeper_than_any_meta_payload_is_rejected()
    {
        var body = """{"object":"page","entry":""" + new string('[', 200) + new string(']', 200) + "}";

        Assert.StartsWith("The body is not valid JSON: ", Assert.Throws<MetaWebhookFormatException>(() => MetaWebhookParser.Parse(Utf8(body))).Message, StringComparison.Ordinal);
    }

    private static MetaWebhookFormatException Rejected(string body) => Assert.Throws<MetaWebhookFormatException>(() => ParseWhatsApp(body));

    /// <summary>The one rejected part as its dead letter names it: its path, then the problem within it.</summary>
    private static string Rejection(MetaWebhookBatch batch)
    {
        var rejected = Assert.Single(batch.Rejected);
        return $"{rejected.Path}: {rejected.Reason}";
    }
}

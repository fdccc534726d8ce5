using Flexoraa.Channels;
using Flexoraa.Channels.Meta;
using static Flexoraa.Tests.Channels.MetaFixtures;

namespace Flexoraa.Tests.Channels;

/// <summary>
/// The typed content of each WhatsApp message kind, parsed from the shapes of the reference's sections A.3 and C.2
/// (Meta's OpenAPI spec, Postman collection and pages), and the summary full-text search indexes for it.
/// </summary>
public sealed class WhatsAppMessageContentTests
{
    [Fact]
    public void A_location_has_its_coordinates_name_address_and_a_map_link()
    {
        var content = ContentOf("""{"from":"16315551234","id":"wamid.location","timestamp":"1603059201","type":"location","location":{"latitude":38.9806263495,"longitude":-131.9428612257,"name":"Main Street Beach","address":"Main Street Beach, Santa Cruz, CA"}}""");

        var location = Assert.IsType<LocationContent>(content.Location);
        Assert.Equal(38.9806263495, location.Latitude);
        Assert.Equal(-131.9428612257, location.Longitude);
        Assert.Equal("Main Street Beach", location.Name);
        Assert.Equal("Main Street Beach, Santa Cruz, CA", location.Address);
        Assert.Equal("https://www.google.com/maps/search/?api=1&query=38.9806263495,-131.9428612257", location.MapUrl);
        Assert.Equal("Main Street Beach · Main Street Beach, Santa Cruz, CA", content.Summary);
    }

    [Fact]
    public void A_bare_pin_is_summarised_by_its_coordinates()
    {
        var content = ContentOf("""{"from":"1","id":"wamid.pin","timestamp":"1603059201","type":"location","location":{"latitude":12.5,"longitude":77.25}}""");

        Assert.Equal("12.5, 77.25", content.Summary);
    }

    [Fact]
    public void Shared_contacts_have_names_organisation_phones_and_emails()
    {
        var content = ContentOf("""
            {"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=","timestamp":"1744344496","type":"contacts",
             "contacts":[{"name":{"first_name":"Barbara","last_name":"Johnson","formatted_name":"Barbara J. Johnson"},"org":{"company":"Social Tsunami","title":"CEO"},
              "phones":[{"phone":"+1 (415) 555-0829","wa_id":"14125550829","type":"MOBILE"}],"emails":[{"email":"bjohnson@example.com","type":"WORK"}]},
              {"name":{"formatted_name":"Ravi Kumar"}}]}
            """);

        var cards = Assert.IsType<ContactsContent>(content.Contacts).Cards;
        Assert.Equal(2, cards.Length);
        Assert.Equal("Barbara J. Johnson", cards[0].FormattedName);
        Assert.Equal("Barbara", cards[0].FirstName);
        Assert.Equal("Johnson", cards[0].LastName);
        Assert.Equal("Social Tsunami", cards[0].Company);
        Assert.Equal("CEO", cards[0].JobTitle);
        Assert.Equal(new ContactPhone("+1 (415) 555-0829", "14125550829", "MOBILE"), Assert.Single(cards[0].Phones));
        Assert.Equal(new ContactEmail("bjohnson@example.com", "WORK"), Assert.Single(cards[0].Emails));
        Assert.Empty(cards[1].Phones);
        Assert.Equal("Barbara J. Johnson · Social Tsunami · +1 (415) 555-0829 · bjohnson@example.com · Ravi Kumar", content.Summary);
    }

    [Fact]
    public void A_reaction_names_the_emoji_and_the_message_it_reacts_to()
    {
        var content = ContentOf("""{"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=","timestamp":"1749419544","type":"reaction","reaction":{"message_id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0RTJEOTc2ODVERUY5RDlGNkYA","emoji":"👍"}}""");

        var reaction = Assert.IsType<ReactionContent>(content.Reaction);
        Assert.Equal("👍", reaction.Emoji);
        Assert.Equal("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0RTJEOTc2ODVERUY5RDlGNkYA", reaction.TargetMessageId);
        Assert.False(reaction.Removed);
    }

    [Fact]
    public void A_reaction_without_an_emoji_is_a_removal()
    {
        var content = ContentOf("""{"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=","timestamp":"1749419544","type":"reaction","reaction":{"message_id":"wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA="}}""");

        Assert.True(Assert.IsType<ReactionContent>(content.Reaction).Removed);
        Assert.Equal("removed a reaction", content.Summary);
    }

    [Fact]
    public void An_order_has_its_catalog_note_and_items_with_prices_in_minor_units()
    {
        var message = MessageOf("""
            {"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=","timestamp":"1750096325","type":"order",
             "order":{"catalog_id":"194836987003835","text":"Love these!","product_items":[
              {"product_retailer_id":"di9ozbzfi4","quantity":2,"item_price":30,"currency":"USD"},
              {"product_retailer_id":"nqryix03ez","quantity":1,"item_price":25.5,"currency":"USD"}]}}
            """);

        var order = Assert.IsType<OrderContent>(message.Content?.Order);
        Assert.Equal("194836987003835", order.CatalogId);
        Assert.Equal("Love these!", order.Text);
        Assert.Equal<OrderItem>([new OrderItem("di9ozbzfi4", 2, 3000, "USD"), new OrderItem("nqryix03ez", 1, 2550, "USD")], order.Items);
        Assert.Equal("Love these! · di9ozbzfi4 · nqryix03ez", message.Content!.Summary);
        Assert.Equal("Love these!", message.Text);
    }

    [Theory]
    [InlineData("499", "INR", 49900)]
    [InlineData("1200", "JPY", 1200)]
    [InlineData("1.25", "KWD", 1250)]
    [InlineData("\"19.99\"", "EUR", 1999)]
    public void An_order_price_becomes_the_currency_s_smallest_unit(string price, string currency, long minor)
    {
        var content = ContentOf($$$"""{"from":"1","id":"wamid.o","timestamp":"1750096325","type":"order","order":{"product_items":[{"product_retailer_id":"p","quantity":1,"item_price":{{{price}}},"currency":"{{{currency}}}"}]}}""");

        Assert.Equal(minor, Assert.Single(content.Order!.Items).UnitPriceMinor);
    }

    [Fact]
    public void A_flow_reply_has_the_form_answers_as_fields_and_the_flow_token_apart()
    {
        var message = MessageOf("""
            {"context":{"from":"16315558151","id":"gBGGEiRVVgBPAgm7FUgc73noXjo"},"from":"16505551234","id":"wamid.flow","timestamp":"1750096325","type":"interactive",
             "interactive":{"type":"nfm_reply","nfm_reply":{"name":"flow","body":"Sent",
              "response_json":"{\"flow_token\":\"AQAAAAACS5FpgQ_cAAAAAD0QI3s.\",\"firstName\":\"Asha\",\"plan\":\"gold\",\"seats\":3,\"topics\":[\"billing\",\"api\"]}"}}}
            """);

        Assert.Equal(MessageKind.FlowReply, message.Kind);
        Assert.Equal("Sent", message.Text);
        var flow = Assert.IsType<FlowReplyContent>(message.Content?.FlowReply);
        Assert.Equal("flow", flow.Name);
        Assert.Equal("AQAAAAACS5FpgQ_cAAAAAD0QI3s.", flow.FlowToken);
        Assert.Equal<FlowReplyField>([new FlowReplyField("firstName", "Asha"), new FlowReplyField("plan", "gold"), new FlowReplyField("seats", "3"), new FlowReplyField("topics", """["billing","api"]""")], flow.Fields);
        Assert.Equal("gBGGEiRVVgBPAgm7FUgc73noXjo", message.Reply?.MessageId);
        Assert.Contains("Asha", message.Content!.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flow_reply_whose_response_json_is_not_json_is_rejected_naming_the_field()
    {
        var batch = ParseWhatsApp(WhatsAppMessages("""{"from":"1","id":"wamid.f","timestamp":"1750096325","type":"interactive","interactive":{"type":"nfm_reply","nfm_reply":{"name":"flow","body":"Sent","response_json":"{not json"}}}"""));

        var rejected = Assert.Single(batch.Rejected);
        Assert.Equal("entry[0].changes[0].value.messages[0]", rejected.Path);
        Assert.Equal("interactive.nfm_reply.response_json is not valid JSON", rejected.Reason);
    }

    [Fact]
    public void A_click_to_whatsapp_referral_has_the_ad_s_headline_body_source_and_media()
    {
        var message = MessageOf("""{"from":"16315551234","id":"wamid.ad","timestamp":"1603059201","type":"text","text":{"body":"Is this available?"},"referral":{"source_url":"https://fb.me/abc","source_id":"120200","source_type":"ad","headline":"Summer sale","body":"50% off","media_type":"video","video_url":"https://example.test/v.mp4","thumbnail_url":"https://example.test/t.jpg","ctwa_clid":"ARAkLkA","welcome_message":{"text":"Hi! How can we help?"}}}""");

        var referral = Assert.IsType<ReferralContent>(message.Content?.Referral);
        Assert.Equal(new ReferralContent("ad", "120200", "https://fb.me/abc", "Summer sale", "50% off", "video", null, "https://example.test/v.mp4",
            "https://example.test/t.jpg", "ARAkLkA", "Hi! How can we help?"), referral);
        Assert.Equal("Summer sale · 50% off · https://fb.me/abc", message.Content!.Summary);
        Assert.Equal(MessageKind.Text, message.Kind);
        Assert.Equal("Is this available?", message.Text);
    }

    [Fact]
    public void A_template_quick_reply_button_has_its_text_and_payload()
    {
        var message = MessageOf("""{"context":{"from":"16505553333","id":"wamid.gBGGFlCGg0cvAgkLFm4e9tICiTI"},"from":"16315551234","id":"wamid.ABGGFlCGg0cvAgo-sHWxBA2VFD_S","timestamp":"1603087229","type":"button","button":{"text":"No","payload":"No-Button-Payload"}}""");

        Assert.Equal(new InteractiveReply(null, "No", null, "No-Button-Payload"), message.Content?.Choice);
        Assert.Equal("No", message.Text);
    }

    [Fact]
    public void A_list_reply_has_the_row_id_title_and_description()
    {
        var message = MessageOf("""{"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUJDQ0NDM0FEODY4ODkzOTc5RgA=","timestamp":"1749854575","type":"interactive","context":{"from":"15550783881","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJGMzEyNzhENTZDMzNGODlDRDgA"},"interactive":{"type":"list_reply","list_reply":{"id":"priority_express","title":"Priority Mail Express","description":"Next Day to 2 Days"}}}""");

        Assert.Equal(new InteractiveReply("priority_express", "Priority Mail Express", "Next Day to 2 Days", null), message.Content?.Choice);
        Assert.Equal("Priority Mail Express · Next Day to 2 Days", message.Content!.Summary);
    }

    [Fact]
    public void An_unsupported_message_says_what_meta_reported()
    {
        var content = ContentOf("""{"from":"16505551234","id":"wamid.HBgLMTQyMDU1NTA3NDkVAgASGBI5N0MwRjg0RTVBNUI1RDA2OTkA","timestamp":"1750090702","errors":[{"code":131051,"title":"Message type unknown","message":"Message type unknown","error_data":{"details":"Message type is currently not supported."}}],"type":"unsupported"}""");

        Assert.Equal(new UnsupportedContent("unsupported", 131051, "Message type unknown", "Message type is currently not supported."), content.Unsupported);
        Assert.Equal("unsupported unsupported message · Message type unknown", content.Summary);
    }

    [Fact]
    public void An_edit_delivered_as_unsupported_says_it_was_an_edit()
    {
        var content = ContentOf("""{"from":"16505551234","id":"wamid.Z","timestamp":"1750090702","type":"unsupported","unsupported":{"type":"edit"},"errors":[{"code":131051,"title":"Message type unknown","message":"Message type unknown","error_data":{"details":"Message type is currently not supported."}}]}""");

        Assert.Equal("edit", content.Unsupported?.Type);
        Assert.Equal(131051, content.Unsupported?.ErrorCode);
    }

    [Fact]
    public void A_type_newer_than_this_code_is_named_by_its_type()
    {
        var message = MessageOf("""{"from":"1","id":"wamid.new","timestamp":"1750090702","type":"hologram","hologram":{"id":"h1"}}""");

        Assert.Equal(MessageKind.Unsupported, message.Kind);
        Assert.Equal(new UnsupportedContent("hologram", null, null, null), message.Content?.Unsupported);
        Assert.Equal("unsupported hologram message", message.Content!.Summary);
    }

    [Fact]
    public void A_huge_location_name_is_kept_but_its_summary_is_capped_for_the_search_index()
    {
        var name = new string('x', 4095) + "😀" + new string('y', 1_000_000);
        var content = ContentOf($$$"""{"from":"1","id":"wamid.big","timestamp":"1603059201","type":"location","location":{"latitude":1,"longitude":2,"name":"{{{name}}}"}}""");

        Assert.Equal(name, content.Location?.Name);
        Assert.Equal(new string('x', 4095), content.Summary);
    }

    [Fact]
    public void Plain_text_and_media_carry_no_content()
    {
        Assert.Null(MessageOf("""{"from":"1","id":"wamid.t","timestamp":"1603059201","type":"text","text":{"body":"hi"}}""").Content);
        Assert.Null(MessageOf("""{"from":"1","id":"wamid.i","timestamp":"1603059201","type":"image","image":{"id":"1","mime_type":"image/jpeg"}}""").Content);
    }

    [Fact]
    public void A_batch_of_three_with_the_middle_one_malformed_keeps_the_other_two_and_rejects_the_middle_one_by_path()
    {
        var batch = ParseWhatsApp(WhatsAppMessages(
            """{"from":"16315551234","id":"wamid.first","timestamp":"1603059201","type":"text","text":{"body":"first"}}""",
            """{"from":"16315551234","id":"wamid.middle","type":"text","text":{"body":"no timestamp"}}""",
            """{"from":"16315551234","id":"wamid.last","timestamp":"1603059203","type":"location","location":{"latitude":1,"longitude":2}}"""));

        Assert.Equal(["wamid.first", "wamid.last"], batch.Events.Cast<ChannelMessage>().Select(m => m.ExternalMessageId));
        var rejected = Assert.Single(batch.Rejected);
        Assert.Equal("entry[0].changes[0].value.messages[1]", rejected.Path);
        Assert.Equal("timestamp is missing", rejected.Reason);
        Assert.Equal("27681414235104944", rejected.AccountId);
        Assert.Contains("wamid.middle", rejected.RawJson, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_change_is_rejected_whole_and_the_next_change_still_parses()
    {
        var body = """
            {"object":"whatsapp_business_account","entry":[{"id":"waba","changes":[
              {"field":"messages","value":{"metadata":{"phone_number_id":"pn"},"messages":[{"from":"1","id":"wamid.ok","timestamp":"1603059201","type":"text","text":{"body":"a"}}],"statuses":{}}},
              {"field":"messages","value":{"metadata":{"phone_number_id":"pn"},"messages":[{"from":"1","id":"wamid.next","timestamp":"1603059201","type":"text","text":{"body":"b"}}]}}]}]}
            """;

        var batch = ParseWhatsApp(body);

        // The first change's statuses are not an array: nothing of that change is half-taken.
        Assert.Equal(["wamid.next"], batch.Events.Cast<ChannelMessage>().Select(m => m.ExternalMessageId));
        var rejected = Assert.Single(batch.Rejected);
        Assert.Equal("entry[0].changes[0]", rejected.Path);
        Assert.Equal("value.statuses is an object, expected an array", rejected.Reason);
    }

    private static ChannelMessage MessageOf(string message) => Single<ChannelMessage>(ParseWhatsApp(WhatsAppMessages(message)));

    private static MessageContent ContentOf(string message) => Assert.IsType<MessageContent>(MessageOf(message).Content);
}

using Flexoraa.Channels;
using static Flexoraa.Tests.Channels.MetaFixtures;

namespace Flexoraa.Tests.Channels;

/// <summary>Edits and deletions in Meta's shapes (reference C.2 and C.5) become changes of the message they name, not messages.</summary>
public sealed class MessageChangeParsingTests
{
    [Fact]
    public void A_whatsapp_edit_names_its_original_and_carries_the_new_text()
    {
        var edit = Single<ChannelMessageEdit>(ParseWhatsApp(WhatsAppMessages("""
            {"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=","timestamp":"1749854575","type":"edit",
             "edit":{"original_message_id":"wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=",
              "message":{"context":{"id":"M0"},"type":"text","text":{"body":"Updated text"}}}}
            """)));

        Assert.Equal("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=", edit.EventId);
        Assert.Equal("wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=", edit.TargetMessageId);
        Assert.Equal("Updated text", edit.Text);
        Assert.Equal("16505551234", edit.ContactId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1749854575), edit.OccurredAt);
    }

    [Fact]
    public void A_whatsapp_edit_of_captioned_media_carries_the_new_caption()
    {
        var edit = Single<ChannelMessageEdit>(ParseWhatsApp(WhatsAppMessages("""
            {"from":"16505551234","id":"wamid.E","timestamp":"1749854575","type":"edit",
             "edit":{"original_message_id":"wamid.O","message":{"type":"image","image":{"caption":"new caption","id":"1"}}}}
            """)));

        Assert.Equal("new caption", edit.Text);
    }

    [Fact]
    public void A_whatsapp_revoke_is_a_deletion_of_its_original()
    {
        var deletion = Single<ChannelMessageDeletion>(ParseWhatsApp(WhatsAppMessages(
            """{"from":"16505551234","id":"wamid.X","timestamp":"1749854600","type":"revoke","revoke":{"original_message_id":"wamid.Y"}}""")));

        Assert.Equal(("wamid.X", "wamid.Y"), (deletion.EventId, deletion.TargetMessageId));
    }

    [Fact]
    public void A_whatsapp_revoke_without_its_original_is_rejected_on_its_own()
    {
        var batch = ParseWhatsApp(WhatsAppMessages(
            """{"from":"16505551234","id":"wamid.X","timestamp":"1749854600","type":"revoke","revoke":{}}""",
            """{"from":"16505551234","id":"wamid.T","timestamp":"1749854601","type":"text","text":{"body":"still here"}}"""));

        Assert.Equal("wamid.T", Assert.IsType<ChannelMessage>(Assert.Single(batch.Events)).ExternalMessageId);
        Assert.Contains("revoke.original_message_id", Assert.Single(batch.Rejected).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsupported_edit_reads_as_the_customer_edited_a_message()
    {
        var message = Single<ChannelMessage>(ParseWhatsApp(WhatsAppMessages("""
            {"from":"16505551234","id":"wamid.Z","timestamp":"1750090702","type":"unsupported","unsupported":{"type":"edit"},
             "errors":[{"code":131051,"title":"Message type unknown","message":"Message type unknown","error_data":{"details":"Message type is currently not supported."}}]}
            """)));

        Assert.Equal(MessageKind.Unsupported, message.Kind);
        Assert.Equal("the customer edited a message", message.Text);
        Assert.Equal("the customer edited a message · Message type unknown", message.Content?.Summary);
    }

    [Fact]
    public void A_messenger_message_edit_names_the_original_mid_and_tells_edits_apart_by_their_number()
    {
        var batch = ParseMessenger(MessagingEvents("page", "PAGE",
            """{"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"timestamp":1700000000000,"message_edit":{"mid":"m_1","text":"two","num_edit":1}}""",
            """{"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"timestamp":1700000001000,"message_edit":{"mid":"m_1","text":"three","num_edit":2}}"""));

        var edits = batch.Events.Cast<ChannelMessageEdit>().ToList();
        Assert.Equal(["m_1", "m_1"], edits.Select(e => e.TargetMessageId));
        Assert.Equal(["two", "three"], edits.Select(e => e.Text));
        Assert.Equal(2, edits.Select(e => e.EventId).Distinct().Count());
        Assert.Equal("PSID", edits[0].ContactId);
    }

    [Fact]
    public void A_messenger_react_and_unreact_with_one_timestamp_keep_distinct_ids()
    {
        var batch = ParseMessenger(MessagingEvents("page", "PAGE",
            """{"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"timestamp":1458668856463,"reaction":{"reaction":"love","emoji":"\u2764\ufe0f","action":"react","mid":"m_t"}}""",
            """{"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"timestamp":1458668856463,"reaction":{"action":"unreact","mid":"m_t"}}"""));

        var ids = batch.Events.Cast<ChannelMessage>().Select(m => m.ExternalMessageId).ToList();
        Assert.Equal(2, ids.Distinct().Count());
    }
}

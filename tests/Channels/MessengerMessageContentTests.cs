using Flexoraa.Channels;
using static Flexoraa.Tests.Channels.MetaFixtures;

namespace Flexoraa.Tests.Channels;

/// <summary>The typed content of Messenger and Instagram events (reference sections B and C.5).</summary>
public sealed class MessengerMessageContentTests
{
    [Fact]
    public void A_reaction_and_its_removal_carry_the_emoji_and_the_target_as_content()
    {
        var react = """{"sender":{"id":"<PSID>"},"recipient":{"id":"<PAGE_ID>"},"timestamp":1458668856463,"reaction":{"reaction":"love","emoji":"\u2764\ufe0f","action":"react","mid":"<MID_OF_THE_REACTED_TO_MESSAGE>"}}""";
        var unreact = """{"sender":{"id":"<PSID>"},"recipient":{"id":"<PAGE_ID>"},"timestamp":1458668859999,"reaction":{"action":"unreact","mid":"<MID_OF_THE_REACTED_TO_MESSAGE>"}}""";

        var events = ParseMessenger(MessagingEvents("page", "<PAGE_ID>", react, unreact)).Events.Cast<ChannelMessage>().ToList();

        Assert.Equal(new ReactionContent("\u2764\ufe0f", "<MID_OF_THE_REACTED_TO_MESSAGE>"), events[0].Content?.Reaction);
        Assert.True(events[1].Content?.Reaction?.Removed);
    }

    [Fact]
    public void A_quick_reply_and_a_postback_carry_the_choice_with_its_payload()
    {
        var quickReply = """{"sender":{"id":"<PSID>"},"recipient":{"id":"<PAGE_ID>"},"timestamp":1458692752478,"message":{"mid":"mid.1457764197618:41d102a3e1ae206a38","text":"hello, world!","quick_reply":{"payload":"<DEVELOPER_DEFINED_PAYLOAD>"}}}""";
        var postback = """{"sender":{"id":"<PSID>"},"recipient":{"id":"<PAGE_ID>"},"timestamp":1458692752479,"postback":{"mid":"m_postback","title":"Get Started","payload":"GET_STARTED"}}""";

        var events = ParseMessenger(MessagingEvents("page", "<PAGE_ID>", quickReply, postback)).Events.Cast<ChannelMessage>().ToList();

        Assert.Equal(new InteractiveReply(null, "hello, world!", null, "<DEVELOPER_DEFINED_PAYLOAD>"), events[0].Content?.Choice);
        Assert.Equal(new InteractiveReply(null, "Get Started", null, "GET_STARTED"), events[1].Content?.Choice);
    }

    [Fact]
    public void An_unsupported_instagram_message_says_so_instead_of_being_an_empty_row()
    {
        var body = MessagingEvents("instagram", "IGID", """{"sender":{"id":"IGSID"},"recipient":{"id":"IGID"},"timestamp":1569262485349,"message":{"mid":"m_unsupported","is_unsupported":true}}""");

        var message = Single<ChannelMessage>(ParseMessenger(body));

        Assert.Equal(MessageKind.Unsupported, message.Kind);
        Assert.Equal("unsupported", message.Content?.Unsupported?.Type);
        Assert.Equal("unsupported unsupported message", message.Content?.Summary);
    }

    [Fact]
    public void Plain_messenger_text_carries_no_content()
    {
        // The reference's assembled Messenger body (B.1).
        var body = """{"object":"page","entry":[{"id":"<PAGE_ID>","time":1458692752478,"messaging":[{"sender":{"id":"<PSID>"},"recipient":{"id":"<PAGE_ID>"},"timestamp":1458692752478,"message":{"mid":"mid.1457764197618:41d102a3e1ae206a38","text":"hello, world!"}}]}]}""";

        Assert.Null(Single<ChannelMessage>(ParseMessenger(body)).Content);
    }

    [Fact]
    public void A_malformed_messaging_event_is_rejected_and_its_sibling_still_parses()
    {
        var bad = """{"sender":{"id":"<PSID>"},"recipient":{"id":"<PAGE_ID>"},"timestamp":1458692752478,"message":{"text":"no mid"}}""";
        var good = """{"sender":{"id":"<PSID>"},"recipient":{"id":"<PAGE_ID>"},"timestamp":1458692752478,"message":{"mid":"m_good","text":"fine"}}""";

        var batch = ParseMessenger(MessagingEvents("page", "<PAGE_ID>", bad, good));

        Assert.Equal("m_good", Single<ChannelMessage>(batch).ExternalMessageId);
        var rejected = Assert.Single(batch.Rejected);
        Assert.Equal(("entry[0].messaging[0]", "message.mid is missing", "<PAGE_ID>"), (rejected.Path, rejected.Reason, rejected.AccountId));
    }
}

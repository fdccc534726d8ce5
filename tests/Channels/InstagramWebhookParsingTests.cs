using Flexoraa.Channels;
using Flexoraa.Channels.Meta;
using static Flexoraa.Tests.Channels.MetaFixtures;

namespace Flexoraa.Tests.Channels;

public sealed class InstagramWebhookParsingTests
{
    /// <summary>A messaging event from the customer to the account, as in the reference's Instagram sample.</summary>
    private static string FromCustomer(string members) => """{"sender":{"id":"IGSID"},"recipient":{"id":"IGID"},"timestamp":1569262485349,""" + members + "}";

    [Fact]
    public void An_instagram_text_message_comes_from_the_igsid_to_the_professional_account()
    {
        var message = Single<ChannelMessage>(ParseMessenger(Text("instagram-text.json")));

        Assert.Equal(ChannelKind.Instagram, message.Channel);
        Assert.Equal("IGID", message.AccountId);
        Assert.Equal("IGSID", message.ContactId);
        Assert.Equal("MESSAGE-ID", message.ExternalMessageId);
        Assert.Equal("MESSAGE-TEXT", message.Text);
        Assert.Equal(MessageKind.Text, message.Kind);
        Assert.Equal(MessageDirection.Inbound, message.Direction);
        Assert.Equal(At("2019-09-23T18:14:45.349Z"), message.OccurredAt);
    }

    [Fact]
    public void The_generic_meta_parser_routes_instagram_bodies_by_their_object()
    {
        Assert.Equal(ChannelKind.Instagram, Single<ChannelMessage>(MetaWebhookParser.Parse(Bytes("instagram-text.json"))).Channel);
        Assert.Equal(ChannelKind.Messenger, Single<ChannelMessage>(MetaWebhookParser.Parse(Bytes("messenger-text.json"))).Channel);
    }

    [Fact]
    public void An_instagram_echo_comes_through_the_messages_field_marked_is_echo()
    {
        var ev = """{"sender":{"id":"IGID"},"recipient":{"id":"IGSID"},"timestamp":1569262485349,"message":{"mid":"m_echo","text":"Thanks!","is_echo":true}}""";

        var message = Single<ChannelMessage>(ParseMessenger(MessagingEvents("instagram", "IGID", ev)));

        Assert.Equal(MessageDirection.Echo, message.Direction);
        Assert.Equal("IGSID", message.ContactId);
        Assert.Equal("IGID", message.AccountId);
    }

    [Fact]
    public void A_story_reply_keeps_the_text_and_the_story_it_answers()
    {
        var ev = FromCustomer(""" "message":{"mid":"m_story_reply","text":"Love this!","reply_to":{"story":{"url":"https://lookaside.test/story.jpg","id":"17900000000000000"}}}""");

        var message = Single<ChannelMessage>(ParseMessenger(MessagingEvents("instagram", "IGID", ev)));

        Assert.Equal(MessageKind.StoryReply, message.Kind);
        Assert.Equal("Love this!", message.Text);
        Assert.Equal(new ReplyContext(null, null, null, new ReferredStory("17900000000000000", "https://lookaside.test/story.jpg")), message.Reply);
    }

    [Fact]
    public void A_story_mention_is_an_attachment_with_the_story_url()
    {
        var ev = FromCustomer(""" "message":{"mid":"m_mention","attachments":[{"type":"story_mention","payload":{"url":"https://lookaside.test/mention.mp4"}}]}""");

        var message = Single<ChannelMessage>(ParseMessenger(MessagingEvents("instagram", "IGID", ev)));

        Assert.Equal(MessageKind.StoryMention, message.Kind);
        Assert.Equal(new MediaReference(MessageKind.StoryMention, null, "https://lookaside.test/mention.mp4", null, null, null, null, null, false, false), Assert.Single(message.Attachments));
    }

    [Fact]
    public void A_shared_reel_keeps_its_video_id_and_title()
    {
        var ev = FromCustomer(""" "message":{"mid":"m_reel","attachments":[{"type":"ig_reel","payload":{"reel_video_id":"1789","title":"How we pack orders","url":"https://lookaside.test/reel.mp4"}}]}""");

        var reel = Assert.Single(Single<ChannelMessage>(ParseMessenger(MessagingEvents("instagram", "IGID", ev))).Attachments);

        Assert.Equal(new MediaReference(MessageKind.Reel, "1789", "https://lookaside.test/reel.mp4", null, null, null, null, "How we pack orders", false, false), reel);
    }

    [Fact]
    public void A_message_instagram_marks_unsupported_stays_unsupported()
    {
        var ev = FromCustomer(""" "message":{"mid":"m_unsupported","is_unsupported":true}""");

        Assert.Equal(MessageKind.Unsupported, Single<ChannelMessage>(ParseMessenger(MessagingEvents("instagram", "IGID", ev))).Kind);
    }

    [Fact]
    public void A_read_that_names_only_the_message_is_a_read_receipt_without_watermark()
    {
        // The messaging_seen shape is unconfirmed in the reference ({"read":{"mid":...}}); accept it rather than reject.
        var ev = FromCustomer(""" "read":{"mid":"m_seen"}""");

        var receipt = Single<ChannelReceipt>(ParseMessenger(MessagingEvents("instagram", "IGID", ev)));

        Assert.Equal(ReceiptKind.Read, receipt.Kind);
        Assert.Null(receipt.Watermark);
        Assert.Equal<string>(["m_seen"], receipt.MessageIds);
        Assert.Equal(At("2019-09-23T18:14:45.349Z"), receipt.OccurredAt);
        Assert.Equal(ChannelKind.Instagram, receipt.Channel);
    }

    [Fact]
    public void An_unsent_message_is_a_deletion_of_that_message_rather_than_a_new_message()
    {
        var ev = FromCustomer(""" "message":{"mid":"m_gone","is_deleted":true}""");

        var batch = ParseMessenger(MessagingEvents("instagram", "IGID", ev));

        var deletion = Assert.IsType<ChannelMessageDeletion>(Assert.Single(batch.Events));
        Assert.Equal("m_gone", deletion.TargetMessageId);
        Assert.Equal(ChannelKind.Instagram, deletion.Channel);
        Assert.Equal("IGID", deletion.AccountId);
        Assert.Empty(batch.Skipped);
    }
}

using Flexoraa.Channels;
using Flexoraa.Channels.Meta;
using static Flexoraa.Tests.Channels.MetaFixtures;

namespace Flexoraa.Tests.Channels;

/// <summary>
/// Every parser's strings go through <see cref="ChannelText"/> and every event through <see cref="InboundLimits"/>:
/// what comes out can always be stored, and what cannot be stored whole is rejected, never cut into a collision.
/// </summary>
public sealed class InboundNormalisationTests
{
    private const string Fffd = "\uFFFD";

    [Fact]
    public void A_nul_in_whatsapp_text_and_profile_name_becomes_the_replacement_character_and_the_raw_json_stays_jsonb_safe()
    {
        var json = WhatsAppValue("""
            "contacts":[{"profile":{"name":"Kerry\u0000Fisher"},"wa_id":"16315551234"}],
            "messages":[{"from":"16315551234","id":"wamid.nul","timestamp":"1603059201","type":"text","text":{"body":"before\u0000after"}}]
            """);

        var message = (ChannelMessage)MetaWebhookParser.Parse(Utf8(json)).Events.Single();

        Assert.Equal($"before{Fffd}after", message.Text);
        Assert.Equal($"Kerry{Fffd}Fisher", message.ContactName);
        Assert.Contains("""before\\u0000after""", message.RawJson);
    }

    [Fact]
    public void Lone_surrogates_in_captions_file_names_and_titles_become_the_replacement_character()
    {
        var json = WhatsAppMessages(
            """{"from":"1","id":"wamid.doc","timestamp":"1603059201","type":"document","document":{"id":"9","caption":"cap\ud800tion","filename":"f\udc00.pdf"}}""",
            """{"from":"1","id":"wamid.btn","timestamp":"1603059201","type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"b","title":"ti\u0000tle"}}}""");

        var events = MetaWebhookParser.Parse(Utf8(json)).Events.Cast<ChannelMessage>().ToList();

        Assert.Equal($"cap{Fffd}tion", events[0].Attachments.Single().Caption);
        Assert.Equal($"f{Fffd}.pdf", events[0].Attachments.Single().FileName);
        Assert.Equal($"ti{Fffd}tle", events[1].Interactive?.Title);
        Assert.Equal($"ti{Fffd}tle", events[1].Text);
    }

    [Theory]
    [InlineData("page")]
    [InlineData("instagram")]
    public void A_nul_in_messenger_and_instagram_text_becomes_the_replacement_character(string objectName)
    {
        var json = MessagingEvents(objectName, "PAGE", """{"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"timestamp":1458692752478,"message":{"mid":"m.1","text":"before\u0000after\ud800"}}""");

        var message = (ChannelMessage)MetaWebhookParser.Parse(Utf8(json)).Events.Single();

        Assert.Equal($"before{Fffd}after{Fffd}", message.Text);
    }

    [Fact]
    public void A_message_id_longer_than_the_column_is_rejected_whole_while_the_rest_of_the_delivery_is_kept()
    {
        var longId = "wamid." + new string('x', InboundLimits.MaxMessageIdLength);
        var json = WhatsAppMessages(
            $$$"""{"from":"1","id":"{{{longId}}}","timestamp":"1603059201","type":"text","text":{"body":"too long an id"}}""",
            """{"from":"1","id":"wamid.fine","timestamp":"1603059201","type":"text","text":{"body":"fine"}}""");

        var batch = MetaWebhookParser.Parse(Utf8(json));

        Assert.Equal("wamid.fine", ((ChannelMessage)Assert.Single(batch.Events)).ExternalMessageId);
        var rejected = Assert.Single(batch.Rejected);
        Assert.Equal("entry[0].changes[0].value.messages[0]", rejected.Path);
        Assert.Equal("27681414235104944", rejected.AccountId);
        Assert.Contains("message id", rejected.Reason);
    }

    [Fact]
    public void A_message_id_that_held_a_nul_is_rejected_rather_than_stored_under_a_changed_id()
    {
        var json = WhatsAppMessages("""{"from":"1","id":"wamid.a\u0000b","timestamp":"1603059201","type":"text","text":{"body":"x"}}""");

        var batch = MetaWebhookParser.Parse(Utf8(json));

        Assert.Empty(batch.Events);
        Assert.Contains("message id", Assert.Single(batch.Rejected).Reason);
    }

    [Theory]
    [InlineData(ChannelKind.WhatsApp, InboundLimits.MaxWhatsAppTextLength)]
    [InlineData(ChannelKind.Messenger, InboundLimits.MaxMessengerTextLength)]
    [InlineData(ChannelKind.Instagram, InboundLimits.MaxInstagramTextLength)]
    public void Text_longer_than_the_channel_allows_is_stored_cut_to_the_channels_limit(ChannelKind channel, int limit)
    {
        var body = new string('a', 1_000_000);
        var json = channel == ChannelKind.WhatsApp
            ? WhatsAppMessages($$$"""{"from":"1","id":"wamid.long","timestamp":"1603059201","type":"text","text":{"body":"{{{body}}}"}}""")
            : MessagingEvents(channel == ChannelKind.Instagram ? "instagram" : "page", "PAGE",
                $$$"""{"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"timestamp":1458692752478,"message":{"mid":"m.long","text":"{{{body}}}"}}""");

        var message = (ChannelMessage)MetaWebhookParser.Parse(Utf8(json)).Events.Single();

        Assert.Equal(limit, message.Text!.Length);
        Assert.EndsWith("…", message.Text);
    }
}

using Flexoraa.Channels;
using static Flexoraa.Tests.Channels.MetaFixtures;

namespace Flexoraa.Tests.Channels;

/// <summary>
/// Business-scoped user ids (BSUID): Meta names a customer by <c>user_id</c> beside the wa_id, or instead of it when they
/// hide their number behind a username; and <c>system</c> messages say when a customer changed number or user id.
/// </summary>
public sealed class WhatsAppIdentityParsingTests
{
    private static string Value(string inner) =>
        """{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"phone_number_id":"pn"},""" + "\"" +
        inner + "}}]}]}";

    [Fact]
    public void A_message_without_a_wa_id_is_keyed_by_its_bsuid_and_keeps_the_profile_name_and_username()
    {
        var message = Single<ChannelMessage>(ParseWhatsApp(Value(
            """contacts":[{"profile":{"name":"Sheena","username":"@sheena"},"user_id":"US.13491208655302741918"}],"messages":[{"from_user_id":"US.13491208655302741918","id":"wamid.X","timestamp":"1750269342","type":"text","text":{"body":"hi"}}]""")));

        Assert.Equal("US.13491208655302741918", message.ContactId);
        Assert.Equal("US.13491208655302741918", message.ContactUserId);
        Assert.Equal("Sheena", message.ContactName);
        Assert.Equal("@sheena", message.ContactUsername);
        Assert.Equal("hi", message.Text);
    }

    [Fact]
    public void A_message_with_both_ids_is_keyed_by_the_wa_id_and_carries_the_bsuid_from_its_contact()
    {
        var message = Single<ChannelMessage>(ParseWhatsApp(Value(
            """contacts":[{"profile":{"name":"Sheena Nelson","username":"@sheena"},"wa_id":"16505551234","user_id":"US.13491208655302741918"}],"messages":[{"from":"16505551234","id":"wamid.Y","timestamp":"1750269342","type":"text","text":{"body":"hi"}}]""")));

        Assert.Equal("16505551234", message.ContactId);
        Assert.Equal("US.13491208655302741918", message.ContactUserId);
        Assert.Equal("Sheena Nelson", message.ContactName);
        Assert.Equal("@sheena", message.ContactUsername);
    }

    [Fact]
    public void A_message_from_a_wa_id_alone_has_no_user_id_as_before()
    {
        var message = Single<ChannelMessage>(ParseWhatsApp(Text("whatsapp-text.json")));

        Assert.Equal("16315551234", message.ContactId);
        Assert.Null(message.ContactUserId);
        Assert.Null(message.ContactUsername);
    }

    [Fact]
    public void A_changed_number_system_message_is_shown_as_system_text_and_names_the_new_number()
    {
        var message = Single<ChannelMessage>(ParseWhatsApp(Value(
            """messages":[{"from":"16505551234","id":"wamid.S","timestamp":"1750269342","type":"system","system":{"body":"User Sheena Nelson changed from 16505551234 to 12195555358","wa_id":"12195555358","type":"user_changed_number"}}]""")));

        Assert.Equal("16505551234", message.ContactId);
        Assert.Equal(MessageKind.System, message.Kind);
        Assert.Equal("User Sheena Nelson changed from 16505551234 to 12195555358", message.Text);
        Assert.Equal(new ContactIdentityChange(ContactIdentityChangeKind.NumberChanged, "12195555358", null), message.IdentityChange);
    }

    [Theory]
    [InlineData(""","user_id":"US.99"}""", "US.99")]
    [InlineData("}", null)]
    public void A_changed_user_id_system_message_names_the_new_bsuid_when_meta_sends_one(string tail, string? newUserId)
    {
        var message = Single<ChannelMessage>(ParseWhatsApp(Value(
            """messages":[{"from":"16505551234","id":"wamid.U","timestamp":"1750269342","type":"system","system":{"body":"User changed their user id","type":"user_changed_user_id" """ + tail + "}]")));

        Assert.Equal(new ContactIdentityChange(ContactIdentityChangeKind.UserIdChanged, null, newUserId), message.IdentityChange);
    }

    [Fact]
    public void A_message_with_neither_id_is_rejected_by_its_path_and_its_sibling_is_kept()
    {
        var batch = ParseWhatsApp(Value(
            """messages":[{"id":"wamid.none","timestamp":"1750269342","type":"text","text":{"body":"who?"}},{"from_user_id":"US.1","id":"wamid.ok","timestamp":"1750269342","type":"text","text":{"body":"me"}}]"""));

        var rejected = Assert.Single(batch.Rejected);
        Assert.Equal("entry[0].changes[0].value.messages[0]", rejected.Path);
        Assert.Equal("from (wa_id) and from_user_id (BSUID) are both missing", rejected.Reason);
        Assert.Equal("wamid.ok", Assert.IsType<ChannelMessage>(Assert.Single(batch.Events)).ExternalMessageId);
    }

    [Fact]
    public void A_status_for_a_customer_without_a_wa_id_is_keyed_by_the_recipient_bsuid()
    {
        var status = Single<ChannelStatusUpdate>(ParseWhatsApp(Value(
            """statuses":[{"id":"wamid.out","status":"delivered","timestamp":"1750269342","recipient_user_id":"US.13491208655302741918"}]""")));

        Assert.Equal("US.13491208655302741918", status.ContactId);
        Assert.Equal("US.13491208655302741918", status.ContactUserId);
    }

    [Fact]
    public void A_status_with_both_recipient_ids_is_keyed_by_the_wa_id()
    {
        var status = Single<ChannelStatusUpdate>(ParseWhatsApp(Value(
            """statuses":[{"id":"wamid.out","status":"read","timestamp":"1750269342","recipient_id":"16505551234","recipient_user_id":"US.1349"}]""")));

        Assert.Equal("16505551234", status.ContactId);
        Assert.Equal("US.1349", status.ContactUserId);
    }
}

using Flexoraa.Channels;
using Flexoraa.Contacts;
using Flexoraa.FrontendApi.Inbox;

namespace Flexoraa.Tests.Contacts;

/// <summary>The contact's <c>displayName</c> is never null, and <c>profileStatus</c> says why it is what it is.</summary>
public sealed class ContactDisplayNameTests
{
    [Theory]
    [InlineData(ChannelKind.Messenger, "24019858714821", "Peter Chang", null, "Peter Chang")]
    [InlineData(ChannelKind.Instagram, "17841400000004821", null, "kerry.fisher", "@kerry.fisher")]
    [InlineData(ChannelKind.Messenger, "24019858714821", null, null, "Messenger user ·4821")]
    [InlineData(ChannelKind.Instagram, "17841400000001234", "  ", null, "Instagram user ·1234")]
    [InlineData(ChannelKind.WhatsApp, "919000000072", null, null, "+919000000072")]
    [InlineData(ChannelKind.WhatsApp, "919000000072", "Kerry Fisher", null, "Kerry Fisher")]
    public void The_display_name_is_the_name_else_the_username_else_a_stand_in_from_the_id(ChannelKind channel, string id, string? name, string? username, string expected) =>
        Assert.Equal(expected, ConversationContact.Of(channel, id, name, username, null, null).DisplayName);

    [Theory]
    [InlineData(ChannelKind.Messenger, null, "pending")]
    [InlineData(ChannelKind.Instagram, null, "pending")]
    [InlineData(ChannelKind.WhatsApp, null, "notApplicable")]
    [InlineData(ChannelKind.Messenger, ContactProfileStatus.Found, "found")]
    [InlineData(ChannelKind.Messenger, ContactProfileStatus.Unavailable, "unavailable")]
    [InlineData(ChannelKind.Instagram, ContactProfileStatus.ConsentRequired, "consentRequired")]
    public void A_contact_never_looked_up_is_pending_on_channels_with_profiles_and_not_applicable_on_WhatsApp(ChannelKind channel, ContactProfileStatus? stored, string expected) =>
        Assert.Equal(expected, ConversationContact.Of(channel, "1234567", null, null, null, stored).ProfileStatus);

    [Fact]
    public void Every_status_name_parses_back_and_nothing_else_does()
    {
        foreach (var status in Enum.GetValues<ContactProfileStatus>()) Assert.Equal(status, ContactProfileStatuses.Parse(ContactProfileStatuses.Name(status)));
        Assert.Null(ContactProfileStatuses.Parse("Found"));
        Assert.Null(ContactProfileStatuses.Parse("1"));
        Assert.Null(ContactProfileStatuses.Parse(null));
    }
}

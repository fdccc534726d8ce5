using System.Globalization;
using Flexoraa.Channels;
using Flexoraa.Contacts;

namespace Flexoraa.FrontendApi.Inbox;

/// <summary>
/// Who the conversation is with: their channel id (phone number, PSID or IGSID) and the name the channel gave
/// (WhatsApp's webhook, or the Messenger / Instagram profile; null while unknown). <see cref="DisplayName"/> is never
/// null: the name, else <c>@username</c>, else a stand-in from the id (<c>+919000000072</c>, <c>Messenger user ·4821</c>),
/// and <see cref="ProfileStatus"/> says why (<c>pending</c>, <c>found</c>, <c>unavailable</c>, <c>consentRequired</c>,
/// <c>notApplicable</c>). <see cref="AvatarUrl"/> is Meta's picture URL, which expires; it is renewed with the profile.
/// On WhatsApp the id is the customer's wa_id, or their business-scoped user id (BSUID) when they hide their number;
/// <see cref="UserId"/> is the BSUID whenever Meta sent one and <see cref="Username"/> their username.
/// </summary>
public sealed record ConversationContact(string Id, string? Name, string DisplayName, string ProfileStatus, string? Username, string? AvatarUrl, string? UserId)
{
    /// <summary>The one mapping REST and the hub share, from what the row or the grain keeps.</summary>
    public static ConversationContact Of(ChannelKind channel, string id, string? name, string? username, string? avatarUrl, ContactProfileStatus? status,
        string? userId = null) =>
        new(id, name, DisplayNameOf(channel, id, name, username), ContactProfileStatuses.Name(ContactProfileStatuses.Effective(channel, status)), username, avatarUrl, userId);

    public static ConversationContact Of(ContactSnapshot contact) =>
        Of(contact.Channel, contact.ContactId, contact.Name, contact.Username, contact.AvatarUrl, contact.ProfileStatus, contact.UserId);

    private static string DisplayNameOf(ChannelKind channel, string id, string? name, string? username)
    {
        if (!string.IsNullOrWhiteSpace(name)) return name;
        if (!string.IsNullOrWhiteSpace(username)) return "@" + username;
        return channel switch
        {
            ChannelKind.WhatsApp => id.StartsWith('+') ? id : "+" + id,
            ChannelKind.Messenger => "Messenger user ·" + LastFour(id),
            _ => "Instagram user ·" + LastFour(id),
        };
    }

    private static string LastFour(string id) => id.Length <= 4 ? id : id[^4..].ToString(CultureInfo.InvariantCulture);
}

namespace Flexoraa.Contacts;

/// <summary>
/// What is known of a contact's channel profile. The numbers are serialized; never renumber them. Names on the wire and
/// in <c>conversations.contact_profile_status</c>: <see cref="ContactProfileStatuses"/>.
/// </summary>
public enum ContactProfileStatus
{
    /// <summary>Not looked up yet, or the last look-up failed for a reason that heals (rate limit, outage).</summary>
    Pending = 0,

    /// <summary>Meta answered with the profile: name, username and picture as far as it has them.</summary>
    Found = 1,

    /// <summary>Meta has no profile for this user (Messenger's 2018218, or another refusal that will not heal by retrying).</summary>
    Unavailable = 2,

    /// <summary>Instagram's 230: the user has not consented to share their profile.</summary>
    ConsentRequired = 3,

    /// <summary>The channel has no profile look-up: WhatsApp gives the name in each webhook.</summary>
    NotApplicable = 4,
}

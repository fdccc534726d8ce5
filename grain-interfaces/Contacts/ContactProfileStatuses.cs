using Flexoraa.Channels;

namespace Flexoraa.Contacts;

/// <summary>The wire and column names of <see cref="ContactProfileStatus"/>: <c>pending</c>, <c>found</c>, <c>unavailable</c>, <c>consentRequired</c>, <c>notApplicable</c>.</summary>
public static class ContactProfileStatuses
{
    public static string Name(ContactProfileStatus status) => status switch
    {
        ContactProfileStatus.Pending => "pending",
        ContactProfileStatus.Found => "found",
        ContactProfileStatus.Unavailable => "unavailable",
        ContactProfileStatus.ConsentRequired => "consentRequired",
        ContactProfileStatus.NotApplicable => "notApplicable",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<ContactProfileStatus>().Select(Name)];

    public static ContactProfileStatus? Parse(string? name) =>
        Enum.GetValues<ContactProfileStatus>().Cast<ContactProfileStatus?>().FirstOrDefault(s => Name(s!.Value) == name);

    /// <summary>Only Messenger and Instagram have a profile to look up.</summary>
    public static bool HasProfiles(ChannelKind channel) => channel is ChannelKind.Messenger or ChannelKind.Instagram;

    /// <summary>
    /// What a contact's status is as a client should read it: the stored one, or (never looked up) <c>pending</c> on a
    /// channel with profiles and <c>notApplicable</c> on one without.
    /// </summary>
    public static ContactProfileStatus Effective(ChannelKind channel, ContactProfileStatus? stored) =>
        stored ?? (HasProfiles(channel) ? ContactProfileStatus.Pending : ContactProfileStatus.NotApplicable);
}

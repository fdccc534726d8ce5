namespace Flexoraa.Contacts;

/// <summary>
/// The outcome of one profile look-up, as <see cref="IContactProfileGrain"/> hands it to the conversation:
/// <see cref="Name"/> is what the inbox shows (Messenger: first and last name; Instagram: the name, else
/// <c>@username</c>), null unless <see cref="Status"/> is found. <see cref="AvatarUrl"/> is Meta's picture URL, which
/// expires; <see cref="CheckedAt"/> is when Meta answered, from which the refresh period runs.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Contacts.ContactProfile")]
public sealed record ContactProfile(
    [property: Id(0)] ContactProfileStatus Status,
    [property: Id(1)] string? Name,
    [property: Id(2)] string? Username,
    [property: Id(3)] string? AvatarUrl,
    [property: Id(4)] DateTimeOffset CheckedAt);

namespace Flexoraa.Channels.Meta;

/// <summary>
/// What <c>GET /{PSID | IGSID}?fields=…</c> answered (shared/reference/meta-platform.md C.5): Messenger gives
/// <see cref="FirstName"/>, <see cref="LastName"/> and <see cref="Name"/>; Instagram gives <see cref="Name"/> and
/// <see cref="Username"/>, and its name may be null. <see cref="ProfilePic"/> is a URL that expires.
/// </summary>
public sealed record GraphUserProfile(string? Id, string? Name, string? FirstName, string? LastName, string? Username, string? ProfilePic);

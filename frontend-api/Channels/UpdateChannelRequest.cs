namespace Flexoraa.FrontendApi.Channels;

/// <summary>
/// <c>PATCH /api/v1/channels/{id}</c>: absent fields stay as they are. A Messenger page's token is
/// <see cref="PageAccessToken"/>, every other channel's <see cref="AccessToken"/>; the ids cannot change (connect the
/// new account and disconnect the old one instead).
/// </summary>
public sealed record UpdateChannelRequest(
    string? DisplayName = null,
    string? PhoneNumber = null,
    string? AccessToken = null,
    string? PageAccessToken = null,
    string? AppSecret = null,
    string? VerifyToken = null);

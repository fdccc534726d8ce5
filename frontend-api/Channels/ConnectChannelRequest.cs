using Flexoraa.Channels;

namespace Flexoraa.FrontendApi.Channels;

/// <summary>
/// <c>POST /api/v1/channels</c>. Which fields apply depends on <see cref="Channel"/>:
/// <list type="bullet">
/// <item><c>whatsapp</c>: <see cref="PhoneNumberId"/>, <see cref="WabaId"/>, <see cref="AccessToken"/>, optional <see cref="PhoneNumber"/>.</item>
/// <item><c>messenger</c>: <see cref="PageId"/>, <see cref="PageAccessToken"/>.</item>
/// <item><c>instagram</c>: <see cref="InstagramAccountId"/>, <see cref="AccessToken"/>.</item>
/// </list>
/// <see cref="AppSecret"/> is needed unless the deployment has its own Meta app (<c>Flexoraa:Meta:AppSecret</c>).
/// </summary>
public sealed record ConnectChannelRequest(
    string? Channel,
    string? PhoneNumberId = null,
    string? WabaId = null,
    string? AccessToken = null,
    string? PhoneNumber = null,
    string? PageId = null,
    string? PageAccessToken = null,
    string? InstagramAccountId = null,
    string? AppSecret = null,
    string? VerifyToken = null,
    string? DisplayName = null)
{
    public string? ExternalAccountIdFor(ChannelKind channel) => channel switch
    {
        ChannelKind.WhatsApp => PhoneNumberId,
        ChannelKind.Messenger => PageId,
        _ => InstagramAccountId,
    };

    public string? AccessTokenFor(ChannelKind channel) => channel == ChannelKind.Messenger ? PageAccessToken : AccessToken;
}

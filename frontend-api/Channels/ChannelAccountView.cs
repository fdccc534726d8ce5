using Flexoraa.Channels;

namespace Flexoraa.FrontendApi.Channels;

/// <summary>
/// A channel account as the API shows it. Secrets never leave the server: only whether the account has its own app
/// secret and verify token, and the last characters of a long access token so people can tell tokens apart.
/// </summary>
public sealed record ChannelAccountView(
    string Id,
    string Channel,
    string ExternalAccountId,
    string DisplayName,
    string? WabaId,
    string? PhoneNumber,
    string Status,
    string? AccessTokenHint,
    bool HasAppSecret,
    bool HasVerifyToken,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static ChannelAccountView From(ChannelAccountRecord account) => new(
        account.Id,
        ChannelKindNames.Of(account.Channel),
        account.ExternalAccountId,
        account.DisplayName,
        account.WabaId,
        account.PhoneNumber,
        account.Status,
        account.AccessTokenHint,
        account.AppSecretProtected is not null,
        account.VerifyTokenHash is not null,
        account.CreatedAt,
        account.UpdatedAt);
}

using Flexoraa.Channels;

namespace Flexoraa.FrontendApi.Webhooks;

/// <summary>
/// The Meta app secrets and verify tokens webhooks are checked against: the deployment's own Meta app
/// (<c>Flexoraa:Meta:AppSecret</c>, <c>Flexoraa:Meta:VerifyToken</c>) plus those of tenants who connected their own apps.
/// </summary>
public interface IMetaAppCredentials
{
    /// <summary>Every app secret that may sign a webhook of <paramref name="channel"/>. Few in practice, so trying each is cheap.</summary>
    ValueTask<IReadOnlyList<string>> AppSecretsAsync(ChannelKind channel, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="token"/> is a verify token configured for <paramref name="channel"/>.</summary>
    ValueTask<bool> IsVerifyTokenAsync(ChannelKind channel, string token, CancellationToken cancellationToken);
}

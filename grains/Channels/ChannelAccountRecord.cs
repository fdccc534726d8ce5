namespace Flexoraa.Channels;

/// <summary>
/// One row of <c>channel_accounts</c>. The secrets are Data Protection payloads (see <see cref="ChannelSecretProtector"/>);
/// the verify token is only its SHA-256. A null <see cref="AppSecretProtected"/> means the deployment's own Meta app.
/// </summary>
public sealed record ChannelAccountRecord(
    string Id,
    string TenantId,
    ChannelKind Channel,
    string ExternalAccountId,
    string DisplayName,
    string? WabaId,
    string? PhoneNumber,
    string AccessTokenProtected,
    string? AccessTokenHint,
    string? AppSecretProtected,
    byte[]? VerifyTokenHash,
    string AppSecretFingerprint,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public const string Active = "active";
    public const string Disconnected = "disconnected";

    /// <summary>The owner <see cref="IChannelAccountGrain"/> should hold while this account is connected.</summary>
    public ChannelAccountOwner Owner => new(TenantId, Id, Channel, ExternalAccountId, AppSecretFingerprint);
}

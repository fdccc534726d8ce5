using System.Security.Cryptography;
using Flexoraa.Channels;
using Flexoraa.ReadModels;

namespace Flexoraa.Outbound;

/// <summary>
/// The conversation's question to the <see cref="SandboxPolicy"/> when it stores a reply: does this one go to the sandbox?
/// A singleton of its own so that a conversation activation does not construct the senders and their HTTP clients,
/// which only the <see cref="OutboundMessageGrain"/> uses.
/// </summary>
public sealed class ReplySandbox(SandboxPolicy policy, ChannelSecretProtector protector)
{
    public async Task<bool> AppliesAsync(TenantSession session, string channelAccountId, CancellationToken cancellationToken = default) =>
        policy.Applies(channelAccountId, await CredentialsUsableAsync(session, channelAccountId, cancellationToken));

    /// <summary>Whether the account's token can be used at all (connected, decryptable); the sandbox policy asks in local mode.</summary>
    private async Task<bool> CredentialsUsableAsync(TenantSession session, string channelAccountId, CancellationToken cancellationToken)
    {
        var account = await ChannelAccountStore.FindAsync(session, channelAccountId, cancellationToken: cancellationToken);
        if (account is null || account.Status != ChannelAccountRecord.Active) return false;
        try
        {
            return !string.IsNullOrWhiteSpace(protector.Unprotect(account.AccessTokenProtected));
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}

using Microsoft.AspNetCore.DataProtection;

namespace Flexoraa.Channels;

/// <summary>
/// Encrypts channel secrets (access tokens, app secrets) for storage, with the deployment's shared Data Protection key
/// ring. The purpose string isolates these payloads from any other use of Data Protection; bump its version only
/// together with a re-encryption of every stored secret.
/// </summary>
public sealed class ChannelSecretProtector(IDataProtectionProvider provider)
{
    public const string Purpose = "Flexoraa.ChannelSecrets.v1";

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public string Protect(string secret) => _protector.Protect(secret);

    /// <summary>Throws <see cref="System.Security.Cryptography.CryptographicException"/> for a payload it cannot read.</summary>
    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}

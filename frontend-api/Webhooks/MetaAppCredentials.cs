using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Flexoraa.Channels;

namespace Flexoraa.FrontendApi.Webhooks;

/// <summary>
/// The app secrets and verify tokens webhooks are checked against: the deployment's configured ones plus those of
/// accounts connected with their own Meta app. Every webhook needs the secrets, so they are decrypted once and kept for
/// <see cref="CacheLifetime"/>; changes made through this process are seen at once (<see cref="InvalidateCache"/>),
/// those of other frontends within that time. Verify tokens are needed only for the rare subscription handshake and
/// are looked up by hash each time.
/// </summary>
public sealed class MetaAppCredentials(
    MetaSettings settings, ChannelAccountStore store, ChannelSecretProtector protector, TimeProvider clock, ILogger<MetaAppCredentials> logger)
    : IMetaAppCredentials
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<ChannelKind, CachedSecrets> _secrets = new();
    private readonly Lock _refreshing = new();

    public async ValueTask<IReadOnlyList<string>> AppSecretsAsync(ChannelKind channel, CancellationToken cancellationToken)
    {
        if (!_secrets.TryGetValue(channel, out var cached) || IsStale(cached))
        {
            // One load per channel at a time: callers arriving while it runs share it instead of each querying.
            lock (_refreshing)
            {
                if (!_secrets.TryGetValue(channel, out cached) || IsStale(cached))
                {
                    cached = new CachedSecrets(new Lazy<Task<IReadOnlyList<string>>>(() => LoadAsync(channel)), clock.GetUtcNow() + CacheLifetime);
                    _secrets[channel] = cached;
                }
            }
        }
        // The shared load ignores any one caller's cancellation; the caller only stops waiting for it.
        return await cached.Secrets.Value.WaitAsync(cancellationToken);
    }

    public async ValueTask<bool> IsVerifyTokenAsync(ChannelKind channel, string token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token)) return false;
        // Comparing hashes keeps the time independent of where (and whether the lengths) differ.
        if (!string.IsNullOrEmpty(settings.VerifyToken) &&
            CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), SHA256.HashData(Encoding.UTF8.GetBytes(settings.VerifyToken))))
        {
            return true;
        }
        return await store.VerifyTokenExistsAsync(channel, token, cancellationToken);
    }

    /// <summary>Called after this process connects, changes or disconnects an account.</summary>
    public void InvalidateCache() => _secrets.Clear();

    private bool IsStale(CachedSecrets cached) =>
        cached.ExpiresAt <= clock.GetUtcNow() ||
        (cached.Secrets.IsValueCreated && (cached.Secrets.Value.IsFaulted || cached.Secrets.Value.IsCanceled));

    private async Task<IReadOnlyList<string>> LoadAsync(ChannelKind channel)
    {
        var secrets = new List<string>();
        if (!string.IsNullOrEmpty(settings.AppSecret)) secrets.Add(settings.AppSecret);
        foreach (var protectedSecret in await store.ProtectedAppSecretsAsync(channel, CancellationToken.None))
        {
            try
            {
                secrets.Add(protector.Unprotect(protectedSecret));
            }
            catch (CryptographicException e)
            {
                // A secret encrypted with a key this deployment no longer has cannot sign anything we can check;
                // the other accounts must keep working.
                logger.LogWarning(e, "A {Channel} account's app secret cannot be decrypted; its webhooks will be refused until it is set again", channel);
            }
        }
        return secrets.Distinct(StringComparer.Ordinal).ToList();
    }

    private sealed record CachedSecrets(Lazy<Task<IReadOnlyList<string>>> Secrets, DateTimeOffset ExpiresAt);
}

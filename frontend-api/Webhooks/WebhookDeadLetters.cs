using Flexoraa.Channels;
using Flexoraa.ReadModels;

namespace Flexoraa.FrontendApi.Webhooks;

/// <summary>
/// Keeps webhook events that no tenant can take, with the reason, in <c>webhook_dead_letters</c>, up to the caps of
/// <see cref="WebhookDeadLetterSettings"/> per account and per signing app in each time window.
/// </summary>
public sealed class WebhookDeadLetters(TenantDatabase database, WebhookDeadLetterSettings settings, ILogger<WebhookDeadLetters> logger)
{
    // The columns' widths: a hostile value is cut to fit rather than failing the insert (and the whole webhook with it).
    private const int MaxAccountLength = 128;
    private const int MaxReasonLength = 200;

    /// <summary>Keeps what the caps allow in one transaction; returns how many were dropped over the caps.</summary>
    public async Task<int> KeepAsync(string channel, string appFingerprint, IReadOnlyList<WebhookDeadLetter> letters, CancellationToken cancellationToken)
    {
        if (letters.Count == 0) return 0;
        await using var session = await database.BeginSharedAsync(cancellationToken);

        // One app's dead letters are counted and written one request at a time, so concurrent requests cannot both
        // see room for the last hundred. Requests of different apps naming the same account can still overlap; the
        // per-app cap bounds what that overshoot can be.
        await session.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext('webhook_dead_letters/' || @appFingerprint))", new { appFingerprint }, cancellationToken);

        var accounts = letters.Select(l => Fit(l.ExternalAccountId, MaxAccountLength) ?? "").Distinct(StringComparer.Ordinal).ToArray();
        var since = DateTimeOffset.UtcNow - settings.Window;
        var appCount = await session.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM webhook_dead_letters WHERE app_fingerprint = @appFingerprint AND received_at > @since", new { appFingerprint, since }, cancellationToken);
        var accountCounts = (await session.QueryAsync<AccountCount>("""
            SELECT coalesce(external_account_id, '') AS account, count(*) AS count FROM webhook_dead_letters
            WHERE coalesce(external_account_id, '') = ANY(@accounts) AND received_at > @since GROUP BY 1
            """, new { accounts, since }, cancellationToken)).ToDictionary(c => c.Account, c => c.Count, StringComparer.Ordinal);

        var kept = new List<WebhookDeadLetter>();
        foreach (var letter in letters)
        {
            var account = Fit(letter.ExternalAccountId, MaxAccountLength) ?? "";
            var forAccount = accountCounts.GetValueOrDefault(account);
            if (appCount >= settings.PerAppPerWindow || forAccount >= settings.PerAccountPerWindow) continue;
            appCount++;
            accountCounts[account] = forAccount + 1;
            kept.Add(letter);
        }

        if (kept.Count > 0)
        {
            // One statement for the batch; the payloads travel as text[] and become jsonb[] in the cast.
            await session.ExecuteAsync("""
                INSERT INTO webhook_dead_letters (channel, external_account_id, reason, payload, app_fingerprint)
                SELECT @channel, nullif(a, ''), r, p, @appFingerprint FROM unnest(@accounts, @reasons, @payloads::jsonb[]) AS t(a, r, p)
                """, new
                {
                    channel, appFingerprint,
                    accounts = kept.Select(l => Fit(l.ExternalAccountId, MaxAccountLength) ?? "").ToArray(),
                    reasons = kept.Select(l => Fit(l.Reason, MaxReasonLength)!).ToArray(),
                    payloads = kept.Select(l => JsonbText.Escape(l.PayloadJson)).ToArray(),
                }, cancellationToken);
        }
        await session.CommitAsync(cancellationToken);

        var dropped = letters.Count - kept.Count;
        if (dropped > 0)
        {
            logger.LogWarning("Dropped {Dropped} of {Count} {Channel} webhook dead letters over the caps ({PerAccount} per account, {PerApp} per app per {Window})",
                dropped, letters.Count, channel, settings.PerAccountPerWindow, settings.PerAppPerWindow, settings.Window);
        }
        return dropped;
    }

    private sealed record AccountCount(string Account, long Count);

    private static string? Fit(string? text, int maxLength) => text is null ? null : ChannelText.Truncate(ChannelText.Normalize(text), maxLength);
}

using Flexoraa.Channels;
using Flexoraa.ReadModels;
using Npgsql;
using NpgsqlTypes;

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
        await using var connection = await database.Shared.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // One app's dead letters are counted and written one request at a time, so concurrent requests cannot both
        // see room for the last hundred. Requests of different apps naming the same account can still overlap; the
        // per-app cap bounds what that overshoot can be.
        await using (var lockApp = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('webhook_dead_letters/' || @app))", connection, transaction))
        {
            lockApp.Parameters.AddWithValue("app", appFingerprint);
            await lockApp.ExecuteNonQueryAsync(cancellationToken);
        }

        var accounts = letters.Select(l => Fit(l.ExternalAccountId, MaxAccountLength) ?? "").Distinct(StringComparer.Ordinal).ToArray();
        var since = DateTimeOffset.UtcNow - settings.Window;
        long appCount;
        await using (var countApp = new NpgsqlCommand("SELECT count(*) FROM webhook_dead_letters WHERE app_fingerprint = @app AND received_at > @since", connection, transaction))
        {
            countApp.Parameters.AddWithValue("app", appFingerprint);
            countApp.Parameters.AddWithValue("since", since);
            appCount = (long)(await countApp.ExecuteScalarAsync(cancellationToken))!;
        }
        var accountCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var countAccounts = new NpgsqlCommand("""
            SELECT coalesce(external_account_id, ''), count(*) FROM webhook_dead_letters
            WHERE coalesce(external_account_id, '') = ANY(@accounts) AND received_at > @since GROUP BY 1
            """, connection, transaction))
        {
            countAccounts.Parameters.AddWithValue("accounts", accounts);
            countAccounts.Parameters.AddWithValue("since", since);
            await using var reader = await countAccounts.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) accountCounts[reader.GetString(0)] = reader.GetInt64(1);
        }

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
            await using var insert = new NpgsqlCommand("""
                INSERT INTO webhook_dead_letters (channel, external_account_id, reason, payload, app_fingerprint)
                SELECT @channel, nullif(a, ''), r, p, @app FROM unnest(@accounts, @reasons, @payloads) AS t(a, r, p)
                """, connection, transaction);
            insert.Parameters.AddWithValue("channel", channel);
            insert.Parameters.AddWithValue("app", appFingerprint);
            insert.Parameters.AddWithValue("accounts", kept.Select(l => Fit(l.ExternalAccountId, MaxAccountLength) ?? "").ToArray());
            insert.Parameters.AddWithValue("reasons", kept.Select(l => Fit(l.Reason, MaxReasonLength)!).ToArray());
            insert.Parameters.Add(new NpgsqlParameter("payloads", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = kept.Select(l => JsonbText.Escape(l.PayloadJson)).ToArray() });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);

        var dropped = letters.Count - kept.Count;
        if (dropped > 0)
        {
            logger.LogWarning("Dropped {Dropped} of {Count} {Channel} webhook dead letters over the caps ({PerAccount} per account, {PerApp} per app per {Window})",
                dropped, letters.Count, channel, settings.PerAccountPerWindow, settings.PerAppPerWindow, settings.Window);
        }
        return dropped;
    }

    private static string? Fit(string? text, int maxLength) => text is null ? null : ChannelText.Truncate(ChannelText.Normalize(text), maxLength);
}

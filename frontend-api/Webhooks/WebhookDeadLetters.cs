using Flexoraa.ReadModels;
using NpgsqlTypes;

namespace Flexoraa.FrontendApi.Webhooks;

/// <summary>Keeps webhook events that no tenant can take, with the reason, in <c>webhook_dead_letters</c>.</summary>
public sealed class WebhookDeadLetters(TenantDatabase database)
{
    public async Task KeepAsync(string channel, string? externalAccountId, string reason, string payloadJson, CancellationToken cancellationToken)
    {
        await using var insert = database.Shared.CreateCommand(
            "INSERT INTO webhook_dead_letters (channel, external_account_id, reason, payload) VALUES (@channel, @account, @reason, @payload)");
        insert.Parameters.AddWithValue("channel", channel);
        insert.Parameters.AddWithValue("account", (object?)externalAccountId ?? DBNull.Value);
        insert.Parameters.AddWithValue("reason", reason);
        insert.Parameters.Add(new Npgsql.NpgsqlParameter("payload", NpgsqlDbType.Jsonb) { Value = payloadJson });
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }
}

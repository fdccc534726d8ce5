using System.Text.Json.Nodes;
using Flexoraa.Channels;
using Flexoraa.Media;
using Flexoraa.ReadModels;
using Npgsql;
using NpgsqlTypes;

namespace Flexoraa.Outbound;

/// <summary>
/// The <c>outbound_messages</c> rows the outbound grain works through. Every change is conditional on the state it
/// expects, so an attempt is begun once (<see cref="BeginAttemptAsync"/> is the fence against sending twice) and a late
/// result never overwrites a final one.
/// </summary>
public sealed class OutboundMessageStore(TenantDatabase database)
{
    private const string Columns =
        "tenant_id, message_id, conversation_id, channel, channel_account_id, contact_id, placeholder_id, kind, payload::text, messaging_tag, sandbox, " +
        "state, attempts, next_attempt_at, external_id, error_code, error_title, error_message, applied, created_at";

    public async Task<OutboundMessageRecord?> FindAsync(string tenantId, long messageId, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        return await FindAsync(session, messageId, forUpdate: false, cancellationToken);
    }

    public static async Task<OutboundMessageRecord?> FindAsync(TenantSession session, long messageId, bool forUpdate, CancellationToken cancellationToken = default)
    {
        await using var command = session.Command($"SELECT {Columns} FROM outbound_messages WHERE tenant_id = @tenant AND message_id = @id{(forUpdate ? " FOR UPDATE" : "")}");
        command.Parameters.AddWithValue("tenant", session.TenantId);
        command.Parameters.AddWithValue("id", messageId);
        return await ReadOneAsync(command, cancellationToken);
    }

    /// <summary>Moves a queued row to sending and counts the attempt; null when it was not queued (someone else has it, or it is done).</summary>
    public async Task<OutboundMessageRecord?> BeginAttemptAsync(string tenantId, long messageId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await UpdateAsync(tenantId, messageId, "state = 'sending', attempts = attempts + 1, attempt_started_at = @now, next_attempt_at = NULL", "state = 'queued'", now,
            _ => { }, cancellationToken);

    /// <summary>Records Meta's id the moment it answers, before anything else, so the id survives whatever happens next.</summary>
    public async Task MarkSentAsync(string tenantId, long messageId, string externalId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await UpdateAsync(tenantId, messageId, "state = 'sent', external_id = @external, finished_at = @now", "state IN ('queued', 'sending')", now,
            p => p.AddWithValue("external", externalId), cancellationToken);

    public async Task MarkFailedAsync(string tenantId, long messageId, int? code, string? title, string? message, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await UpdateAsync(tenantId, messageId, "state = 'failed', error_code = @code, error_title = @title, error_message = @message, finished_at = @now",
            "state IN ('queued', 'sending')", now, p =>
            {
                p.Add(new NpgsqlParameter("code", NpgsqlDbType.Integer) { Value = (object?)code ?? DBNull.Value });
                p.Add(new NpgsqlParameter("title", NpgsqlDbType.Varchar) { Value = (object?)MediaObjectStore.Truncate(title, 300) ?? DBNull.Value });
                p.Add(new NpgsqlParameter("message", NpgsqlDbType.Text) { Value = (object?)message ?? DBNull.Value });
            }, cancellationToken);

    /// <summary>Back to queued after a refusal that heals by waiting, with why and when to try again.</summary>
    public async Task ScheduleRetryAsync(string tenantId, long messageId, string error, DateTimeOffset nextAttemptAt, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await UpdateAsync(tenantId, messageId, "state = 'queued', last_error = @error, next_attempt_at = @next", "state = 'sending'", now, p =>
        {
            p.AddWithValue("error", MediaObjectStore.Truncate(error, MediaObjectStore.MaxErrorLength)!);
            p.AddWithValue("next", nextAttemptAt);
        }, cancellationToken);

    private async Task<OutboundMessageRecord?> UpdateAsync(string tenantId, long messageId, string assignments, string condition, DateTimeOffset now,
        Action<NpgsqlParameterCollection> parameters, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await using var command = session.Command($"""
            UPDATE outbound_messages SET {assignments}, updated_at = @now
            WHERE tenant_id = @tenant AND message_id = @id AND {condition}
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("id", messageId);
        command.Parameters.AddWithValue("now", now);
        parameters(command.Parameters);
        var record = await ReadOneAsync(command, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return record;
    }

    private static async Task<OutboundMessageRecord?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        if (!ChannelKindNames.TryParse(reader.GetString(3), out var channel))
        {
            throw new InvalidOperationException($"outbound_messages row {reader.GetInt64(1)} has an unknown channel '{reader.GetString(3)}'.");
        }
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        return new OutboundMessageRecord(
            reader.GetString(0),
            reader.GetInt64(1),
            reader.GetString(2),
            channel,
            reader.GetString(4),
            reader.GetString(5),
            reader.GetString(6),
            Enum.Parse<OutboundKind>(reader.GetString(7), ignoreCase: true),
            JsonNode.Parse(reader.GetString(8))!.AsObject(),
            Text(9),
            reader.GetBoolean(10),
            reader.GetString(11),
            reader.GetInt32(12),
            reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13),
            Text(14),
            reader.IsDBNull(15) ? null : reader.GetInt32(15),
            Text(16),
            Text(17),
            reader.GetBoolean(18),
            reader.GetFieldValue<DateTimeOffset>(19));
    }
}

using Flexoraa.Channels;
using Flexoraa.ReadModels;
using Npgsql;

namespace Flexoraa.Media;

/// <summary>
/// <c>media_objects</c>, always inside one tenant's session. Rows are inserted with their message (see
/// <see cref="Conversations.AppendMessageWrite"/>); <see cref="MediaFetchGrain"/> moves them along, and only a pending
/// row changes, so a late or repeated attempt cannot undo a final status.
/// </summary>
public sealed class MediaObjectStore(TenantDatabase database)
{
    public const int MaxErrorLength = 500;
    public const int MaxMimeTypeLength = 128;

    private const string Columns = """
        tenant_id, id, conversation_id, message_external_id, channel, channel_account_id, kind, external_media_id, source_url,
        file_name, mime_type, size_bytes, sha256_expected, sha256_actual, status, attempts, last_error, next_attempt_at,
        blob_key, created_at, stored_at
        """;

    public async Task<MediaObjectRecord?> FindAsync(string tenantId, string id, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await using var command = session.Command($"SELECT {Columns} FROM media_objects WHERE tenant_id = @tenant AND id = @id");
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("id", id);
        return await ReadOneAsync(command, cancellationToken);
    }

    /// <summary>Counts an attempt on a pending row and returns it; null when the row is no longer pending.</summary>
    public async Task<MediaObjectRecord?> BeginAttemptAsync(string tenantId, string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await using var command = session.Command($"""
            UPDATE media_objects SET attempts = attempts + 1, next_attempt_at = NULL, updated_at = @now
            WHERE tenant_id = @tenant AND id = @id AND status = 'pending'
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("now", now);
        var row = await ReadOneAsync(command, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return row;
    }

    public async Task MarkStoredAsync(string tenantId, string id, string blobKey, long sizeBytes, string sha256Hex, string mimeType, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await using var command = session.Command("""
            UPDATE media_objects
            SET status = 'stored', blob_key = @blob, size_bytes = @size, sha256_actual = @sha, mime_type = @mime,
                last_error = NULL, next_attempt_at = NULL, stored_at = @now, updated_at = @now
            WHERE tenant_id = @tenant AND id = @id AND status = 'pending'
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("blob", blobKey);
        command.Parameters.AddWithValue("size", sizeBytes);
        command.Parameters.AddWithValue("sha", sha256Hex);
        command.Parameters.AddWithValue("mime", Truncate(mimeType, MaxMimeTypeLength)!);
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    /// <summary>Ends a pending row as <see cref="MediaStatuses.Failed"/> or <see cref="MediaStatuses.Rejected"/>, keeping what was learnt about it.</summary>
    public async Task MarkFinalAsync(string tenantId, string id, string status, string error, string? mimeType, long? sizeBytes, string? sha256Hex,
        DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (status is not (MediaStatuses.Failed or MediaStatuses.Rejected)) throw new ArgumentOutOfRangeException(nameof(status), status, "A final status is failed or rejected.");
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await using var command = session.Command("""
            UPDATE media_objects
            SET status = @status, last_error = @error, mime_type = COALESCE(@mime, mime_type), size_bytes = COALESCE(@size, size_bytes),
                sha256_actual = COALESCE(@sha, sha256_actual), next_attempt_at = NULL, updated_at = @now
            WHERE tenant_id = @tenant AND id = @id AND status = 'pending'
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("error", Truncate(error, MaxErrorLength)!);
        command.Parameters.Add(new NpgsqlParameter("mime", NpgsqlTypes.NpgsqlDbType.Varchar) { Value = (object?)Truncate(mimeType, MaxMimeTypeLength) ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("size", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)sizeBytes ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("sha", NpgsqlTypes.NpgsqlDbType.Varchar) { Value = (object?)sha256Hex ?? DBNull.Value });
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    /// <summary>Keeps a pending row pending, with why the last attempt failed and when the next one is due.</summary>
    public async Task ScheduleRetryAsync(string tenantId, string id, string error, DateTimeOffset nextAttemptAt, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await using var command = session.Command("""
            UPDATE media_objects SET last_error = @error, next_attempt_at = @next, updated_at = @now
            WHERE tenant_id = @tenant AND id = @id AND status = 'pending'
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("error", Truncate(error, MaxErrorLength)!);
        command.Parameters.AddWithValue("next", nextAttemptAt);
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    /// <summary>The conversation's media still waiting to be fetched, for the conversation to restart on activation.</summary>
    public static async Task<IReadOnlyList<string>> PendingInConversationAsync(TenantSession session, string conversationId, CancellationToken cancellationToken = default)
    {
        await using var command = session.Command("SELECT id FROM media_objects WHERE tenant_id = @tenant AND conversation_id = @conversation AND status = 'pending'");
        command.Parameters.AddWithValue("tenant", session.TenantId);
        command.Parameters.AddWithValue("conversation", conversationId);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetString(0));
        return ids;
    }

    public static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..(length - 1)] + "…";

    private static async Task<MediaObjectRecord?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        if (!ChannelKindNames.TryParse(reader.GetString(4), out var channel))
        {
            throw new InvalidOperationException($"media_objects row {reader.GetString(1)} has an unknown channel '{reader.GetString(4)}'.");
        }
        return new MediaObjectRecord(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            channel,
            reader.GetString(5),
            reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.IsDBNull(8) ? null : reader.GetString(8),
            reader.IsDBNull(9) ? null : reader.GetString(9),
            reader.IsDBNull(10) ? null : reader.GetString(10),
            reader.IsDBNull(11) ? null : reader.GetInt64(11),
            reader.IsDBNull(12) ? null : reader.GetString(12),
            reader.IsDBNull(13) ? null : reader.GetString(13),
            reader.GetString(14),
            reader.GetInt32(15),
            reader.IsDBNull(16) ? null : reader.GetString(16),
            reader.IsDBNull(17) ? null : reader.GetFieldValue<DateTimeOffset>(17),
            reader.IsDBNull(18) ? null : reader.GetString(18),
            reader.GetFieldValue<DateTimeOffset>(19),
            reader.IsDBNull(20) ? null : reader.GetFieldValue<DateTimeOffset>(20));
    }
}

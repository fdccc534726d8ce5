using Flexoraa.Channels;
using Flexoraa.ReadModels;

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
        return (await session.QuerySingleOrDefaultAsync<MediaObjectRow>(
            $"SELECT {Columns} FROM media_objects WHERE tenant_id = @tenant AND id = @id", new { id }, cancellationToken))?.ToRecord();
    }

    /// <summary>Counts an attempt on a pending row and returns it; null when the row is no longer pending.</summary>
    public async Task<MediaObjectRecord?> BeginAttemptAsync(string tenantId, string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var row = await session.QuerySingleOrDefaultAsync<MediaObjectRow>($"""
            UPDATE media_objects SET attempts = attempts + 1, next_attempt_at = NULL, updated_at = @now
            WHERE tenant_id = @tenant AND id = @id AND status = 'pending'
            RETURNING {Columns}
            """, new { id, now }, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return row?.ToRecord();
    }

    public async Task MarkStoredAsync(string tenantId, string id, string blobKey, long sizeBytes, string sha256Hex, string mimeType, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await session.ExecuteAsync("""
            UPDATE media_objects
            SET status = 'stored', blob_key = @blobKey, size_bytes = @sizeBytes, sha256_actual = @sha256Hex, mime_type = @mime,
                last_error = NULL, next_attempt_at = NULL, stored_at = @now, updated_at = @now
            WHERE tenant_id = @tenant AND id = @id AND status = 'pending'
            """, new { id, blobKey, sizeBytes, sha256Hex, mime = Truncate(mimeType, MaxMimeTypeLength), now }, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    /// <summary>Ends a pending row as <see cref="MediaStatuses.Failed"/> or <see cref="MediaStatuses.Rejected"/>, keeping what was learnt about it.</summary>
    public async Task MarkFinalAsync(string tenantId, string id, string status, string error, string? mimeType, long? sizeBytes, string? sha256Hex,
        DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (status is not (MediaStatuses.Failed or MediaStatuses.Rejected)) throw new ArgumentOutOfRangeException(nameof(status), status, "A final status is failed or rejected.");
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        // What was not learnt arrives as a typed null, so COALESCE keeps the stored value.
        await session.ExecuteAsync("""
            UPDATE media_objects
            SET status = @status, last_error = @error, mime_type = COALESCE(@mime::varchar, mime_type), size_bytes = COALESCE(@sizeBytes::bigint, size_bytes),
                sha256_actual = COALESCE(@sha256Hex::varchar, sha256_actual), next_attempt_at = NULL, updated_at = @now
            WHERE tenant_id = @tenant AND id = @id AND status = 'pending'
            """, new { id, status, error = Truncate(error, MaxErrorLength), mime = Truncate(mimeType, MaxMimeTypeLength), sizeBytes, sha256Hex, now },
            cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    /// <summary>Keeps a pending row pending, with why the last attempt failed and when the next one is due.</summary>
    public async Task ScheduleRetryAsync(string tenantId, string id, string error, DateTimeOffset nextAttemptAt, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await session.ExecuteAsync("""
            UPDATE media_objects SET last_error = @error, next_attempt_at = @nextAttemptAt, updated_at = @now
            WHERE tenant_id = @tenant AND id = @id AND status = 'pending'
            """, new { id, error = Truncate(error, MaxErrorLength), nextAttemptAt, now }, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    public static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..(length - 1)] + "…";

    /// <summary>A <c>media_objects</c> row as selected by <see cref="Columns"/>.</summary>
    private sealed record MediaObjectRow(
        string TenantId, string Id, string ConversationId, string MessageExternalId, string Channel, string ChannelAccountId, string Kind,
        string? ExternalMediaId, string? SourceUrl, string? FileName, string? MimeType, long? SizeBytes, string? Sha256Expected,
        string? Sha256Actual, string Status, int Attempts, string? LastError, DateTimeOffset? NextAttemptAt, string? BlobKey,
        DateTimeOffset CreatedAt, DateTimeOffset? StoredAt)
    {
        public MediaObjectRecord ToRecord() => ChannelKindNames.TryParse(Channel, out var channel)
            ? new(TenantId, Id, ConversationId, MessageExternalId, channel, ChannelAccountId, Kind, ExternalMediaId, SourceUrl, FileName,
                MimeType, SizeBytes, Sha256Expected, Sha256Actual, Status, Attempts, LastError, NextAttemptAt, BlobKey, CreatedAt, StoredAt)
            : throw new InvalidOperationException($"media_objects row {Id} has an unknown channel '{Channel}'.");
    }
}

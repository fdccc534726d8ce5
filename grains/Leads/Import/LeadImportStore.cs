using System.Runtime.CompilerServices;
using System.Text.Json;
using Flexoraa.Api;
using Flexoraa.ReadModels;

namespace Flexoraa.Leads.Import;

/// <summary>The <c>lead_imports</c> rows (an import's state of record) and their problems.</summary>
public sealed class LeadImportStore(TenantDatabase database)
{
    private const string Columns = """
        id, created_by_user_id, file_name, blob_key, file_bytes, encoding, delimiter, headers::text AS headers, mapping::text AS mapping,
        duplicate_policy, default_region, status, total_rows, rows_read, created_count, updated_count, skipped_count, failed_count,
        committed_through_row, cancel_requested, error, created_at, started_at, finished_at
        """;

    public Task<TenantSession> BeginAsync(string tenantId, CancellationToken cancellationToken = default) => database.BeginAsync(tenantId, cancellationToken);

    public async Task CreateAsync(string tenantId, LeadImportRecord import, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await session.ExecuteAsync("""
            INSERT INTO lead_imports (tenant_id, id, created_by_user_id, file_name, blob_key, file_bytes, encoding, delimiter, headers, mapping,
                                      duplicate_policy, default_region, status, total_rows, created_at)
            VALUES (@tenant, @Id, @CreatedByUserId, @FileName, @BlobKey, @FileBytes, @Encoding, @Delimiter, @Headers::jsonb, @Mapping::jsonb,
                    @DuplicatePolicy, @DefaultRegion, @Status, @TotalRows, @CreatedAt)
            """, import, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    public async Task<LeadImportRecord?> FindAsync(string tenantId, string importId, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        return await session.QuerySingleOrDefaultAsync<LeadImportRecord>($"SELECT {Columns} FROM lead_imports WHERE tenant_id = @tenant AND id = @id",
            new { id = importId }, cancellationToken);
    }

    /// <summary>The tenant's imports, newest first.</summary>
    public async Task<IReadOnlyList<LeadImportRecord>> ListAsync(string tenantId, int limit, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        return await session.QueryAsync<LeadImportRecord>(
            $"SELECT {Columns} FROM lead_imports WHERE tenant_id = @tenant ORDER BY created_at DESC, id DESC LIMIT @limit", new { limit }, cancellationToken);
    }

    public async Task MarkRunningAsync(string tenantId, string importId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await session.ExecuteAsync("""
            UPDATE lead_imports SET status = 'running', started_at = coalesce(started_at, @now)
            WHERE tenant_id = @tenant AND id = @id AND status IN ('queued', 'running')
            """, new { id = importId, now }, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    public async Task FinishAsync(string tenantId, string importId, LeadImportState state, string? error, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await session.ExecuteAsync("""
            UPDATE lead_imports SET status = @status, error = @error, finished_at = @now
            WHERE tenant_id = @tenant AND id = @id AND status IN ('queued', 'running')
            """, new { id = importId, status = ApiJson.NameOf(state), error = error is { Length: > 1000 } ? error[..1000] : error, now }, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    /// <summary>False when the import has already ended.</summary>
    public async Task<bool> RequestCancelAsync(string tenantId, string importId, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var changed = await session.ExecuteAsync(
            "UPDATE lead_imports SET cancel_requested = true WHERE tenant_id = @tenant AND id = @id AND status IN ('queued', 'running')",
            new { id = importId }, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return changed == 1;
    }

    /// <summary>The import's problems in row order, read as they stream (a big file's report can have a million lines).</summary>
    public async IAsyncEnumerable<ImportProblem> ProblemsAsync(string tenantId, string importId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await using var command = session.Command("""
            SELECT row_number, column_name, value, problem FROM lead_import_problems
            WHERE tenant_id = @tenant AND import_id = @import ORDER BY row_number, id
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("import", importId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new ImportProblem(reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3));
        }
    }

    public static string MappingJson(ColumnMapping mapping) => JsonSerializer.Serialize(mapping.Columns, ApiJson.Options);
}

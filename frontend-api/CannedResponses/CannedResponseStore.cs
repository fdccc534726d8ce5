using Flexoraa.FrontendApi.Audit;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.ReadModels;
using Npgsql;

namespace Flexoraa.FrontendApi.CannedResponses;

/// <summary>
/// A tenant's canned responses in <c>canned_responses</c>, always inside the caller's tenant session (row-level security).
/// Every change is audited in the same transaction, so there is no change without its entry or entry without its change.
/// </summary>
public sealed class CannedResponseStore(TenantDatabase database, TimeProvider clock)
{
    public const int SuggestionCount = 10;
    private const string ShortcutIndex = "ux_canned_responses_shortcut";
    private const string Columns = "id, shortcut, title, content, created_by, created_at, updated_by, updated_at";

    public async Task<(CannedResponseWriteOutcome Outcome, CannedResponseView? View)> CreateAsync(
        Caller caller, string shortcut, string? title, string content, string? ip, CancellationToken cancellationToken)
    {
        var id = CannedResponseIds.New();
        var now = clock.GetUtcNow();
        await using var session = await database.BeginAsync(caller.TenantId, cancellationToken);
        if (await WriteRowAsync(session, $"""
            INSERT INTO canned_responses (tenant_id, id, shortcut, title, content, created_by, created_at, updated_by, updated_at)
            VALUES (@tenant, @id, @shortcut, @title, @content, @actor, @now, @actor, @now)
            RETURNING {Columns}
            """, new { id, shortcut, title, content, actor = caller.ActorId, now }, cancellationToken) is not { } view)
        {
            return (CannedResponseWriteOutcome.ShortcutTaken, null);
        }
        await AuditTrail.RecordAsync(session, Entry(AuditActions.CannedResponseCreated, caller, id, ip,
            new() { ["shortcut"] = shortcut, ["title"] = title }), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return (CannedResponseWriteOutcome.Done, view);
    }

    public async Task<CursorPage<CannedResponseView>> ListAsync(
        string tenantId, string? search, PageRequest<CannedResponseCursor> page, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var rows = await session.QueryAsync<CannedResponseRow>($"""
            SELECT {Columns} FROM canned_responses
            WHERE tenant_id = @tenant
              AND (@pattern::text IS NULL OR shortcut ILIKE @pattern ESCAPE '\' OR content ILIKE @pattern ESCAPE '\' OR coalesce(title, '') ILIKE @pattern ESCAPE '\')
              AND (@after::text IS NULL OR shortcut > @after)
            ORDER BY shortcut LIMIT @limit
            """, new { pattern = search is null ? null : "%" + EscapeLike(search) + "%", after = page.After?.Shortcut, limit = page.Limit + 1 }, cancellationToken);
        return page.ToPage(rows.Select(r => r.ToView()).ToList(), r => new CannedResponseCursor(r.Shortcut));
    }

    public async Task<IReadOnlyList<CannedResponseView>> SuggestAsync(
        string tenantId, string prefix, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        // A left-anchored LIKE on a "C"-collated column is a range scan of the unique index.
        var rows = await session.QueryAsync<CannedResponseRow>(
            $@"SELECT {Columns} FROM canned_responses WHERE tenant_id = @tenant AND shortcut LIKE @prefix ESCAPE '\' ORDER BY shortcut LIMIT @limit",
            new { prefix = EscapeLike(prefix) + "%", limit = SuggestionCount }, cancellationToken);
        return [.. rows.Select(r => r.ToView())];
    }

    public async Task<CannedResponseView?> FindAsync(string tenantId, string id, CancellationToken cancellationToken)
    {
        if (!CannedResponseIds.IsWellFormed(id)) return null;
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        return await FindAsync(session, "id", id, lockRow: false, cancellationToken);
    }

    /// <summary>The canned response with the (normalized, valid) shortcut; null when the tenant has none.</summary>
    public async Task<CannedResponseView?> FindByShortcutAsync(string tenantId, string shortcut, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        return await FindAsync(session, "shortcut", shortcut, lockRow: false, cancellationToken);
    }

    public async Task<(CannedResponseWriteOutcome Outcome, CannedResponseView? View)> UpdateAsync(
        Caller caller, string id, CannedResponsePatch patch, string? ip, CancellationToken cancellationToken)
    {
        if (!CannedResponseIds.IsWellFormed(id)) return (CannedResponseWriteOutcome.NotFound, null);
        var now = clock.GetUtcNow();
        await using var session = await database.BeginAsync(caller.TenantId, cancellationToken);
        if (await FindAsync(session, "id", id, lockRow: true, cancellationToken) is not { } before) return (CannedResponseWriteOutcome.NotFound, null);

        var shortcut = patch.Shortcut ?? before.Shortcut;
        var content = patch.Content ?? before.Content;
        var title = patch.SetsTitle ? patch.Title : before.Title;
        if (await WriteRowAsync(session, $"""
            UPDATE canned_responses SET shortcut = @shortcut, title = @title, content = @content, updated_by = @actor, updated_at = @now
            WHERE tenant_id = @tenant AND id = @id
            RETURNING {Columns}
            """, new { id, shortcut, title, content, actor = caller.ActorId, now }, cancellationToken) is not { } after)
        {
            return (CannedResponseWriteOutcome.ShortcutTaken, null);
        }

        var changed = new List<string>();
        if (before.Shortcut != after.Shortcut) changed.Add("shortcut");
        if (before.Title != after.Title) changed.Add("title");
        if (before.Content != after.Content) changed.Add("content");
        var details = new Dictionary<string, string?> { ["fields"] = string.Join(",", changed), ["shortcut"] = after.Shortcut };
        if (before.Shortcut != after.Shortcut) details["previousShortcut"] = before.Shortcut;
        await AuditTrail.RecordAsync(session, Entry(AuditActions.CannedResponseUpdated, caller, id, ip, details), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return (CannedResponseWriteOutcome.Done, after);
    }

    public async Task<bool> DeleteAsync(Caller caller, string id, string? ip, CancellationToken cancellationToken)
    {
        if (!CannedResponseIds.IsWellFormed(id)) return false;
        await using var session = await database.BeginAsync(caller.TenantId, cancellationToken);
        var shortcut = await session.ExecuteScalarAsync<string>(
            "DELETE FROM canned_responses WHERE tenant_id = @tenant AND id = @id RETURNING shortcut", new { id }, cancellationToken);
        if (shortcut is null) return false;
        await AuditTrail.RecordAsync(session, Entry(AuditActions.CannedResponseDeleted, caller, id, ip, new() { ["shortcut"] = shortcut }), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return true;
    }

    private static async Task<CannedResponseView?> FindAsync(TenantSession session, string column, string value, bool lockRow, CancellationToken cancellationToken)
    {
        // column is one of two literals above, never input.
        var row = await session.QuerySingleOrDefaultAsync<CannedResponseRow>(
            $"SELECT {Columns} FROM canned_responses WHERE tenant_id = @tenant AND {column} = @value{(lockRow ? " FOR UPDATE" : "")}",
            new { value }, cancellationToken);
        return row?.ToView();
    }

    /// <summary>Runs an insert or update that returns the row; null when the shortcut is taken (unique index).</summary>
    private static async Task<CannedResponseView?> WriteRowAsync(TenantSession session, string sql, object parameters, CancellationToken cancellationToken)
    {
        try
        {
            return (await session.QuerySingleOrDefaultAsync<CannedResponseRow>(sql, parameters, cancellationToken))?.ToView();
        }
        catch (PostgresException e) when (IsShortcutTaken(e))
        {
            return null;
        }
    }

    /// <summary>A <c>canned_responses</c> row as selected by <see cref="Columns"/>.</summary>
    private sealed record CannedResponseRow(
        string Id, string Shortcut, string? Title, string Content, string CreatedBy, DateTimeOffset CreatedAt, string UpdatedBy, DateTimeOffset UpdatedAt)
    {
        public CannedResponseView ToView() => new(Id, Shortcut, Title, Content,
            CannedResponseTemplate.TryParse(Content, out var template, out _) ? template.Variables : [],
            CreatedBy, CreatedAt, UpdatedBy, UpdatedAt);
    }

    private static bool IsShortcutTaken(PostgresException e) =>
        e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == ShortcutIndex;

    private static string EscapeLike(string value) =>
        value.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);

    private static AuditEntry Entry(string action, Caller caller, string id, string? ip, Dictionary<string, string?> details) =>
        new(action, caller.UserId, caller.ApiKeyId, "canned_response", id, ip, details);
}

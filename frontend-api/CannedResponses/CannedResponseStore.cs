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
public static class CannedResponseStore
{
    public const int SuggestionCount = 10;
    private const string ShortcutIndex = "ux_canned_responses_shortcut";
    private const string Columns = "id, shortcut, title, content, created_by, created_at, updated_by, updated_at";

    public static async Task<(CannedResponseWriteOutcome Outcome, CannedResponseView? View)> CreateAsync(
        TenantDatabase database, Caller caller, string shortcut, string? title, string content, string? ip, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var id = CannedResponseIds.New();
        await using var session = await database.BeginAsync(caller.TenantId, cancellationToken);
        CannedResponseView view;
        await using (var insert = session.Command($"""
            INSERT INTO canned_responses (tenant_id, id, shortcut, title, content, created_by, created_at, updated_by, updated_at)
            VALUES (@tenant, @id, @shortcut, @title, @content, @actor, @now, @actor, @now)
            RETURNING {Columns}
            """))
        {
            if (await WriteRowAsync(insert, caller, id, shortcut, title, content, now, cancellationToken) is not { } written)
            {
                return (CannedResponseWriteOutcome.ShortcutTaken, null);
            }
            view = written;
        }
        await AuditTrail.RecordAsync(session, Entry(AuditActions.CannedResponseCreated, caller, id, ip,
            new() { ["shortcut"] = shortcut, ["title"] = title }), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return (CannedResponseWriteOutcome.Done, view);
    }

    public static async Task<CursorPage<CannedResponseView>> ListAsync(
        TenantDatabase database, string tenantId, string? search, PageRequest<CannedResponseCursor> page, CancellationToken cancellationToken)
    {
        var conditions = new List<string>();
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await using var query = session.Command("");
        if (search is not null)
        {
            conditions.Add(@"(shortcut ILIKE @pattern ESCAPE '\' OR content ILIKE @pattern ESCAPE '\' OR coalesce(title, '') ILIKE @pattern ESCAPE '\')");
            query.Parameters.AddWithValue("pattern", "%" + EscapeLike(search) + "%");
        }
        if (page.After is { } after)
        {
            conditions.Add("shortcut > @after");
            query.Parameters.AddWithValue("after", after.Shortcut);
        }
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        query.CommandText = $"SELECT {Columns} FROM canned_responses {where} ORDER BY shortcut LIMIT @limit";
        query.Parameters.AddWithValue("limit", page.Limit + 1);
        return page.ToPage(await ReadAllAsync(query, cancellationToken), r => new CannedResponseCursor(r.Shortcut));
    }

    public static async Task<IReadOnlyList<CannedResponseView>> SuggestAsync(
        TenantDatabase database, string tenantId, string prefix, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        // A left-anchored LIKE on a "C"-collated column is a range scan of the unique index.
        await using var query = session.Command($@"SELECT {Columns} FROM canned_responses WHERE shortcut LIKE @prefix ESCAPE '\' ORDER BY shortcut LIMIT @limit");
        query.Parameters.AddWithValue("prefix", EscapeLike(prefix) + "%");
        query.Parameters.AddWithValue("limit", SuggestionCount);
        return await ReadAllAsync(query, cancellationToken);
    }

    public static async Task<CannedResponseView?> FindAsync(TenantDatabase database, string tenantId, string id, CancellationToken cancellationToken)
    {
        if (!CannedResponseIds.IsWellFormed(id)) return null;
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        return await FindAsync(session, "id", id, lockRow: false, cancellationToken);
    }

    public static async Task<CannedResponseView?> FindByShortcutAsync(TenantSession session, string shortcut, CancellationToken cancellationToken) =>
        await FindAsync(session, "shortcut", shortcut, lockRow: false, cancellationToken);

    public static async Task<(CannedResponseWriteOutcome Outcome, CannedResponseView? View)> UpdateAsync(
        TenantDatabase database, Caller caller, string id, CannedResponsePatch patch, string? ip, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!CannedResponseIds.IsWellFormed(id)) return (CannedResponseWriteOutcome.NotFound, null);
        await using var session = await database.BeginAsync(caller.TenantId, cancellationToken);
        if (await FindAsync(session, "id", id, lockRow: true, cancellationToken) is not { } before) return (CannedResponseWriteOutcome.NotFound, null);

        var shortcut = patch.Shortcut ?? before.Shortcut;
        var content = patch.Content ?? before.Content;
        var title = patch.SetsTitle ? patch.Title : before.Title;
        CannedResponseView after;
        await using (var update = session.Command($"""
            UPDATE canned_responses SET shortcut = @shortcut, title = @title, content = @content, updated_by = @actor, updated_at = @now
            WHERE tenant_id = @tenant AND id = @id
            RETURNING {Columns}
            """))
        {
            if (await WriteRowAsync(update, caller, id, shortcut, title, content, now, cancellationToken) is not { } written)
            {
                return (CannedResponseWriteOutcome.ShortcutTaken, null);
            }
            after = written;
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

    public static async Task<bool> DeleteAsync(TenantDatabase database, Caller caller, string id, string? ip, CancellationToken cancellationToken)
    {
        if (!CannedResponseIds.IsWellFormed(id)) return false;
        await using var session = await database.BeginAsync(caller.TenantId, cancellationToken);
        await using var delete = session.Command("DELETE FROM canned_responses WHERE tenant_id = @tenant AND id = @id RETURNING shortcut");
        delete.Parameters.AddWithValue("tenant", caller.TenantId);
        delete.Parameters.AddWithValue("id", id);
        if (await delete.ExecuteScalarAsync(cancellationToken) is not string shortcut) return false;
        await AuditTrail.RecordAsync(session, Entry(AuditActions.CannedResponseDeleted, caller, id, ip, new() { ["shortcut"] = shortcut }), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return true;
    }

    private static async Task<CannedResponseView?> FindAsync(TenantSession session, string column, string value, bool lockRow, CancellationToken cancellationToken)
    {
        await using var query = session.Command(
            $"SELECT {Columns} FROM canned_responses WHERE tenant_id = @tenant AND {column} = @value{(lockRow ? " FOR UPDATE" : "")}");
        query.Parameters.AddWithValue("tenant", session.TenantId);
        query.Parameters.AddWithValue("value", value);
        return (await ReadAllAsync(query, cancellationToken)).SingleOrDefault();
    }

    private static async Task<List<CannedResponseView>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<CannedResponseView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var content = reader.GetString(3);
            var variables = CannedResponseTemplate.TryParse(content, out var template, out _) ? template.Variables : [];
            rows.Add(new CannedResponseView(
                reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), content, variables,
                reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7)));
        }
        return rows;
    }

    /// <summary>Runs an insert or update of one row with the same parameters; null when the shortcut is taken (unique index).</summary>
    private static async Task<CannedResponseView?> WriteRowAsync(NpgsqlCommand command, Caller caller, string id, string shortcut, string? title,
        string content, DateTimeOffset now, CancellationToken cancellationToken)
    {
        command.Parameters.AddWithValue("tenant", caller.TenantId);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("shortcut", shortcut);
        command.Parameters.AddWithValue("title", (object?)title ?? DBNull.Value);
        command.Parameters.AddWithValue("content", content);
        command.Parameters.AddWithValue("actor", caller.ActorId);
        command.Parameters.AddWithValue("now", now);
        try
        {
            return (await ReadAllAsync(command, cancellationToken))[0];
        }
        catch (PostgresException e) when (IsShortcutTaken(e))
        {
            return null;
        }
    }

    private static bool IsShortcutTaken(PostgresException e) =>
        e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == ShortcutIndex;

    private static string EscapeLike(string value) =>
        value.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);

    private static AuditEntry Entry(string action, Caller caller, string id, string? ip, Dictionary<string, string?> details) =>
        new(action, caller.UserId, caller.ApiKeyId, "canned_response", id, ip, details);
}

using System.Collections.Immutable;
using System.Text.Json;
using Flexoraa.Api;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.Leads;
using Flexoraa.ReadModels;

namespace Flexoraa.FrontendApi.Leads;

/// <summary>
/// Reads the lead read models that <c>LeadGrain</c> writes: the list and the timeline. Every query runs in the caller's
/// <see cref="TenantSession"/> and names the tenant; row-level security hides other tenants' rows as well. An SDR's
/// queries carry the visibility rule (own or unowned leads), so nothing else reaches them.
/// </summary>
public sealed class LeadReadModel(TenantDatabase database)
{
    /// <summary>Whether the tenant has the lead and the caller may see it; asked before any grain is touched.</summary>
    public async Task<bool> VisibleAsync(string tenantId, string leadId, string? sdrUserId, CancellationToken cancellationToken = default)
    {
        if (!LeadKeys.IsWellFormed(leadId)) return false;
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        return await session.ExecuteScalarAsync<int?>(
            "SELECT 1 FROM leads WHERE tenant_id = @tenant AND id = @id AND (@sdr::varchar IS NULL OR owner_user_id IS NULL OR owner_user_id = @sdr)",
            new { id = leadId, sdr = sdrUserId }, cancellationToken) is not null;
    }

    public async Task<CursorPage<Lead>> ListAsync(string tenantId, LeadFilter filter, PageRequest<LeadCursor> page, CancellationToken cancellationToken = default)
    {
        // Only the conditions a filter asks for go into the SQL (each a fixed fragment, never input); values are parameters.
        var where = new List<string> { "l.tenant_id = @tenant" };
        if (filter.VisibleTo is not null) where.Add("(l.owner_user_id IS NULL OR l.owner_user_id = @visibleTo)");
        if (filter.StageId is not null) where.Add("l.stage_id = @stage");
        if (filter.PipelineId is not null) where.Add("l.pipeline_id = @pipeline");
        if (filter.Unowned) where.Add("l.owner_user_id IS NULL");
        if (filter.OwnerUserId is not null) where.Add("l.owner_user_id = @owner");
        if (filter.Source is not null) where.Add("l.source = @source");
        if (filter.Tag is not null) where.Add("l.tags @> ARRAY[@tag]::text[]");
        if (filter.CreatedFrom is not null) where.Add("l.created_at >= @createdFrom");
        if (filter.CreatedTo is not null) where.Add("l.created_at < @createdTo");
        if (filter.UpdatedFrom is not null) where.Add("l.updated_at >= @updatedFrom");
        if (filter.UpdatedTo is not null) where.Add("l.updated_at < @updatedTo");
        if (filter.Query is not null) where.Add("l.search_text LIKE @like");
        if (filter.ScoreMin is not null) where.Add("l.score >= @scoreMin");
        if (filter.ScoreMax is not null) where.Add("l.score <= @scoreMax");
        if (filter.Grades is not null) where.Add("l.grade = ANY(@grades)");
        var sort = filter.Sort;
        var direction = sort.Descending ? "DESC" : "ASC";
        if (page.After is { } after) where.Add($"({sort.KeyColumn}, l.id) {(sort.Descending ? "<" : ">")} ({(sort.ByName ? "@afterName" : sort.ByScore ? "@afterScore" : "@afterAt")}, @afterId)");

        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var rows = await session.QueryAsync<LeadStore.LeadRow>(
            $"SELECT {LeadStore.Columns}, lower(coalesce(l.display_name, '')) AS sort_name FROM leads l WHERE {string.Join(" AND ", where)} ORDER BY {sort.KeyColumn} {direction}, l.id {direction} LIMIT @limit",
            new
            {
                visibleTo = filter.VisibleTo, stage = filter.StageId, pipeline = filter.PipelineId, owner = filter.OwnerUserId, source = filter.Source, tag = filter.Tag,
                createdFrom = filter.CreatedFrom, createdTo = filter.CreatedTo, updatedFrom = filter.UpdatedFrom, updatedTo = filter.UpdatedTo,
                like = filter.Query is { } q ? "%" + EscapeLike(q) + "%" : null,
                scoreMin = filter.ScoreMin, scoreMax = filter.ScoreMax, grades = filter.Grades?.ToArray(), afterScore = page.After?.Score,
                afterAt = page.After?.At, afterName = page.After?.Name, afterId = page.After?.Id, limit = page.Limit + 1,
            }, cancellationToken);
        // The name key comes from the database, so the next page compares it under the same collation as this one's order.
        var rowPage = page.ToPage(rows, row => new LeadCursor(sort.Name,
            sort.ByName || sort.ByScore ? null : sort.KeyColumn == "l.updated_at" ? row.UpdatedAt : row.CreatedAt, sort.ByName ? row.SortName ?? "" : "", row.Id,
            sort.ByScore ? row.Score : null));
        return new CursorPage<Lead>([.. rowPage.Items.Select(r => r.ToLead())], rowPage.NextCursor);
    }

    /// <summary>The lead's timeline, newest first.</summary>
    public async Task<CursorPage<LeadActivity>> TimelineAsync(string tenantId, string leadId, PageRequest<TimelineCursor> page, CancellationToken cancellationToken = default)
    {
        var before = page.After is null ? "" : " AND (a.occurred_at, a.id) < (@beforeAt, @beforeId)";
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var rows = await session.QueryAsync<ActivityRow>($"""
            SELECT a.id, a.lead_id, a.kind, a.occurred_at, a.actor_user_id, a.body, a.details::text AS details, a.conversation_id
            FROM lead_activities a
            WHERE a.tenant_id = @tenant AND a.lead_id = @leadId{before}
            ORDER BY a.occurred_at DESC, a.id DESC LIMIT @limit
            """, new { leadId, beforeAt = page.After?.OccurredAt, beforeId = page.After?.Id, limit = page.Limit + 1 }, cancellationToken);
        return page.ToPage(rows.Select(r => r.ToActivity()).ToList(), a => new TimelineCursor(a.OccurredAt, a.Id));
    }

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private sealed class ActivityRow
    {
        public long Id { get; init; }
        public string LeadId { get; init; } = "";
        public string Kind { get; init; } = "";
        public DateTimeOffset OccurredAt { get; init; }
        public string? ActorUserId { get; init; }
        public string? Body { get; init; }
        public string Details { get; init; } = "{}";
        public string? ConversationId { get; init; }

        public LeadActivity ToActivity() => new(
            Id, LeadId, Enum.GetValues<LeadActivityKind>().FirstOrDefault(k => ApiJson.NameOf(k) == Kind), OccurredAt, ActorUserId, Body,
            (JsonSerializer.Deserialize<Dictionary<string, string>>(Details, ApiJson.Options) ?? []).ToImmutableDictionary(), ConversationId);
    }
}

using System.Collections.Immutable;
using System.Text.Json;
using Flexoraa.Api;
using Flexoraa.ReadModels;

namespace Flexoraa.Leads.Scoring;

/// <summary>
/// The <c>scoring_rules</c> row, state of record of a tenant's <see cref="ScoringRulesGrain"/>, and the reads its
/// rescoring pass and the preview make over the <c>leads</c> table.
/// </summary>
public sealed class ScoringRulesStore(TenantDatabase database)
{
    public const int PreviewPageSize = 1000;

    /// <summary>The saved rules and rotation, or null when the tenant never saved any.</summary>
    public async Task<(ScoringRules Rules, long Rotation)?> LoadAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var row = await session.QuerySingleOrDefaultAsync<RulesRow>(
            "SELECT version, rules::text AS rules, sdr_rotation, updated_at FROM scoring_rules WHERE tenant_id = @tenant", cancellationToken: cancellationToken);
        if (row is null) return null;
        var rules = JsonSerializer.Deserialize<ScoringRules>(row.Rules, ApiJson.Options)!;
        return (rules with { Version = row.Version, UpdatedAt = row.UpdatedAt, Automations = rules.Automations.IsDefault ? [] : rules.Automations }, row.SdrRotation);
    }

    /// <summary>Writes the rules at their version; false when another activation saved that version first.</summary>
    public async Task<bool> SaveAsync(string tenantId, ScoringRules rules, long rotation, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var written = await session.ExecuteAsync("""
            INSERT INTO scoring_rules (tenant_id, version, rules, sdr_rotation, updated_at) VALUES (@tenant, @version, @rules::jsonb, @rotation, @updatedAt)
            ON CONFLICT (tenant_id) DO UPDATE SET version = excluded.version, rules = excluded.rules, sdr_rotation = excluded.sdr_rotation, updated_at = excluded.updated_at
            WHERE scoring_rules.version < excluded.version OR (scoring_rules.version = excluded.version AND scoring_rules.rules = excluded.rules)
            """, new { version = rules.Version, rules = JsonSerializer.Serialize(rules, ApiJson.Options), rotation, updatedAt = rules.UpdatedAt }, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return written == 1;
    }

    /// <summary>Moves the SDR rotation; a tenant on the built-in rules gets its row here, with them.</summary>
    public async Task SaveRotationAsync(string tenantId, ScoringRules rules, long rotation, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await session.ExecuteAsync("""
            INSERT INTO scoring_rules (tenant_id, version, rules, sdr_rotation) VALUES (@tenant, @version, @rules::jsonb, @rotation)
            ON CONFLICT (tenant_id) DO UPDATE SET sdr_rotation = excluded.sdr_rotation
            """, new { version = rules.Version, rules = JsonSerializer.Serialize(rules, ApiJson.Options), rotation }, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    /// <summary>The next ids (after <paramref name="afterId"/>) of leads scored under rules older than <paramref name="version"/>.</summary>
    public async Task<IReadOnlyList<string>> StaleLeadsAsync(string tenantId, long version, string afterId, int limit, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var ids = await session.QueryAsync<string>(
            "SELECT id FROM leads WHERE tenant_id = @tenant AND score_rules_version < @version AND id > @afterId ORDER BY id LIMIT @limit",
            new { version, afterId, limit }, cancellationToken);
        return [.. ids];
    }

    public async Task<int> CountStaleAsync(string tenantId, long version, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        return await session.ExecuteScalarAsync<int>("SELECT count(*)::int FROM leads WHERE tenant_id = @tenant AND score_rules_version < @version", new { version }, cancellationToken);
    }

    /// <summary>
    /// A page of the tenant's leads with their engagement events, by id, for the preview; read straight from the table so
    /// a preview never activates a grain.
    /// </summary>
    public async Task<IReadOnlyList<(Lead Lead, ImmutableArray<LeadEngagement> Events)>> PageAsync(string tenantId, string afterId, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var rows = await session.QueryAsync<LeadStore.LeadRow>(
            $"SELECT {LeadStore.Columns}, score_events::text AS score_events FROM leads WHERE tenant_id = @tenant AND id > @afterId ORDER BY id LIMIT @limit",
            new { afterId, limit = PreviewPageSize }, cancellationToken);
        return [.. rows.Select(r => (r.ToLead(), LeadScoreStore.ParseEvents(r.ScoreEvents)))];
    }

    private sealed class RulesRow
    {
        public long Version { get; init; }
        public string Rules { get; init; } = "{}";
        public long SdrRotation { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
    }
}

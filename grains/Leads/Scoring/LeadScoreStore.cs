using System.Collections.Immutable;
using System.Text.Json;
using Flexoraa.Api;
using Flexoraa.ReadModels;

namespace Flexoraa.Leads.Scoring;

/// <summary>
/// The score columns of a <c>leads</c> row and the engagement events it decays from. Written in the caller's
/// transaction (with the profile change that rescored the lead) or alone for an event; either way guarded by the row's
/// version without moving it, since a new score is no edit of the lead and must not turn an SDR's ETag stale.
/// </summary>
public static class LeadScoreStore
{
    public static async Task<ImmutableArray<LeadEngagement>> LoadEventsAsync(TenantSession session, string leadId, CancellationToken cancellationToken = default) =>
        ParseEvents(await session.ExecuteScalarAsync<string?>("SELECT score_events::text FROM leads WHERE tenant_id = @tenant AND id = @id", new { id = leadId }, cancellationToken));

    /// <summary>False when the row is gone or no longer at <paramref name="version"/>.</summary>
    public static async Task<bool> WriteAsync(TenantSession session, string leadId, long version, LeadScore score, ImmutableArray<LeadEngagement> events,
        DateTimeOffset scoredAt, CancellationToken cancellationToken = default) =>
        await session.ExecuteAsync("""
            UPDATE leads SET score = @total, grade = @grade, fit_score = @fit, engagement_score = @engagement, score_rules_version = @rulesVersion,
                score_events = @events::jsonb, scored_at = @scoredAt
            WHERE tenant_id = @tenant AND id = @id AND version = @version
            """, new
            {
                id = leadId, version, total = (short)score.Total, grade = score.Grade, fit = (short)Math.Clamp(score.Fit, short.MinValue, short.MaxValue),
                engagement = (short)Math.Clamp(score.Engagement, short.MinValue, short.MaxValue), rulesVersion = score.RulesVersion,
                events = JsonSerializer.Serialize(events, ApiJson.Options), scoredAt,
            }, cancellationToken) == 1;

    public static ImmutableArray<LeadEngagement> ParseEvents(string? json) =>
        json is null ? [] : [.. JsonSerializer.Deserialize<LeadEngagement[]>(json, ApiJson.Options) ?? []];
}

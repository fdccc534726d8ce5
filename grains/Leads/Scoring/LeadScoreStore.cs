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

    /// <summary>
    /// The SET list of a score write; its parameters are those of <see cref="ScoreColumns"/>. Shared with the group-committed
    /// engagement write (<see cref="LeadEngagementWrite"/>) so both write the same columns the same way.
    /// </summary>
    internal const string ScoreAssignments = """
        score = @total, grade = @grade, fit_score = @fit, engagement_score = @engagement, score_rules_version = @rulesVersion,
        score_events = @events::jsonb, scored_at = @scoredAt
        """;

    /// <summary>False when the row is gone or no longer at <paramref name="version"/>.</summary>
    public static async Task<bool> WriteAsync(TenantSession session, string leadId, long version, LeadScore score, ImmutableArray<LeadEngagement> events,
        DateTimeOffset scoredAt, CancellationToken cancellationToken = default)
    {
        var columns = ScoreColumns.Of(score, events, scoredAt);
        return await session.ExecuteAsync($"UPDATE leads SET {ScoreAssignments} WHERE tenant_id = @tenant AND id = @id AND version = @version", new
        {
            id = leadId, version, total = columns.Total, grade = columns.Grade, fit = columns.Fit, engagement = columns.Engagement,
            rulesVersion = columns.RulesVersion, events = columns.Events, scoredAt = columns.ScoredAt,
        }, cancellationToken) == 1;
    }

    public static ImmutableArray<LeadEngagement> ParseEvents(string? json) =>
        json is null ? [] : [.. JsonSerializer.Deserialize<LeadEngagement[]>(json, ApiJson.Options) ?? []];
}

/// <summary>The values of the score columns as PostgreSQL takes them: subtotals clamped to <c>smallint</c>, events as JSON.</summary>
public sealed record ScoreColumns(short Total, string Grade, short Fit, short Engagement, long RulesVersion, string Events, DateTimeOffset ScoredAt)
{
    public static ScoreColumns Of(LeadScore score, ImmutableArray<LeadEngagement> events, DateTimeOffset scoredAt) => new(
        (short)score.Total, score.Grade, (short)Math.Clamp(score.Fit, short.MinValue, short.MaxValue),
        (short)Math.Clamp(score.Engagement, short.MinValue, short.MaxValue), score.RulesVersion,
        JsonSerializer.Serialize(events, ApiJson.Options), scoredAt);

    public void AddTo(Npgsql.NpgsqlParameterCollection parameters)
    {
        parameters.AddWithValue("total", Total);
        parameters.AddWithValue("grade", Grade);
        parameters.AddWithValue("fit", Fit);
        parameters.AddWithValue("engagement", Engagement);
        parameters.AddWithValue("rulesVersion", RulesVersion);
        parameters.AddWithValue("events", Events);
        parameters.AddWithValue("scoredAt", ScoredAt);
    }
}

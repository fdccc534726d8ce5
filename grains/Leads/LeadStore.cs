using System.Collections.Immutable;
using System.Text.Json;
using Flexoraa.Api;
using Flexoraa.Channels;
using Flexoraa.ReadModels;
using Npgsql;

namespace Flexoraa.Leads;

/// <summary>
/// The <c>leads</c> row and the <c>lead_activities</c> that commit with it. The row is the lead's state of record, as the
/// conversations row is the workflow's: a change and its timeline entries are one <c>COMMIT</c>, and
/// <see cref="LeadGrain"/> takes the new lead into memory only after it. Every write names the version it expects, so
/// even two activations of one lead (a partition) cannot overwrite each other.
/// </summary>
public sealed class LeadStore(TenantDatabase database)
{
    public const string Columns =
        "id, display_name, first_name, last_name, company, title, email, phone_e164, source, tags, owner_user_id, pipeline_id, stage_id, " +
        "custom_fields::text AS custom_fields, consent::text AS consent, won_value, won_currency, lost_reason, channel, channel_contact_id, " +
        "created_at, updated_at, version, score, grade, fit_score, engagement_score, score_rules_version";

    public Task<TenantSession> BeginAsync(string tenantId, CancellationToken cancellationToken = default) => database.BeginAsync(tenantId, cancellationToken);

    public async Task<Lead?> LoadAsync(string tenantId, string leadId, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var row = await session.QuerySingleOrDefaultAsync<LeadRow>($"SELECT {Columns} FROM leads WHERE tenant_id = @tenant AND id = @id", new { id = leadId }, cancellationToken);
        return row?.ToLead();
    }

    /// <summary>False when the id is taken.</summary>
    public static async Task<bool> InsertAsync(TenantSession session, Lead lead, CancellationToken cancellationToken = default) =>
        await session.ExecuteAsync("""
            INSERT INTO leads (tenant_id, id, display_name, first_name, last_name, company, title, email, phone_e164, source, tags, owner_user_id,
                               pipeline_id, stage_id, custom_fields, consent, won_value, won_currency, lost_reason, created_at, updated_at, version)
            VALUES (@tenant, @id, @displayName, @firstName, @lastName, @company, @title, @email, @phone, @source, @tags, @owner,
                    @pipeline, @stage, @custom::jsonb, @consent::jsonb, @wonValue, @wonCurrency, @lostReason, @createdAt, @updatedAt, @version)
            ON CONFLICT (tenant_id, id) DO NOTHING
            """, Parameters(lead), cancellationToken) == 1;

    /// <summary>Writes the whole lead at its new version; false when the row is no longer at <paramref name="expectedVersion"/>.</summary>
    public static async Task<bool> UpdateAsync(TenantSession session, Lead lead, long expectedVersion, CancellationToken cancellationToken = default)
    {
        var parameters = Parameters(lead);
        parameters.Add("expected", expectedVersion);
        return await session.ExecuteAsync("""
            UPDATE leads SET display_name = @displayName, first_name = @firstName, last_name = @lastName, company = @company, title = @title,
                email = @email, phone_e164 = @phone, source = @source, tags = @tags, owner_user_id = @owner, pipeline_id = @pipeline, stage_id = @stage,
                custom_fields = @custom::jsonb, consent = @consent::jsonb, won_value = @wonValue, won_currency = @wonCurrency, lost_reason = @lostReason,
                updated_at = @updatedAt, version = @version
            WHERE tenant_id = @tenant AND id = @id AND version = @expected
            """, parameters, cancellationToken) == 1;
    }

    /// <summary>
    /// Deletes the lead and its timeline (the foreign key cascades), and unlinks its conversations, which stay; answers
    /// the ids of the conversations it unlinked (their grains still name the lead), or null when the row is no longer at
    /// <paramref name="expectedVersion"/>.
    /// </summary>
    public static async Task<IReadOnlyList<string>?> DeleteAsync(TenantSession session, string leadId, long expectedVersion, CancellationToken cancellationToken = default)
    {
        if (await session.ExecuteAsync("DELETE FROM leads WHERE tenant_id = @tenant AND id = @id AND version = @expected",
                new { id = leadId, expected = expectedVersion }, cancellationToken) != 1)
        {
            return null;
        }
        return await session.QueryAsync<string>("UPDATE conversations SET lead_id = NULL WHERE tenant_id = @tenant AND lead_id = @id RETURNING id",
            new { id = leadId }, cancellationToken);
    }

    /// <summary>Appends timeline entries in the caller's transaction and answers them with their ids.</summary>
    public static async Task<ImmutableArray<LeadActivity>> AppendAsync(TenantSession session, IEnumerable<LeadActivity> activities, LeadActor actor,
        CancellationToken cancellationToken = default)
    {
        var stored = ImmutableArray.CreateBuilder<LeadActivity>();
        foreach (var activity in activities)
        {
            var id = await session.ExecuteScalarAsync<long>("""
                INSERT INTO lead_activities (tenant_id, lead_id, kind, actor_user_id, api_key_id, body, details, conversation_id, occurred_at)
                VALUES (@tenant, @lead, @kind, @actor, @apiKey, @body, @details::jsonb, @conversation, @occurredAt)
                RETURNING id
                """, new
                {
                    lead = activity.LeadId,
                    kind = ApiJson.NameOf(activity.Kind),
                    actor = activity.ActorUserId,
                    apiKey = actor.ApiKeyId,
                    body = activity.Body,
                    details = JsonSerializer.Serialize(activity.Details, ApiJson.Options),
                    conversation = activity.ConversationId,
                    occurredAt = activity.OccurredAt,
                }, cancellationToken);
            stored.Add(activity with { Id = id });
        }
        return stored.ToImmutable();
    }

    /// <summary>Which unique index a refused insert or update hit, as the REST field it is about; null for anything else.</summary>
    public static string? ConflictingField(PostgresException e) => e.SqlState == PostgresErrorCodes.UniqueViolation
        ? e.ConstraintName switch
        {
            "ux_leads_phone" => "phone",
            "ux_leads_channel_contact" => "channelContactId",
            _ => null,
        }
        : null;

    private static Dapper.DynamicParameters Parameters(Lead lead)
    {
        var parameters = new Dapper.DynamicParameters();
        parameters.AddDynamicParams(new
        {
            id = lead.Id, displayName = lead.DisplayName, firstName = lead.FirstName, lastName = lead.LastName, company = lead.Company, title = lead.Title,
            email = lead.Email, phone = lead.Phone, source = lead.Source, tags = lead.Tags.ToArray(), owner = lead.OwnerUserId,
            pipeline = lead.PipelineId, stage = lead.StageId,
            custom = JsonSerializer.Serialize(lead.CustomFields, ApiJson.Options),
            consent = JsonSerializer.Serialize(lead.Consent, ApiJson.Options),
            wonValue = lead.WonValue, wonCurrency = lead.WonCurrency, lostReason = lead.LostReason,
            createdAt = lead.CreatedAt, updatedAt = lead.UpdatedAt, version = lead.Version,
        });
        return parameters;
    }

    /// <summary>A <c>leads</c> row; mapped by property, as Dapper's type handlers need.</summary>
    public sealed class LeadRow
    {
        public string Id { get; init; } = "";
        public string? DisplayName { get; init; }
        public string? FirstName { get; init; }
        public string? LastName { get; init; }
        public string? Company { get; init; }
        public string? Title { get; init; }
        public string? Email { get; init; }
        public string? PhoneE164 { get; init; }
        public string Source { get; init; } = LeadRules.DefaultSource;
        public string[]? Tags { get; init; }
        public string? OwnerUserId { get; init; }
        public string? PipelineId { get; init; }
        public string? StageId { get; init; }
        public string? CustomFields { get; init; }
        public string? Consent { get; init; }
        public long? WonValue { get; init; }
        public string? WonCurrency { get; init; }
        public string? LostReason { get; init; }
        public string? Channel { get; init; }
        public string? ChannelContactId { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public long Version { get; init; }
        public short Score { get; init; }
        public string? Grade { get; init; }
        public short FitScore { get; init; }
        public short EngagementScore { get; init; }
        public long ScoreRulesVersion { get; init; }
        /// <summary>The engagement events, when a query selects them (the grain and the preview do; the list does not).</summary>
        public string? ScoreEvents { get; init; }
        /// <summary>The list's name order key, when a list query selects it.</summary>
        public string? SortName { get; init; }

        public Lead ToLead() => new(
            Id, DisplayName, FirstName, LastName, Company, Title, Email, PhoneE164, Source, [.. Tags ?? []], OwnerUserId, PipelineId, StageId,
            (CustomFields is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(CustomFields, ApiJson.Options))?.ToImmutableDictionary() ?? ImmutableDictionary<string, string>.Empty,
            (Consent is null ? null : JsonSerializer.Deserialize<Dictionary<string, LeadConsentStatus>>(Consent, ApiJson.Options))?.ToImmutableDictionary() ?? ImmutableDictionary<string, LeadConsentStatus>.Empty,
            WonValue, WonCurrency, LostReason, ChannelKindNames.TryParse(Channel, out var channel) ? channel : null, ChannelContactId,
            CreatedAt, UpdatedAt, Version,
            Grade is null ? null : new Scoring.LeadScore(Score, Grade, FitScore, EngagementScore, ScoreRulesVersion));
    }
}

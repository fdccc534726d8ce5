using Flexoraa.ReadModels;

namespace Flexoraa.Leads.Bulk;

/// <summary>
/// The set-based writes of a bulk action, one statement per batch of leads: each changes only the leads it would change
/// (already so is skipped), only those the caller may still change (the SDR rule is checked again at write time, since
/// owners can change between the request and the batch), bumps their version like a grain's change does, and logs their
/// timeline entry in the same statement. Returns the ids it changed, whose active grains must reload.
/// </summary>
public static class LeadBulkWrites
{
    private const string Visible = "(@sdr::varchar IS NULL OR l.owner_user_id IS NULL OR l.owner_user_id = @sdr)";

    public static Task<IReadOnlyList<string>> ApplyAsync(TenantSession session, LeadBulkActionRecord action, IReadOnlyList<string> leadIds, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        var parameters = action.ToParameters();
        var common = new Dapper.DynamicParameters(new
        {
            ids = leadIds.ToArray(), sdr = action.OwnWorkOf, now, actor = action.CreatedByUserId, apiKey = action.ApiKeyId, action = action.Id,
        });
        return action.Kind switch
        {
            LeadBulkActionKind.ChangeStage => Run(session, """
                WITH old AS (
                    SELECT l.id, l.stage_id, l.pipeline_id FROM leads l
                    WHERE l.tenant_id = @tenant AND l.id = ANY(@ids) AND {visible}
                      AND (l.pipeline_id IS DISTINCT FROM @pipeline OR l.stage_id IS DISTINCT FROM @stage)
                    FOR UPDATE),
                changed AS (
                    UPDATE leads l SET pipeline_id = @pipeline, stage_id = @stage, lost_reason = coalesce(@lostReason, l.lost_reason),
                        updated_at = @now, version = l.version + 1
                    FROM old WHERE l.tenant_id = @tenant AND l.id = old.id
                    RETURNING l.id, old.stage_id AS from_stage, old.pipeline_id AS from_pipeline),
                logged AS (
                    INSERT INTO lead_activities (tenant_id, lead_id, kind, actor_user_id, api_key_id, details, occurred_at)
                    SELECT @tenant, id, 'stageChanged', @actor, @apiKey,
                           jsonb_build_object('fromStageId', coalesce(from_stage, ''), 'toStageId', @stage::text, 'fromPipelineId', coalesce(from_pipeline, ''),
                                              'pipelineId', @pipeline::text, 'bulkActionId', @action::text), @now
                    FROM changed)
                SELECT id FROM changed
                """, common, new { pipeline = parameters.PipelineId, stage = parameters.StageId, lostReason = parameters.LostReason }, cancellationToken),
            LeadBulkActionKind.ChangeOwner => Run(session, """
                WITH changed AS (
                    UPDATE leads l SET owner_user_id = @owner, updated_at = @now, version = l.version + 1
                    WHERE l.tenant_id = @tenant AND l.id = ANY(@ids) AND {visible} AND l.owner_user_id IS DISTINCT FROM @owner
                    RETURNING l.id),
                logged AS ({fieldsChanged} 'ownerUserId'{fieldsChangedEnd})
                SELECT id FROM changed
                """, common, new { owner = parameters.OwnerUserId }, cancellationToken),
            LeadBulkActionKind.AddTags => Run(session, """
                WITH changed AS (
                    UPDATE leads l SET tags = l.tags || missing.tags, updated_at = @now, version = l.version + 1
                    FROM (SELECT c.id, ARRAY(SELECT t FROM unnest(@tags::text[]) t WHERE NOT EXISTS (SELECT 1 FROM unnest(c.tags) e WHERE lower(e) = lower(t))) AS tags
                          FROM leads c WHERE c.tenant_id = @tenant AND c.id = ANY(@ids)) missing
                    WHERE l.tenant_id = @tenant AND l.id = missing.id AND {visible}
                      AND cardinality(missing.tags) > 0 AND cardinality(l.tags) + cardinality(missing.tags) <= @maxTags
                    RETURNING l.id),
                logged AS ({fieldsChanged} 'tags'{fieldsChangedEnd})
                SELECT id FROM changed
                """, common, new { tags = (parameters.Tags ?? []).ToArray(), maxTags = LeadRules.MaxTags }, cancellationToken),
            LeadBulkActionKind.RemoveTags => Run(session, """
                WITH changed AS (
                    UPDATE leads l SET tags = ARRAY(SELECT e FROM unnest(l.tags) WITH ORDINALITY AS x(e, n) WHERE lower(e) <> ALL(@lowerTags) ORDER BY n),
                        updated_at = @now, version = l.version + 1
                    WHERE l.tenant_id = @tenant AND l.id = ANY(@ids) AND {visible}
                      AND EXISTS (SELECT 1 FROM unnest(l.tags) e WHERE lower(e) = ANY(@lowerTags))
                    RETURNING l.id),
                logged AS ({fieldsChanged} 'tags'{fieldsChangedEnd})
                SELECT id FROM changed
                """, common, new { lowerTags = (parameters.Tags ?? []).Select(t => t.ToLowerInvariant()).ToArray() }, cancellationToken),
            // The timeline goes with the lead (the foreign key cascades); its conversations stay, unlinked, as a single delete leaves them.
            LeadBulkActionKind.Delete => Run(session, """
                WITH gone AS (
                    DELETE FROM leads l WHERE l.tenant_id = @tenant AND l.id = ANY(@ids) AND {visible}
                    RETURNING l.id),
                unlinked AS (
                    UPDATE conversations c SET lead_id = NULL FROM gone WHERE c.tenant_id = @tenant AND c.lead_id = gone.id)
                SELECT id FROM gone
                """, common, new { }, cancellationToken),
            _ => throw new InvalidOperationException($"{action.Kind} is no write."),
        };
    }

    private static async Task<IReadOnlyList<string>> Run(TenantSession session, string sql, Dapper.DynamicParameters common, object specific, CancellationToken cancellationToken)
    {
        common.AddDynamicParams(specific);
        sql = sql.Replace("{visible}", Visible, StringComparison.Ordinal)
            .Replace("{fieldsChanged}", """
                INSERT INTO lead_activities (tenant_id, lead_id, kind, actor_user_id, api_key_id, details, occurred_at)
                    SELECT @tenant, id, 'fieldsChanged', @actor, @apiKey, jsonb_build_object('fields',
                """, StringComparison.Ordinal)
            .Replace("{fieldsChangedEnd}", ", 'bulkActionId', @action::text), @now FROM changed", StringComparison.Ordinal);
        return await session.QueryAsync<string>(sql, common, cancellationToken);
    }
}

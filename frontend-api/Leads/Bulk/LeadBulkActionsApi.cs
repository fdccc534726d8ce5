using System.Collections.Immutable;
using Flexoraa.Api;
using Flexoraa.FrontendApi.Audit;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.FrontendApi.Platform.OpenApi;
using Flexoraa.Leads;
using Flexoraa.Leads.Bulk;
using Flexoraa.ReadModels;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flexoraa.FrontendApi.Leads.Bulk;

/// <summary>
/// <c>/api/v1/lead-bulk-actions</c>: change the stage, owner or tags of many leads, delete them, or export them to CSV, as
/// a job with progress like an import. The request fixes which leads it acts on (the ids given, or what the list's
/// filter matches now, both limited to what the caller may see) in the same transaction that records the job, so a
/// filter means the leads the user saw. An SDR's action only ever touches their own and unassigned leads: the rule
/// applies when the leads are chosen and again when each batch is written.
/// </summary>
public static class LeadBulkActionsApi
{
    public const int MaxLeadIds = 10_000;
    public const string RequestedAuditAction = "lead.bulk_action";

    public static RouteGroupBuilder MapLeadBulkActionsApi(this RouteGroupBuilder api)
    {
        var actions = api.MapGroup("/lead-bulk-actions").WithTags("Leads");
        actions.MapPost("/", Create).RequirePermission(Permission.WorkLeads).WithName("CreateLeadBulkAction")
            .WithQueryParameter("stage", "With allMatching: only leads in this stage, as on GET /api/v1/leads.")
            .WithQueryParameter("pipeline", "With allMatching: only leads in this pipeline.")
            .WithQueryParameter("owner", "With allMatching: 'me', 'unassigned', or a user id.")
            .WithQueryParameter("source", "With allMatching: only leads from this source.")
            .WithQueryParameter("tag", "With allMatching: only leads carrying this tag.")
            .WithQueryParameter("createdFrom", "With allMatching: only leads created at or after this ISO 8601 time.")
            .WithQueryParameter("createdTo", "With allMatching: only leads created before this ISO 8601 time.")
            .WithQueryParameter("updatedFrom", "With allMatching: only leads changed at or after this ISO 8601 time.")
            .WithQueryParameter("updatedTo", "With allMatching: only leads changed before this ISO 8601 time.")
            .WithQueryParameter("q", "With allMatching: text the lead's name, company, email or phone contains.")
            .WithQueryParameter("scoreMin", "With allMatching: only leads whose score is at least this, 0 to 100.")
            .WithQueryParameter("scoreMax", "With allMatching: only leads whose score is at most this, 0 to 100.")
            .WithQueryParameter("grade", "With allMatching: only leads of this grade (A to D), or of several comma-separated.")
            .WithQueryParameter("sort", "Ignored: a bulk action takes the leads newest first.")
            .WithDescription("field.<key>=value filters by a custom field, as on GET /api/v1/leads.")
            .WithSummary("Change stage, owner or tags of leads, delete them or export them to CSV (202 with the job); by leadIds, or by the list's filter (its query parameters) with allMatching");
        actions.MapGet("/", List).RequirePermission(Permission.ReadLeads).WithName("ListLeadBulkActions")
            .WithSummary("Recent bulk actions, newest first (an SDR sees their own)");
        actions.MapGet("/{bulkActionId}", Get).RequirePermission(Permission.ReadLeads).WithName("GetLeadBulkAction")
            .WithSummary("One bulk action's progress: total, processed, changed and skipped");
        actions.MapPost("/{bulkActionId}/cancel", Cancel).RequirePermission(Permission.WorkLeads).WithName("CancelLeadBulkAction")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Stop a bulk action after the batch in flight; what was committed stays");
        actions.MapGet("/{bulkActionId}/file", File).RequirePermission(Permission.ReadLeads).WithName("GetLeadBulkActionFile")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("An export's CSV, streamed, formula-safe for spreadsheets (409 until it is ready)");
        return api;
    }

    private static async Task<Results<Accepted<LeadBulkActionStatus>, ValidationProblem, ProblemHttpResult>> Create(
        LeadBulkActionRequest request, [AsParameters] LeadListQuery query, [AsParameters] LeadBulkActionServices services,
        HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        var sdr = LeadsApi.SdrOf(caller);
        if (!ApiJson.TryParse<LeadBulkActionKind>(request.Action, out var kind))
        {
            return ApiProblems.Validation("action", $"'action' is one of: {string.Join(", ", Enum.GetValues<LeadBulkActionKind>().Select(k => ApiJson.NameOf(k)))}.");
        }
        var (parameters, invalid) = await ParametersAsync(kind, request, caller, services.Grains);
        if (invalid is not null) return invalid;

        // Which leads: the ids, or the list's filter.
        string[]? ids = null;
        LeadFilter? filter = null;
        if (request.LeadIds is { } given == (request.AllMatching == true))
        {
            return ApiProblems.Validation("leadIds", "Name the leads with leadIds, or send allMatching: true to act on every lead the filter (the query parameters) matches.");
        }
        if (request.LeadIds is { } list)
        {
            if (list.Length is 0 or > MaxLeadIds) return ApiProblems.Validation("leadIds", $"'leadIds' has 1 to {MaxLeadIds} ids; for more, use the filter.");
            for (var i = 0; i < list.Length; i++)
            {
                if (!LeadKeys.IsWellFormed(list[i])) return ApiProblems.Validation($"leadIds[{i}]", "This is not a lead id.");
            }
            ids = [.. list.Distinct()!];
        }
        else
        {
            if (!LeadFilter.TryParse(query, caller.UserId, LeadsApi.OwnWorkOnly(caller), out var parsed, out var errors)) return ApiProblems.Validation(errors);
            if (await LeadsApi.WithCustomFieldsAsync(parsed, http, services.Grains, errors) is not { } withFields) return ApiProblems.Validation(errors);
            filter = withFields;
        }

        var actionId = LeadBulkActionKeys.NewActionId();
        var record = new LeadBulkActionRecord
        {
            Id = actionId, CreatedByUserId = caller.UserId, ApiKeyId = caller.ApiKeyId, OwnWorkOf = sdr, Action = ApiJson.NameOf(kind),
            Parameters = LeadBulkActionRecord.ParametersJson(parameters!), CreatedAt = services.Clock.GetUtcNow(),
        };
        await using (var session = await services.Actions.BeginAsync(caller.TenantId, cancellationToken))
        {
            await LeadBulkActionStore.InsertAsync(session, record, cancellationToken);
            if (ids is not null) await ChooseAsync(session, actionId, ids, sdr, cancellationToken);
            else await ChooseAsync(session, actionId, filter!, cancellationToken);
            var total = await LeadBulkActionStore.SetTotalAsync(session, actionId, cancellationToken);
            await AuditTrail.RecordAsync(session, new AuditEntry(RequestedAuditAction, caller.UserId, caller.ApiKeyId, "lead_bulk_action", actionId, http.ClientIp(),
                new Dictionary<string, string?>
                {
                    ["action"] = record.Action,
                    ["total"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["by"] = ids is null ? "filter" : "ids",
                    ["filter"] = ids is null ? http.Request.QueryString.Value : null,
                }), cancellationToken);
            await session.CommitAsync(cancellationToken);
        }
        await services.Grains.GetGrain<ILeadBulkActionGrain>(LeadBulkActionKeys.GrainKey(caller.TenantId, actionId)).Start();
        var status = (await services.Actions.FindAsync(caller.TenantId, actionId, cancellationToken))!.ToStatus();
        return TypedResults.Accepted($"/api/v1/lead-bulk-actions/{actionId}", status);
    }

    /// <summary>What the action sets, checked now so the job never meets an input error halfway.</summary>
    private static async Task<(LeadBulkParameters? Parameters, ValidationProblem? Invalid)> ParametersAsync(LeadBulkActionKind kind, LeadBulkActionRequest request,
        Caller caller, IGrainFactory grains)
    {
        switch (kind)
        {
            case LeadBulkActionKind.ChangeStage:
            {
                if (request.StageId?.Trim() is not { Length: > 0 } stageId) return (null, ApiProblems.Validation("stageId", "Name the stage to move the leads to."));
                var pipelines = await grains.GetGrain<IPipelinesGrain>(caller.TenantId).List();
                var pipeline = request.PipelineId is { } pipelineId ? pipelines.FirstOrDefault(p => p.Id == pipelineId) : pipelines.FirstOrDefault(p => p.Stage(stageId) is not null);
                if (pipeline is null && request.PipelineId is not null) return (null, ApiProblems.Validation("pipelineId", $"The tenant has no pipeline '{request.PipelineId}'."));
                if (pipeline?.Stage(stageId) is not { } stage) return (null, ApiProblems.Validation("stageId", $"No pipeline of the tenant has a stage '{stageId}'."));
                if (stage.Kind == PipelineStageKind.Won) return (null, ApiProblems.Validation("stageId", "A won lead needs its own deal value: move leads to a won stage one at a time."));
                var reason = request.LostReason?.Trim();
                if (stage.Kind == PipelineStageKind.Lost && reason is not { Length: > 0 and <= 500 }) return (null, ApiProblems.Validation("lostReason", $"Leads moved to '{stage.Name}' need a lostReason of 1 to 500 characters."));
                return (new LeadBulkParameters(PipelineId: pipeline.Id, StageId: stage.Id, LostReason: stage.Kind == PipelineStageKind.Lost ? reason : null), null);
            }
            case LeadBulkActionKind.ChangeOwner:
            {
                var owner = request.OwnerUserId?.Trim();
                if (owner is { Length: 0 }) owner = null;
                if (owner is not null && LeadsApi.OwnWorkOnly(caller) && owner != caller.UserId) return (null, ApiProblems.Validation("ownerUserId", "You may only make yourself the owner of leads."));
                if (owner is not null && (owner.Length > 40 || await grains.GetGrain<ITenantGrain>(caller.TenantId).GetMember(owner) is null))
                {
                    return (null, ApiProblems.Validation("ownerUserId", "The owner must be a member of this tenant (or null for nobody)."));
                }
                return (new LeadBulkParameters(OwnerUserId: owner), null);
            }
            case LeadBulkActionKind.AddTags or LeadBulkActionKind.RemoveTags:
            {
                var tags = (request.Tags ?? []).Select(t => t?.Trim() ?? "").ToList();
                if (tags.Count is 0 or > LeadRules.MaxTags) return (null, ApiProblems.Validation("tags", $"Send 1 to {LeadRules.MaxTags} tags."));
                if (tags.Any(t => t.Length is 0 or > LeadRules.MaxTagLength)) return (null, ApiProblems.Validation("tags", $"Each tag has 1 to {LeadRules.MaxTagLength} characters."));
                return (new LeadBulkParameters(Tags: [.. tags.Distinct(StringComparer.OrdinalIgnoreCase)]), null);
            }
            case LeadBulkActionKind.Export:
            {
                if (request.Columns is null) return (new LeadBulkParameters(Columns: LeadExportColumns.Default), null);
                if (request.Columns.Length is 0 or > LeadExportColumns.MaxColumns) return (null, ApiProblems.Validation("columns", $"Choose 1 to {LeadExportColumns.MaxColumns} columns."));
                for (var i = 0; i < request.Columns.Length; i++)
                {
                    if (request.Columns[i] is not { } column || !LeadExportColumns.IsColumn(column))
                    {
                        return (null, ApiProblems.Validation($"columns[{i}]", $"A column is one of {string.Join(", ", LeadExportColumns.Known)}, or custom.<key>."));
                    }
                }
                return (new LeadBulkParameters(Columns: [.. request.Columns.Distinct()!]), null);
            }
            default:
                return (new LeadBulkParameters(), null);
        }
    }

    /// <summary>The ids given that are the tenant's leads the caller may see, in the order given.</summary>
    private static Task<int> ChooseAsync(TenantSession session, string actionId, string[] ids, string? sdr, CancellationToken cancellationToken) =>
        session.ExecuteAsync("""
            INSERT INTO lead_bulk_action_items (tenant_id, action_id, seq, lead_id)
            SELECT @tenant, @action, row_number() OVER (ORDER BY x.n), l.id
            FROM unnest(@ids::text[]) WITH ORDINALITY AS x(id, n)
            JOIN leads l ON l.tenant_id = @tenant AND l.id = x.id
            WHERE (@sdr::varchar IS NULL OR l.owner_user_id IS NULL OR l.owner_user_id = @sdr)
            """, new { action = actionId, ids, sdr }, cancellationToken);

    /// <summary>Every lead the list's filter matches now (with the list's visibility rule), in the list's default order.</summary>
    private static Task<int> ChooseAsync(TenantSession session, string actionId, LeadFilter filter, CancellationToken cancellationToken)
    {
        var (where, parameters) = LeadReadModel.Conditions(filter);
        parameters.Add("action", actionId);
        return session.ExecuteAsync($"""
            INSERT INTO lead_bulk_action_items (tenant_id, action_id, seq, lead_id)
            SELECT @tenant, @action, row_number() OVER (ORDER BY l.created_at DESC, l.id DESC), l.id
            FROM leads l WHERE {string.Join(" AND ", where)}
            """, parameters, cancellationToken);
    }

    private static async Task<Ok<CursorPage<LeadBulkActionStatus>>> List([AsParameters] LeadBulkActionServices services, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        var rows = await services.Actions.ListAsync(caller.TenantId, LeadsApi.OwnWorkOnly(caller) ? caller.UserId ?? "" : null, 50, cancellationToken);
        return TypedResults.Ok(new CursorPage<LeadBulkActionStatus>([.. rows.Select(r => r.ToStatus())], null));
    }

    private static async Task<Results<Ok<LeadBulkActionStatus>, ProblemHttpResult>> Get(string bulkActionId, [AsParameters] LeadBulkActionServices services, HttpContext http,
        CancellationToken cancellationToken) =>
        await FindAsync(bulkActionId, services, http, cancellationToken) is { } action ? TypedResults.Ok(action.ToStatus()) : ApiProblems.NotFound("The bulk action");

    private static async Task<Results<Ok<LeadBulkActionStatus>, ProblemHttpResult>> Cancel(string bulkActionId, [AsParameters] LeadBulkActionServices services, HttpContext http,
        CancellationToken cancellationToken)
    {
        if (await FindAsync(bulkActionId, services, http, cancellationToken) is not { } action) return ApiProblems.NotFound("The bulk action");
        if (action.ToStatus().IsFinished) return ApiProblems.Conflict($"The bulk action has already ended ({action.Status}).");
        var status = await services.Grains.GetGrain<ILeadBulkActionGrain>(LeadBulkActionKeys.GrainKey(http.Caller().TenantId, action.Id)).Cancel();
        return TypedResults.Ok(status ?? action.ToStatus());
    }

    private static async Task<IResult> File(string bulkActionId, [AsParameters] LeadBulkActionServices services, HttpContext http, CancellationToken cancellationToken)
    {
        if (await FindAsync(bulkActionId, services, http, cancellationToken) is not { } action) return ApiProblems.NotFound("The bulk action");
        if (action.Kind != LeadBulkActionKind.Export) return ApiProblems.Conflict("Only an export has a file.");
        if (action.BlobKey is not { } blobKey) return ApiProblems.Conflict($"The export is {action.Status}; its file is ready once it has completed.");
        var file = await services.Blobs.OpenReadAsync(http.Caller().TenantId, blobKey, cancellationToken);
        return file is null ? ApiProblems.NotFound("The export's file") : Results.Stream(file, "text/csv; charset=utf-8", $"leads-{action.Id}.csv");
    }

    /// <summary>The caller's tenant's action; an SDR's only their own (an export holds the leads its creator could see).</summary>
    private static async Task<LeadBulkActionRecord?> FindAsync(string bulkActionId, LeadBulkActionServices services, HttpContext http, CancellationToken cancellationToken)
    {
        if (!LeadBulkActionKeys.IsWellFormed(bulkActionId)) return null;
        var caller = http.Caller();
        var action = await services.Actions.FindAsync(caller.TenantId, bulkActionId, cancellationToken);
        return action is not null && (!LeadsApi.OwnWorkOnly(caller) || action.CreatedByUserId == caller.UserId) ? action : null;
    }
}

using System.Text.Json;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.FrontendApi.Platform.OpenApi;
using Flexoraa.Leads;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flexoraa.FrontendApi.Leads;

/// <summary>
/// <c>/api/v1/leads</c>: the list (from the read model), one lead with its ETag, create, patch under <c>If-Match</c>,
/// delete, logging notes, calls and meetings, and the timeline. Every call on an existing lead first asks
/// <see cref="LeadReadModel.VisibleAsync"/> under the caller's tenant (and, for an SDR, the own-or-unowned rule), so
/// another tenant's id, or another SDR's lead, is a 404 and never reaches a grain; <c>LeadGrain</c> checks the rules
/// again in its turn so they hold under concurrent requests.
/// <para>
/// A PATCH without <c>If-Match</c> is refused with 428: two people editing one lead must never overwrite each other
/// silently, so a client says which version it edited (<c>*</c> to overwrite on purpose). A stale version is a 412
/// that carries the current ETag. DELETE takes <c>If-Match</c> too, but does not require it.
/// </para>
/// </summary>
public static class LeadsApi
{
    public const string IfMatchHeader = "If-Match";

    public static RouteGroupBuilder MapLeadsApi(this RouteGroupBuilder api)
    {
        var leads = api.MapGroup("/leads").WithTags("Leads");
        leads.MapGet("/", List).RequirePermission(Permission.ReadLeads).WithName("ListLeads")
            .WithQueryParameter("stage", "Only leads in this stage (a stage id of a pipeline).")
            .WithQueryParameter("pipeline", "Only leads in this pipeline (a pipeline id).")
            .WithQueryParameter("owner", "'me' (the signed-in user), 'unassigned', or a user id.")
            .WithQueryParameter("source", "Only leads from this source, e.g. whatsapp, manual, import.")
            .WithQueryParameter("tag", "Only leads carrying this tag.")
            .WithQueryParameter("createdFrom", "Only leads created at or after this ISO 8601 time.")
            .WithQueryParameter("createdTo", "Only leads created before this ISO 8601 time.")
            .WithQueryParameter("updatedFrom", "Only leads changed at or after this ISO 8601 time.")
            .WithQueryParameter("updatedTo", "Only leads changed before this ISO 8601 time.")
            .WithQueryParameter("q", "Text that the lead's name, company, email or phone contains (case-insensitive).")
            .WithQueryParameter("scoreMin", "Only leads whose score (as of their last change or event) is at least this, 0 to 100.")
            .WithQueryParameter("scoreMax", "Only leads whose score is at most this, 0 to 100.")
            .WithQueryParameter("grade", "Only leads of this grade, A to D, or of several comma-separated (A,B).")
            .WithQueryParameter("sort", "-created (newest first, the default), created, -updated, updated, name, -name, -score (best first) or score.")
            .WithSummary("The tenant's leads, filtered and sorted, by cursor; SDRs see only their own and unassigned leads");
        leads.MapPost("/", Create).RequirePermission(Permission.WorkLeads).WithName("CreateLead")
            .Accepts<LeadRequest>("application/json")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Create a lead (201 with Location and ETag); phone is read in the tenant's default region, 409 when another lead has the phone");
        leads.MapGet("/{leadId}", Get).RequirePermission(Permission.ReadLeads).WithName("GetLead")
            .WithSummary("One lead; the ETag header is its version, for If-Match on a later PATCH");
        leads.MapPatch("/{leadId}", Patch).RequirePermission(Permission.WorkLeads).WithName("UpdateLead")
            .Accepts<LeadRequest>("application/json")
            .WithRequestHeader(IfMatchHeader, "The ETag of the version the change was made against (or * to overwrite whatever is there). Required: without it the answer is 428.", required: true)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .WithSummary("Change fields of a lead; absent fields stay, null clears. 412 when If-Match is not the current version, 428 without If-Match");
        leads.MapDelete("/{leadId}", Delete).RequirePermission(Permission.WorkLeads).WithName("DeleteLead")
            .WithRequestHeader(IfMatchHeader, "Optional: delete only if the lead is still at this ETag (412 otherwise).")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithSummary("Delete a lead and its timeline; its conversations stay, unlinked");
        leads.MapPost("/{leadId}/activities", LogActivity).RequirePermission(Permission.WorkLeads).WithName("LogLeadActivity")
            .WithSummary("Log a note, call or meeting on the lead's timeline");
        leads.MapGet("/{leadId}/timeline", Timeline).RequirePermission(Permission.ReadLeads).WithName("GetLeadTimeline")
            .WithSummary("The lead's timeline, newest first: created, stage and field changes, notes, calls and meetings");
        return api;
    }

    private static async Task<Results<Ok<CursorPage<Lead>>, ValidationProblem>> List(
        [AsParameters] LeadListQuery query, [AsParameters] LeadServices services, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (!LeadFilter.TryParse(query, caller.UserId, OwnWorkOnly(caller), out var filter, out var errors)) return ApiProblems.Validation(errors);
        if (!PageRequest<LeadCursor>.TryParse(query.Cursor, query.Limit, services.Cursors, out var page, out var error)) return ApiProblems.Validation(error.Field, error.Message);
        if (page.After is { } after && after.Sort != filter.Sort.Name) return ApiProblems.Validation("cursor", $"The cursor belongs to the list sorted by '{after.Sort}'; send that sort, or start again without the cursor.");
        return TypedResults.Ok(await services.Leads.ListAsync(caller.TenantId, filter, page, cancellationToken));
    }

    private static async Task<Results<Created<Lead>, ValidationProblem, ProblemHttpResult>> Create(
        [AsParameters] LeadServices services, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (await BodyAsync(http, cancellationToken) is not { } body) return NotJson();
        if (!LeadInput.TryParse(body, out var fields, out var errors)) return ApiProblems.Validation(errors);
        while (true)
        {
            var id = LeadKeys.NewLeadId();
            var result = await Grain(services, caller, id).Create(fields, Actor(caller));
            // A fresh random id cannot collide in practice; the grain still refuses to overwrite, and a retry draws again.
            if (result.Outcome == LeadChangeOutcome.Exists) continue;
            if (result.Outcome == LeadChangeOutcome.Invalid) return ApiProblems.Validation(result.Field!, result.Error!);
            if (result.Outcome != LeadChangeOutcome.Changed) return Problem(result, http);
            http.Response.Headers.ETag = LeadETags.Of(result.Lead!.Version);
            return TypedResults.Created($"/api/v1/leads/{id}", result.Lead);
        }
    }

    private static async Task<Results<Ok<Lead>, ProblemHttpResult>> Get(
        string leadId, [AsParameters] LeadServices services, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (!await services.Leads.VisibleAsync(caller.TenantId, leadId, SdrOf(caller), cancellationToken)) return ApiProblems.NotFound("The lead");
        if (await Grain(services, caller, leadId).Get(Actor(caller)) is not { } lead) return ApiProblems.NotFound("The lead");
        http.Response.Headers.ETag = LeadETags.Of(lead.Version);
        return TypedResults.Ok(lead);
    }

    private static async Task<Results<Ok<Lead>, ValidationProblem, ProblemHttpResult>> Patch(
        string leadId, [AsParameters] LeadServices services, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        // Existence first, so another tenant's id is a 404 whatever the headers and body say.
        if (!await services.Leads.VisibleAsync(caller.TenantId, leadId, SdrOf(caller), cancellationToken)) return ApiProblems.NotFound("The lead");
        var expected = LeadETags.Expected(http.Request.Headers.IfMatch, out var present);
        if (!present)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match required",
                detail: "Send the lead's ETag in If-Match (from GET or the last write), so a concurrent change is never overwritten silently; * overwrites on purpose.");
        }
        if (await BodyAsync(http, cancellationToken) is not { } body) return NotJson();
        if (!LeadInput.TryParse(body, out var changes, out var errors)) return ApiProblems.Validation(errors);
        var result = await Grain(services, caller, leadId).Update(changes, expected, Actor(caller));
        if (result.Outcome == LeadChangeOutcome.Invalid) return ApiProblems.Validation(result.Field!, result.Error!);
        if (result.Outcome != LeadChangeOutcome.Changed) return Problem(result, http);
        http.Response.Headers.ETag = LeadETags.Of(result.Lead!.Version);
        return TypedResults.Ok(result.Lead);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        string leadId, [AsParameters] LeadServices services, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (!await services.Leads.VisibleAsync(caller.TenantId, leadId, SdrOf(caller), cancellationToken)) return ApiProblems.NotFound("The lead");
        var expected = LeadETags.Expected(http.Request.Headers.IfMatch, out _);
        var result = await Grain(services, caller, leadId).Delete(expected, Actor(caller));
        return result.Outcome == LeadChangeOutcome.Changed ? TypedResults.NoContent() : Problem(result, http);
    }

    private static async Task<Results<Created<LeadActivity>, ValidationProblem, ProblemHttpResult>> LogActivity(
        string leadId, LogActivityRequest request, [AsParameters] LeadServices services, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (!await services.Leads.VisibleAsync(caller.TenantId, leadId, SdrOf(caller), cancellationToken)) return ApiProblems.NotFound("The lead");
        if (!request.TryValidate(services.Clock.GetUtcNow(), out var activity, out var errors)) return ApiProblems.Validation(errors);
        var result = await Grain(services, caller, leadId).LogActivity(activity, Actor(caller));
        if (result.Outcome == LeadChangeOutcome.Invalid) return ApiProblems.Validation(result.Field!, result.Error!);
        if (result.Outcome != LeadChangeOutcome.Changed) return Problem(result, http);
        return TypedResults.Created($"/api/v1/leads/{leadId}/timeline", result.Activity);
    }

    private static async Task<Results<Ok<CursorPage<LeadActivity>>, ValidationProblem, ProblemHttpResult>> Timeline(
        string leadId, [AsParameters] TimelineQuery query, [AsParameters] LeadServices services, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (!await services.Leads.VisibleAsync(caller.TenantId, leadId, SdrOf(caller), cancellationToken)) return ApiProblems.NotFound("The lead");
        if (!PageRequest<TimelineCursor>.TryParse(query.Cursor, query.Limit, services.Cursors, out var page, out var error)) return ApiProblems.Validation(error.Field, error.Message);
        return TypedResults.Ok(await services.Leads.TimelineAsync(caller.TenantId, leadId, page, cancellationToken));
    }

    /// <summary>
    /// The raw JSON body (null when it is not JSON). Read here rather than bound as a parameter, so the API reference shows
    /// the <see cref="LeadRequest"/> it is; malformed JSON throws, and the exception handler answers 400.
    /// </summary>
    private static async Task<JsonElement?> BodyAsync(HttpContext http, CancellationToken cancellationToken) =>
        http.Request.HasJsonContentType() ? await http.Request.ReadFromJsonAsync<JsonElement>(cancellationToken) : null;

    private static ProblemHttpResult NotJson() => TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
        detail: "Send the lead as application/json.");

    /// <summary>Every refusal but a field error, which the handlers answer as a validation problem themselves.</summary>
    private static ProblemHttpResult Problem(LeadChangeResult result, HttpContext http)
    {
        switch (result.Outcome)
        {
            case LeadChangeOutcome.Forbidden:
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: result.Error);
            case LeadChangeOutcome.VersionMismatch:
                http.Response.Headers.ETag = LeadETags.Of(result.Lead!.Version);
                return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The lead has changed", detail: result.Error);
            case LeadChangeOutcome.Conflict:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: result.Error,
                    extensions: new Dictionary<string, object?> { ["field"] = result.Field });
            default:
                return ApiProblems.NotFound("The lead");
        }
    }

    private static ILeadGrain Grain(LeadServices services, Caller caller, string leadId) =>
        services.Grains.GetGrain<ILeadGrain>(LeadKeys.GrainKey(caller.TenantId, leadId));

    private static bool OwnWorkOnly(Caller caller) => caller.Role == TenantRole.Sdr;

    private static string? SdrOf(Caller caller) => OwnWorkOnly(caller) ? caller.UserId ?? "" : null;

    private static LeadActor Actor(Caller caller) => new(caller.UserId, OwnWorkOnly(caller), caller.ApiKeyId);
}

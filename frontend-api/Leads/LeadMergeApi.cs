using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.FrontendApi.Platform.OpenApi;
using Flexoraa.Leads;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flexoraa.FrontendApi.Leads;

/// <summary>
/// <c>POST /api/v1/leads/{id}/merge</c>: two leads that are one person become one. The lead in the path stays with its
/// fields, fills its empty ones from the source and takes the source's tags, timeline and conversations; the source is
/// deleted, all in one transaction (see <c>LeadGrain.MergeFrom</c>). Both must be leads the caller may change.
/// </summary>
public static class LeadMergeApi
{
    public static RouteGroupBuilder MapLeadMergeApi(this RouteGroupBuilder api)
    {
        api.MapPost("/leads/{leadId}/merge", Merge).WithTags("Leads").RequirePermission(Permission.WorkLeads).WithName("MergeLeads")
            .WithRequestHeader(LeadsApi.IfMatchHeader, "Optional: merge only if the lead in the path is still at this ETag (412 otherwise).")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithSummary("Merge the lead sourceLeadId into this one: empty fields filled, tags united, timeline and conversations moved, the source deleted");
        return api;
    }

    private static async Task<Results<Ok<Lead>, ValidationProblem, ProblemHttpResult>> Merge(
        string leadId, MergeLeadRequest request, [AsParameters] LeadServices services, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (!await services.Leads.VisibleAsync(caller.TenantId, leadId, LeadsApi.SdrOf(caller), cancellationToken)) return ApiProblems.NotFound("The lead");
        if (request.SourceLeadId?.Trim() is not { Length: > 0 } source) return ApiProblems.Validation("sourceLeadId", "Name the lead to merge into this one.");
        var expected = LeadETags.Expected(http.Request.Headers.IfMatch, out _);
        var result = await LeadsApi.Grain(services, caller, leadId).MergeFrom(source, expected, LeadsApi.Actor(caller));
        if (result.Outcome == LeadChangeOutcome.Invalid) return ApiProblems.Validation(result.Field!, result.Error!);
        if (result.Outcome != LeadChangeOutcome.Changed) return LeadsApi.Problem(result, http);
        http.Response.Headers.ETag = LeadETags.Of(result.Lead!.Version);
        return TypedResults.Ok(result.Lead);
    }
}

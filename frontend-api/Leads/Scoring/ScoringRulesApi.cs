using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.FrontendApi.Platform.OpenApi;
using Flexoraa.Leads;
using Flexoraa.Leads.Scoring;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flexoraa.FrontendApi.Leads.Scoring;

/// <summary>
/// <c>/api/v1/scoring-rules</c>: the tenant's lead scoring rules through its <see cref="IScoringRulesGrain"/> (read by
/// everyone who reads leads, changed as a tenant setting), the preview of a change, and
/// <c>/api/v1/leads/{id}/score</c>, one lead's breakdown. A change answers at once; existing leads rescore behind it.
/// </summary>
public static class ScoringRulesApi
{
    public static RouteGroupBuilder MapScoringRulesApi(this RouteGroupBuilder api)
    {
        var rules = api.MapGroup("/scoring-rules").WithTags("Leads");
        rules.MapGet("/", Get).RequirePermission(Permission.ReadLeads).WithName("GetScoringRules")
            .WithSummary("The tenant's lead scoring rules and their version (the built-in rules at version 1 until the tenant saves its own)");
        rules.MapPut("/", Replace).RequirePermission(Permission.ManageTenantSettings).WithName("ReplaceScoringRules")
            .WithDescription("Replaces the rules as a whole and answers the saved rules at their next version. Leads rescore lazily: each on its next activation, and all of them in a background pass; the answer does not wait for it. A bad rule is a 400 whose error names its path, such as fit[2].value.")
            .WithSummary("Replace the scoring rules; existing leads rescore in the background");
        rules.MapPost("/preview", Preview).RequirePermission(Permission.ManageTenantSettings).WithName("PreviewScoringRules")
            .WithSummary("How many leads would change grade under the rules given, without saving them");
        api.MapGet("/leads/{leadId}/score", Score).RequirePermission(Permission.ReadLeads).WithName("GetLeadScore").WithTags("Leads")
            .WithSummary("The lead's score as of now: every rule that gave points, from which event and when, how much has decayed, group caps, total and grade");
        return api;
    }

    private static async Task<Ok<ScoringRules>> Get(IGrainFactory grains, HttpContext http) => TypedResults.Ok(await Grain(grains, http).Get());

    private static async Task<Results<Ok<ScoringRules>, ValidationProblem>> Replace(ScoringRules rules, IGrainFactory grains, HttpContext http)
    {
        var result = await Grain(grains, http).Replace(rules);
        return result.Rules is { } saved ? TypedResults.Ok(saved) : Invalid(result);
    }

    private static async Task<Results<Ok<ScoringRulesPreview>, ValidationProblem>> Preview(
        ScoringRules rules, IGrainFactory grains, ScoringRulesStore store, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var grain = Grain(grains, http);
        var result = await grain.Check(rules);
        if (result.Rules is not { } proposed) return Invalid(result);
        return TypedResults.Ok(await GradeChangePreview.ComputeAsync(store, http.Caller().TenantId, await grain.Get(), proposed, clock.GetUtcNow(), cancellationToken));
    }

    private static async Task<Results<Ok<LeadScoreBreakdown>, ProblemHttpResult>> Score(string leadId, [AsParameters] LeadServices services, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        var sdr = caller.Role == TenantRole.Sdr ? caller.UserId ?? "" : null;
        if (!await services.Leads.VisibleAsync(caller.TenantId, leadId, sdr, cancellationToken)) return ApiProblems.NotFound("The lead");
        var actor = new LeadActor(caller.UserId, sdr is not null, caller.ApiKeyId);
        return await services.Grains.GetGrain<ILeadGrain>(LeadKeys.GrainKey(caller.TenantId, leadId)).GetScore(actor) is { } breakdown
            ? TypedResults.Ok(breakdown)
            : ApiProblems.NotFound("The lead");
    }

    private static ValidationProblem Invalid(ScoringRulesChangeResult result) =>
        ApiProblems.Validation(result.Path is { Length: > 0 } path ? path : "rules", result.Error ?? "The rules are not valid.");

    /// <summary>The caller's own tenant's rules: the tenant always comes from the token.</summary>
    private static IScoringRulesGrain Grain(IGrainFactory grains, HttpContext http) => grains.GetGrain<IScoringRulesGrain>(http.Caller().TenantId);
}

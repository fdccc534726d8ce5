using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.Leads.Fields;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flexoraa.FrontendApi.Leads.Fields;

/// <summary>
/// <c>/api/v1/lead-fields</c>: the tenant's custom lead fields, through its <see cref="ILeadFieldsGrain"/>. Everyone who
/// reads leads reads them; defining them is a tenant setting (Owner and Admin). Once a tenant defines a field, a lead's
/// <c>customFields</c> only takes defined keys, each checked against its type.
/// </summary>
public static class LeadFieldsApi
{
    public static RouteGroupBuilder MapLeadFieldsApi(this RouteGroupBuilder api)
    {
        var fields = api.MapGroup("/lead-fields").WithTags("Leads");
        fields.MapGet("/", List).RequirePermission(Permission.ReadLeads).WithName("ListLeadFields")
            .WithSummary("The tenant's custom lead fields in order: key, label, type (text, number, date, boolean, singleSelect) and options");
        fields.MapPost("/", Create).RequirePermission(Permission.ManageTenantSettings).WithName("CreateLeadField")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Define a custom lead field; from then on leads take only defined keys in customFields (409 when the key is taken)");
        fields.MapGet("/{fieldId}", Get).RequirePermission(Permission.ReadLeads).WithName("GetLeadField").WithSummary("One custom lead field");
        fields.MapPatch("/{fieldId}", Update).RequirePermission(Permission.ManageTenantSettings).WithName("UpdateLeadField")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Change a field's label, position or options (409 when leads hold an option it removes); key and type stay");
        fields.MapDelete("/{fieldId}", Delete).RequirePermission(Permission.ManageTenantSettings).WithName("DeleteLeadField")
            .WithSummary("Remove a field's definition; values leads hold stay, and can be removed with null");
        return api;
    }

    private static async Task<Ok<CursorPage<LeadFieldDefinition>>> List(IGrainFactory grains, HttpContext http) =>
        TypedResults.Ok(new CursorPage<LeadFieldDefinition>(await Grain(grains, http).List(), null));

    private static async Task<Results<Ok<LeadFieldDefinition>, ProblemHttpResult>> Get(string fieldId, IGrainFactory grains, HttpContext http) =>
        (await Grain(grains, http).List()).FirstOrDefault(f => f.Key == fieldId) is { } field ? TypedResults.Ok(field) : ApiProblems.NotFound("The lead field");

    private static async Task<Results<Created<LeadFieldDefinition>, ValidationProblem, ProblemHttpResult>> Create(LeadFieldRequest request, IGrainFactory grains, HttpContext http)
    {
        var result = await Grain(grains, http).Create(request.ToDraft());
        return result.Outcome switch
        {
            LeadFieldChangeOutcome.Changed => TypedResults.Created($"/api/v1/lead-fields/{result.Definition!.Key}", result.Definition),
            LeadFieldChangeOutcome.Invalid => ApiProblems.Validation(result.Field!, result.Error!),
            _ => ApiProblems.Conflict(result.Error!),
        };
    }

    private static async Task<Results<Ok<LeadFieldDefinition>, ValidationProblem, ProblemHttpResult>> Update(string fieldId, LeadFieldRequest request, IGrainFactory grains, HttpContext http)
    {
        var result = await Grain(grains, http).Update(fieldId, request.ToDraft());
        return result.Outcome switch
        {
            LeadFieldChangeOutcome.Changed => TypedResults.Ok(result.Definition!),
            LeadFieldChangeOutcome.Invalid => ApiProblems.Validation(result.Field!, result.Error!),
            LeadFieldChangeOutcome.NotFound => ApiProblems.NotFound("The lead field"),
            _ => ApiProblems.Conflict(result.Error!),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string fieldId, IGrainFactory grains, HttpContext http) =>
        (await Grain(grains, http).Delete(fieldId)).Outcome == LeadFieldChangeOutcome.Changed ? TypedResults.NoContent() : ApiProblems.NotFound("The lead field");

    /// <summary>The caller's own tenant's fields, whatever the path says: another tenant's key is simply not found.</summary>
    private static ILeadFieldsGrain Grain(IGrainFactory grains, HttpContext http) => grains.GetGrain<ILeadFieldsGrain>(http.Caller().TenantId);
}

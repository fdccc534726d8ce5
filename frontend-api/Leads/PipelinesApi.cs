using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.Leads;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flexoraa.FrontendApi.Leads;

/// <summary>
/// <c>/api/v1/pipelines</c>: the tenant's sales pipelines and their stages, through its <see cref="IPipelinesGrain"/>.
/// Everyone who reads leads reads them; changing them is a tenant setting (Owner and Admin).
/// </summary>
public static class PipelinesApi
{
    public const int MaxPosition = 1000;

    public static RouteGroupBuilder MapPipelinesApi(this RouteGroupBuilder api)
    {
        var pipelines = api.MapGroup("/pipelines").WithTags("Leads");
        pipelines.MapGet("/", List).RequirePermission(Permission.ReadLeads).WithName("ListPipelines")
            .WithSummary("The tenant's pipelines in order; the first is where new leads start (default stages New, Contacted, Qualified, Proposal, Won, Lost)");
        pipelines.MapPost("/", Create).RequirePermission(Permission.ManageTenantSettings).WithName("CreatePipeline")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Add a pipeline; without stages it gets the default ones");
        pipelines.MapGet("/{pipelineId}", Get).RequirePermission(Permission.ReadLeads).WithName("GetPipeline").WithSummary("One pipeline and its stages");
        pipelines.MapPatch("/{pipelineId}", Update).RequirePermission(Permission.ManageTenantSettings).WithName("UpdatePipeline")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Rename a pipeline, move it, or rename, reorder, add and remove its stages (409 when removing a stage that has leads)");
        pipelines.MapDelete("/{pipelineId}", Delete).RequirePermission(Permission.ManageTenantSettings).WithName("DeletePipeline")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Delete a pipeline without leads; the tenant keeps at least one");
        return api;
    }

    private static async Task<Ok<CursorPage<Pipeline>>> List(IGrainFactory grains, HttpContext http) =>
        TypedResults.Ok(new CursorPage<Pipeline>(await Grain(grains, http).List(), null));

    private static async Task<Results<Ok<Pipeline>, ProblemHttpResult>> Get(string pipelineId, IGrainFactory grains, HttpContext http) =>
        (await Grain(grains, http).List()).FirstOrDefault(p => p.Id == pipelineId) is { } pipeline ? TypedResults.Ok(pipeline) : ApiProblems.NotFound("The pipeline");

    private static async Task<Results<Created<Pipeline>, ValidationProblem, ProblemHttpResult>> Create(PipelineRequest request, IGrainFactory grains, HttpContext http)
    {
        if (Check(request) is { } invalid) return invalid;
        var result = await Grain(grains, http).Create(request.ToDraft());
        return result.Outcome switch
        {
            PipelineChangeOutcome.Changed => TypedResults.Created($"/api/v1/pipelines/{result.Pipeline!.Id}", result.Pipeline),
            PipelineChangeOutcome.Invalid => ApiProblems.Validation(result.Field!, result.Error!),
            _ => ApiProblems.Conflict(result.Error!),
        };
    }

    private static async Task<Results<Ok<Pipeline>, ValidationProblem, ProblemHttpResult>> Update(string pipelineId, PipelineRequest request, IGrainFactory grains, HttpContext http)
    {
        var grain = Grain(grains, http);
        // Existence first, so an unknown id is a 404 whatever the body says.
        if (!(await grain.List()).Any(p => p.Id == pipelineId)) return ApiProblems.NotFound("The pipeline");
        if (Check(request) is { } invalid) return invalid;
        var result = await grain.Update(pipelineId, request.ToDraft());
        return result.Outcome switch
        {
            PipelineChangeOutcome.Changed => TypedResults.Ok(result.Pipeline!),
            PipelineChangeOutcome.Invalid => ApiProblems.Validation(result.Field!, result.Error!),
            PipelineChangeOutcome.NotFound => ApiProblems.NotFound("The pipeline"),
            _ => ApiProblems.Conflict(result.Error!),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string pipelineId, IGrainFactory grains, HttpContext http)
    {
        var result = await Grain(grains, http).Delete(pipelineId);
        return result.Outcome switch
        {
            PipelineChangeOutcome.Changed => TypedResults.NoContent(),
            PipelineChangeOutcome.NotFound => ApiProblems.NotFound("The pipeline"),
            _ => ApiProblems.Conflict(result.Error!),
        };
    }

    private static ValidationProblem? Check(PipelineRequest request)
    {
        if (request.Position is < 0 or > MaxPosition) return ApiProblems.Validation("position", $"'position' is 0 to {MaxPosition}.");
        if (request.Stages is { } stages)
        {
            for (var i = 0; i < stages.Length; i++)
            {
                if (stages[i]?.Id is { Length: > 40 }) return ApiProblems.Validation($"stages[{i}].id", "A stage id is at most 40 characters.");
            }
        }
        return null;
    }

    /// <summary>The caller's own tenant's pipelines, whatever the path says: another tenant's pipeline id is simply not found.</summary>
    private static IPipelinesGrain Grain(IGrainFactory grains, HttpContext http) => grains.GetGrain<IPipelinesGrain>(http.Caller().TenantId);
}

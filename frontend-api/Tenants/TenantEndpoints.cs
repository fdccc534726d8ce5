using Flexoraa.FrontendApi.Platform;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flexoraa.FrontendApi.Tenants;

/// <summary><c>/api/v1/tenants</c>: create, read and update a tenant's profile and settings.</summary>
public static class TenantEndpoints
{
    public static RouteGroupBuilder MapTenantEndpoints(this RouteGroupBuilder api)
    {
        var tenants = api.MapGroup("/tenants").WithTags("Tenants");
        tenants.MapPost("/", Create).WithName("CreateTenant").WithSummary("Create a tenant");
        tenants.MapGet("/{tenantId}", Get).WithName("GetTenant").WithSummary("Read a tenant's profile, settings and plan");
        tenants.MapPatch("/{tenantId}", Update).WithName("UpdateTenant").WithSummary("Change a tenant's profile or settings; absent fields stay as they are");
        return api;
    }

    private static async Task<Results<Created<TenantSnapshot>, ValidationProblem>> Create(CreateTenantRequest request, IGrainFactory grains)
    {
        var profile = request.ToProfile();
        var errors = TenantValidation.Validate(profile);
        if (errors.Count > 0) return ApiProblems.Validation(errors);

        // A fresh random id cannot collide in practice; the grain still refuses to overwrite, and a retry draws again.
        while (true)
        {
            var id = TenantIds.New();
            if (await grains.GetGrain<ITenantGrain>(id).Create(profile) is { } created)
            {
                return TypedResults.Created($"/api/v1/tenants/{id}", created);
            }
        }
    }

    private static async Task<Results<Ok<TenantSnapshot>, ProblemHttpResult>> Get(string tenantId, IGrainFactory grains)
    {
        if (!TenantIds.IsWellFormed(tenantId)) return ApiProblems.NotFound("The tenant");
        return await grains.GetGrain<ITenantGrain>(tenantId).Get() is { } tenant
            ? TypedResults.Ok(tenant)
            : ApiProblems.NotFound("The tenant");
    }

    private static async Task<Results<Ok<TenantSnapshot>, ValidationProblem, ProblemHttpResult>> Update(string tenantId, TenantChanges changes, IGrainFactory grains)
    {
        if (!TenantIds.IsWellFormed(tenantId)) return ApiProblems.NotFound("The tenant");
        var errors = TenantValidation.Validate(changes);
        if (errors.Count > 0) return ApiProblems.Validation(errors);
        return await grains.GetGrain<ITenantGrain>(tenantId).Update(changes) is { } tenant
            ? TypedResults.Ok(tenant)
            : ApiProblems.NotFound("The tenant");
    }
}

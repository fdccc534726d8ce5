using Flexoraa.FrontendApi.Accounts;
using Flexoraa.FrontendApi.Audit;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flexoraa.FrontendApi.Tenants;

/// <summary><c>/api/v1/tenants</c>: create another tenant, and read or update the caller's own.</summary>
public static class TenantEndpoints
{
    public static RouteGroupBuilder MapTenantEndpoints(this RouteGroupBuilder api)
    {
        var tenants = api.MapGroup("/tenants").WithTags("Tenants");
        tenants.MapPost("/", Create).WithName("CreateTenant").WithSummary("Create another tenant; the signed-in user becomes its Owner");
        tenants.MapGet("/{tenantId}", Get).RequirePermission(Permission.ReadTenant).WithName("GetTenant").WithSummary("Read a tenant's profile, settings and plan");
        tenants.MapPatch("/{tenantId}", Update).RequirePermission(Permission.ManageTenantSettings).WithName("UpdateTenant")
            .WithSummary("Change a tenant's profile or settings; absent fields stay as they are");
        return api;
    }

    private static async Task<Results<Created<TenantSnapshot>, ValidationProblem, ProblemHttpResult>> Create(
        CreateTenantRequest request, IGrainFactory grains, UserAccounts users, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (caller.UserId is null || await users.FindByIdAsync(caller.UserId, cancellationToken) is not { } user)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Users only", detail: "Only a signed-in user can create a tenant.");
        }
        var profile = request.ToProfile();
        var errors = TenantValidation.Validate(profile);
        if (errors.Count > 0) return ApiProblems.Validation(errors);

        var owner = new TenantMember(user.Id, user.Email, user.DisplayName, TenantRole.Owner, clock.GetUtcNow());
        // A fresh random id cannot collide in practice; the grain still refuses to overwrite, and a retry draws again.
        while (true)
        {
            var id = TenantIds.New();
            if (await grains.GetGrain<ITenantGrain>(id).Create(profile, owner) is { } created)
            {
                return TypedResults.Created($"/api/v1/tenants/{id}", created);
            }
        }
    }

    private static async Task<Results<Ok<TenantSnapshot>, ProblemHttpResult>> Get(string tenantId, IGrainFactory grains, HttpContext http)
    {
        if (tenantId != http.Caller().TenantId) return ApiProblems.NotFound("The tenant");
        return await grains.GetGrain<ITenantGrain>(tenantId).Get() is { } tenant
            ? TypedResults.Ok(tenant)
            : ApiProblems.NotFound("The tenant");
    }

    private static async Task<Results<Ok<TenantSnapshot>, ValidationProblem, ProblemHttpResult>> Update(
        string tenantId, TenantChanges changes, IGrainFactory grains, AuditTrail audit, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (tenantId != caller.TenantId) return ApiProblems.NotFound("The tenant");
        var errors = TenantValidation.Validate(changes);
        if (errors.Count > 0) return ApiProblems.Validation(errors);
        if (await grains.GetGrain<ITenantGrain>(tenantId).Update(changes) is not { } tenant) return ApiProblems.NotFound("The tenant");

        var changed = typeof(TenantChanges).GetProperties().Where(p => p.GetValue(changes) is not null).Select(p => p.Name);
        await audit.RecordAsync(tenantId, new AuditEntry(AuditActions.SettingsChanged, caller.UserId, caller.ApiKeyId, "tenant", tenantId, http.ClientIp(),
            new Dictionary<string, string?> { ["fields"] = string.Join(",", changed) }), cancellationToken);
        return TypedResults.Ok(tenant);
    }
}

using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flexoraa.FrontendApi.ApiKeys;

/// <summary>
/// <c>/api/v1/tenants/{tenantId}/api-keys</c>: keys for server-to-server callers, sent as <c>X-Api-Key</c> (or
/// <c>Authorization: Bearer fxk_…</c>). A key acts with the role it was given, which may not exceed its creator's.
/// </summary>
public static class ApiKeyEndpoints
{
    public const int MaxNameLength = 120;

    public static RouteGroupBuilder MapApiKeyEndpoints(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/tenants/{tenantId}/api-keys").WithTags("API keys").RequirePermission(Permission.ManageApiKeys);
        keys.MapPost("/", Create).WithName("CreateApiKey").WithSummary("Create an API key with a role; the key is in this answer only, so store it now");
        keys.MapGet("/", List).WithName("ListApiKeys").WithSummary("List the tenant's API keys, newest first (never the keys themselves)");
        keys.MapGet("/{apiKeyId}", Get).WithName("GetApiKey").WithSummary("Read one API key's name, role, prefix and last use");
        keys.MapDelete("/{apiKeyId}", Revoke).WithName("RevokeApiKey").WithSummary("Revoke an API key; it stops working on the next request");
        return api;
    }

    private static async Task<Results<Created<CreatedApiKey>, ValidationProblem, ProblemHttpResult>> Create(
        string tenantId, CreateApiKeyRequest request, TenantApiKeys keys, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (tenantId != caller.TenantId) return ApiProblems.NotFound("The tenant");

        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors["name"] = ["A name is required, so people can tell keys apart."];
        else if (name.Length > MaxNameLength) errors["name"] = [$"The name is at most {MaxNameLength} characters."];
        if (!TryParseRole(request.Role, out var role)) errors["role"] = ["The role must be one of owner, admin, sdr, member."];
        if (errors.Count > 0) return ApiProblems.Validation(errors);

        if (role > caller.Role)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Role too high",
                detail: $"A {TenantApiKeys.RoleName(caller.Role)} cannot create a key with the {TenantApiKeys.RoleName(role)} role.");
        }

        var created = await keys.CreateAsync(caller, name!, role, http.ClientIp(), cancellationToken);
        return TypedResults.Created($"/api/v1/tenants/{tenantId}/api-keys/{created.Id}", created);
    }

    private static async Task<Results<Ok<CursorPage<ApiKeyView>>, ValidationProblem, ProblemHttpResult>> List(
        string tenantId, string? cursor, int? limit, CursorCodec cursors, TenantApiKeys keys, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (tenantId != caller.TenantId) return ApiProblems.NotFound("The tenant");
        if (!PageRequest<ApiKeyCursor>.TryParse(cursor, limit, cursors, out var page, out var error)) return ApiProblems.Validation(error.Field, error.Message);
        return TypedResults.Ok(await keys.ListAsync(caller.TenantId, page, cancellationToken));
    }

    private static async Task<Results<Ok<ApiKeyView>, ProblemHttpResult>> Get(
        string tenantId, string apiKeyId, TenantApiKeys keys, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (tenantId != caller.TenantId) return ApiProblems.NotFound("The API key");
        return await keys.FindAsync(caller.TenantId, apiKeyId, cancellationToken) is { } key ? TypedResults.Ok(key) : ApiProblems.NotFound("The API key");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Revoke(
        string tenantId, string apiKeyId, TenantApiKeys keys, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (tenantId != caller.TenantId) return ApiProblems.NotFound("The API key");
        return await keys.RevokeAsync(caller, apiKeyId, http.ClientIp(), cancellationToken) switch
        {
            ApiKeyRevocation.NotFound => ApiProblems.NotFound("The API key"),
            ApiKeyRevocation.OutranksCaller => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Role too high",
                detail: "This key has a higher role than yours; only someone with that role can revoke it."),
            _ => TypedResults.NoContent(),
        };
    }

    private static bool TryParseRole(string? value, out TenantRole role)
    {
        var parsed = TenantRoleNames.TryParse(value, out var named);
        role = named ?? default;
        return parsed;
    }
}

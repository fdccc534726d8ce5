using System.ComponentModel;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flexoraa.FrontendApi.Audit;

/// <summary><c>GET /api/v1/audit</c>: the caller's tenant's audit log for Owners and Admins, filtered and paged by cursor.</summary>
public static class AuditEndpoints
{
    public static RouteGroupBuilder MapAuditEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", List).RequirePermission(Permission.ReadAuditLog).WithTags("Audit").WithName("ListAuditLog")
            .WithSummary("The tenant's audit log, newest first; filter by action, actorUserId, targetType, targetId and an ISO 8601 from/to range");
        return api;
    }

    private static async Task<Results<Ok<CursorPage<AuditLogItem>>, ValidationProblem>> List(
        [Description("Only entries of this action (see AuditActions; an unknown one is a 400).")] string? action,
        [Description("Only entries by this user.")] string? actorUserId,
        [Description("Only entries about this kind of target (user, conversation, channel...).")] string? targetType,
        [Description("Only entries about this target id.")] string? targetId,
        [Description("Entries at or after this ISO 8601 time (UTC when no offset is given).")] string? from,
        [Description("Entries before this ISO 8601 time (exclusive).")] string? to, string? cursor, int? limit, CursorCodec cursors,
        AuditLog log, HttpContext http, CancellationToken cancellationToken)
    {
        if (!AuditFilter.TryParse(action, actorUserId, targetType, targetId, from, to, out var filter, out var errors))
        {
            return ApiProblems.Validation(errors);
        }
        if (!PageRequest<AuditCursor>.TryParse(cursor, limit, cursors, out var page, out var error)) return ApiProblems.Validation(error.Field, error.Message);
        return TypedResults.Ok(await log.QueryAsync(http.Caller().TenantId, filter, page, cancellationToken));
    }
}

using Flexoraa.FrontendApi.Accounts;
using Flexoraa.FrontendApi.ApiKeys;
using Flexoraa.FrontendApi.Audit;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.ReadModels;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flexoraa.FrontendApi.Team;

/// <summary>
/// <c>/api/v1/tenants/{tenantId}/members</c> and ownership transfer. The tenant is the caller's: any other id in the path
/// is answered 404, so a probe cannot tell another tenant from none. <c>TenantGrain</c> is the source of truth for
/// members and refuses to leave a tenant without an Owner; this layer adds who may touch the Owner role.
/// </summary>
public static class TeamEndpoints
{
    public static RouteGroupBuilder MapTeamEndpoints(this RouteGroupBuilder api)
    {
        var team = api.MapGroup("/tenants/{tenantId}").WithTags("Team")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        team.MapGet("/members", ListMembers).RequirePermission(Permission.ReadMembers).WithName("ListMembers")
            .WithSummary("The tenant's members with their roles, oldest first");
        team.MapPatch("/members/{userId}", ChangeRole).RequirePermission(Permission.ManageMembers).WithName("ChangeMemberRole").ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Change a member's role; only an Owner grants or takes away Owner, and the last Owner stays");
        team.MapDelete("/members/{userId}", RemoveMember).RequirePermission(Permission.ManageMembers).WithName("RemoveMember").ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Remove a member: their sessions here end and their next request is refused");
        team.MapPost("/ownership-transfer", TransferOwnership).RequirePermission(Permission.TransferOwnership).WithName("TransferOwnership")
            .WithSummary("Make another member Owner; the calling Owner becomes Admin");
        api.MapInvitationEndpoints();
        return api;
    }

    private static async Task<Results<Ok<CursorPage<MemberView>>, ValidationProblem, ProblemHttpResult>> ListMembers(
        string tenantId, string? cursor, int? limit, CursorCodec cursors, IGrainFactory grains, HttpContext http)
    {
        if (tenantId != http.Caller().TenantId) return ApiProblems.NotFound("The tenant");
        if (!PageRequest<MemberCursor>.TryParse(cursor, limit, cursors, out var page, out var error)) return ApiProblems.Validation(error.Field, error.Message);

        var members = await grains.GetGrain<ITenantGrain>(tenantId).Members();
        var after = page.After;
        var fetched = members
            .Where(m => after is null || m.JoinedAt > after.JoinedAt || (m.JoinedAt == after.JoinedAt && string.CompareOrdinal(m.UserId, after.UserId) > 0))
            .Take(page.Limit + 1)
            .Select(MemberView.From)
            .ToList();
        return TypedResults.Ok(page.ToPage(fetched, m => new MemberCursor(m.JoinedAt, m.UserId)));
    }

    private static async Task<Results<Ok<MemberView>, ValidationProblem, ProblemHttpResult>> ChangeRole(
        string tenantId, string userId, ChangeRoleRequest request, IGrainFactory grains, AuditTrail audit, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (tenantId != caller.TenantId) return ApiProblems.NotFound("The tenant");
        if (!TeamRoles.TryParse(request.Role, out var role)) return ApiProblems.Validation("role", $"The role must be {TeamRoles.Choices}.");

        var tenant = grains.GetGrain<ITenantGrain>(tenantId);
        if (await tenant.GetMember(userId) is not { } member) return ApiProblems.NotFound("That member");
        if ((member.Role == TenantRole.Owner || role == TenantRole.Owner) && member.Role != role && caller.Role != TenantRole.Owner)
        {
            return TeamProblems.OwnerRoleNeedsOwner();
        }

        switch (await tenant.ChangeRole(userId, role.Value))
        {
            case MembershipOutcome.Done:
                break;
            case MembershipOutcome.LastOwner:
                return TeamProblems.LastOwner(member);
            default:
                return ApiProblems.NotFound("That member");
        }

        if (member.Role != role)
        {
            await audit.RecordAsync(tenantId, new AuditEntry(AuditActions.RoleChanged, caller.UserId, caller.ApiKeyId, "user", userId, http.ClientIp(),
                new Dictionary<string, string?> { ["oldRole"] = TeamRoles.Name(member.Role), ["newRole"] = TeamRoles.Name(role.Value) }), cancellationToken);
        }
        return TypedResults.Ok(MemberView.From(await tenant.GetMember(userId) ?? member with { Role = role.Value }));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveMember(
        string tenantId, string userId, IGrainFactory grains, TenantDatabase database, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (tenantId != caller.TenantId) return ApiProblems.NotFound("The tenant");

        var tenant = grains.GetGrain<ITenantGrain>(tenantId);
        if (await tenant.GetMember(userId) is not { } member) return ApiProblems.NotFound("That member");
        if (member.Role == TenantRole.Owner && caller.Role != TenantRole.Owner) return TeamProblems.OwnerRoleNeedsOwner();

        switch (await tenant.RemoveMember(userId))
        {
            case MembershipOutcome.Done:
                break;
            case MembershipOutcome.LastOwner:
                return TeamProblems.LastOwner(member);
            default:
                return ApiProblems.NotFound("That member");
        }

        // The grain already refuses their access token and their API keys on the next request; ending their refresh
        // tokens and keys here stops them from minting new sessions and shows the keys as revoked. Refresh and API-key
        // authentication also re-check membership, so a failure below cannot let them back in.
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await RefreshTokens.RevokeUserAsync(session, userId, "member_removed", cancellationToken);
        await TenantApiKeys.RevokeOwnedByAsync(session, userId, caller, http.ClientIp(), "member_removed", clock.GetUtcNow(), cancellationToken);
        await AuditTrail.RecordAsync(session, new AuditEntry(AuditActions.MemberRemoved, caller.UserId, caller.ApiKeyId, "user", userId, http.ClientIp(),
            new Dictionary<string, string?> { ["email"] = member.Email, ["role"] = TeamRoles.Name(member.Role) }), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> TransferOwnership(
        string tenantId, TransferOwnershipRequest request, IGrainFactory grains, AuditTrail audit, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (tenantId != caller.TenantId) return ApiProblems.NotFound("The tenant");
        if (caller.UserId is null) return TeamProblems.Forbidden("An API key has no role to hand over; an Owner signed in as a user transfers ownership.");
        if (string.IsNullOrWhiteSpace(request.UserId)) return ApiProblems.Validation("userId", "The id of the member who becomes Owner is required.");
        if (request.UserId == caller.UserId) return ApiProblems.Validation("userId", "You are already an Owner; name another member.");

        var tenant = grains.GetGrain<ITenantGrain>(tenantId);
        if (await tenant.GetMember(request.UserId) is not { } target) return ApiProblems.NotFound("That member");

        // Promoting before demoting means the tenant has an Owner at every moment, even if the second step fails.
        if (await tenant.ChangeRole(target.UserId, TenantRole.Owner) != MembershipOutcome.Done) return ApiProblems.NotFound("That member");
        await tenant.ChangeRole(caller.UserId, TenantRole.Admin);

        await audit.RecordAsync(tenantId, new AuditEntry(AuditActions.OwnershipTransferred, caller.UserId, null, "user", target.UserId, http.ClientIp(),
            new Dictionary<string, string?>
            {
                ["fromUserId"] = caller.UserId,
                ["toUserId"] = target.UserId,
                ["toPreviousRole"] = TeamRoles.Name(target.Role),
                ["fromNewRole"] = TeamRoles.Name(TenantRole.Admin),
            }), cancellationToken);
        return TypedResults.NoContent();
    }
}

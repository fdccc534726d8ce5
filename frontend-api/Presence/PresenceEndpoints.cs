using System.Text.Json;
using Flexoraa.Assignment;
using Flexoraa.FrontendApi.Audit;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.Presence;
using Flexoraa.Realtime;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flexoraa.FrontendApi.Presence;

/// <summary>
/// <c>GET /api/v1/presence</c> (who is online, and their load), <c>GET /api/v1/auto-assignment</c> (rotation and queue)
/// and <c>PUT /api/v1/tenants/{tenantId}/members/{userId}/capacity</c> (an agent's own cap).
/// </summary>
public static class PresenceEndpoints
{
    public static RouteGroupBuilder MapPresenceEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/presence", ListPresence).RequirePermission(Permission.ReadMembers).WithTags("Presence").WithName("ListPresence")
            .WithSummary("Every member with presence (online, away, offline), open + pending conversations assigned and capacity; not paginated");
        api.MapGet("/auto-assignment", GetAutoAssignment).RequirePermission(Permission.ReadConversations).WithTags("Presence").WithName("GetAutoAssignment")
            .WithSummary("Auto-assignment settings, the rotation (next agent first) and the conversations waiting for an agent (oldest first)");
        api.MapPut("/tenants/{tenantId}/members/{userId}/capacity", SetCapacity).RequirePermission(Permission.ManageMembers).WithTags("Team")
            .WithName("SetMemberCapacity").ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Set how many open + pending conversations auto-assignment gives this member (0 = none); null goes back to the tenant's default");
        return api;
    }

    private static async Task<Ok<ItemsView<AgentPresenceView>>> ListPresence(IGrainFactory grains, HttpContext http)
    {
        var tenantId = http.Caller().TenantId;
        var membersTask = grains.GetGrain<ITenantGrain>(tenantId).Members();
        var presenceTask = grains.GetGrain<IAgentPresenceGrain>(tenantId).List();
        var workloadTask = grains.GetGrain<IAutoAssignmentGrain>(tenantId).Snapshot();
        var (members, presence, workload) = (await membersTask, await presenceTask, await workloadTask);

        var presenceOf = presence.ToDictionary(p => p.UserId, StringComparer.Ordinal);
        var workloadOf = workload.Agents.ToDictionary(a => a.UserId, StringComparer.Ordinal);
        var items = members.Select(m =>
        {
            var entry = presenceOf.GetValueOrDefault(m.UserId);
            var load = workloadOf.GetValueOrDefault(m.UserId);
            var assigned = load?.Assigned ?? 0;
            var capacity = load?.Capacity ?? workload.Settings.DefaultCapacity;
            var state = entry?.Presence ?? AgentPresence.Offline;
            var assignable = workload.Settings.Enabled && (load?.Eligible ?? false) && state == AgentPresence.Online && assigned < capacity;
            return new AgentPresenceView(m.UserId, m.DisplayName, m.Role, state, entry?.Since, assigned, capacity, load?.CapacityOverride, assignable);
        }).ToList();
        return TypedResults.Ok(new ItemsView<AgentPresenceView>(items));
    }

    private static async Task<Ok<AutoAssignmentView>> GetAutoAssignment(IGrainFactory grains, HttpContext http)
    {
        var snapshot = await grains.GetGrain<IAutoAssignmentGrain>(http.Caller().TenantId).Snapshot();
        return TypedResults.Ok(new AutoAssignmentView(snapshot.Settings, [.. snapshot.Agents.Where(a => a.Eligible).Select(a => a.UserId)], snapshot.Queue));
    }

    private static async Task<Results<Ok<MemberCapacityView>, ValidationProblem, ProblemHttpResult>> SetCapacity(
        string tenantId, string userId, JsonElement body, IGrainFactory grains, AuditTrail audit, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (tenantId != caller.TenantId) return ApiProblems.NotFound("The tenant");
        if (await grains.GetGrain<ITenantGrain>(tenantId).GetMember(userId) is null) return ApiProblems.NotFound("That member");
        if (!TryReadCapacity(body, out var capacity)) return ApiProblems.Validation("capacity", $"'capacity' is required: a whole number from 0 to {AutoAssignmentSettings.MaxCapacity}, or null for the tenant's default.");

        var assignment = grains.GetGrain<IAutoAssignmentGrain>(tenantId);
        await assignment.SetCapacity(userId, capacity);
        await audit.RecordAsync(tenantId, new AuditEntry(AuditActions.CapacityChanged, caller.UserId, caller.ApiKeyId, "user", userId, http.ClientIp(),
            new Dictionary<string, string?> { ["capacity"] = capacity?.ToString(System.Globalization.CultureInfo.InvariantCulture) }), cancellationToken);
        var snapshot = await assignment.Snapshot();
        var effective = snapshot.Agents.FirstOrDefault(a => a.UserId == userId)?.Capacity ?? capacity ?? snapshot.Settings.DefaultCapacity;
        return TypedResults.Ok(new MemberCapacityView(userId, capacity, effective));
    }

    private static bool TryReadCapacity(JsonElement body, out int? capacity)
    {
        capacity = null;
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("capacity", out var value)) return false;
        if (value.ValueKind == JsonValueKind.Null) return true;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var n) || n is < 0 or > AutoAssignmentSettings.MaxCapacity) return false;
        capacity = n;
        return true;
    }
}

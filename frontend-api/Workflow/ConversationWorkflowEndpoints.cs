using System.Text.Json;
using Flexoraa.Conversations;
using Flexoraa.FrontendApi.Audit;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Inbox;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.ReadModels;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flexoraa.FrontendApi.Workflow;

/// <summary>
/// The inbox's write side: status (with snooze), assignment and tags in one PATCH, and mark-read. The conversation grain
/// enforces the rules (including the SDR's "own or unassigned" one) so they hold under concurrent requests.
/// </summary>
public static class ConversationWorkflowEndpoints
{
    public static RouteGroupBuilder MapConversationWorkflowEndpoints(this RouteGroupBuilder api)
    {
        var conversations = api.MapGroup("/conversations").WithTags("Inbox");
        conversations.MapPatch("/{conversationId}", Patch).RequirePermission(Permission.WorkConversations).WithName("UpdateConversation")
            .WithSummary("Changes status (snoozed needs snoozeUntil), assigneeUserId (null unassigns) and/or tags; SDRs only their own or unassigned conversations");
        conversations.MapPost("/{conversationId}/read", MarkRead).RequirePermission(Permission.WorkConversations).WithName("MarkConversationRead")
            .WithSummary("Sets the conversation's unread count to zero");
        return api;
    }

    private static async Task<Results<Ok<ConversationWorkflowView>, ValidationProblem, ProblemHttpResult>> Patch(
        string conversationId, JsonElement body, TenantDatabase database, IGrainFactory grains, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (!await ExistsAsync(database, caller.TenantId, conversationId, cancellationToken)) return ApiProblems.NotFound("The conversation");
        if (!ConversationPatch.TryParse(body, clock.GetUtcNow(), out var patch, out var errors)) return ApiProblems.Validation(errors);

        var grain = Grain(grains, caller, conversationId);
        var actor = Actor(caller);
        // The "before" of the audit entries; a concurrent change between this read and ours only blurs the "from".
        var changes = new ConversationWorkflowAudit(caller, conversationId, http.ClientIp(), await grain.Workflow());
        var result = await ApplyAsync(conversationId, grain, actor, patch, changes);
        // What did apply is audited even when a later part of the patch was refused, and even when the client has gone:
        // the grain already made the change.
        if (changes.Entries.Count > 0)
        {
            await using var session = await database.BeginAsync(caller.TenantId, CancellationToken.None);
            foreach (var entry in changes.Entries) await AuditTrail.RecordAsync(session, entry, CancellationToken.None);
            await session.CommitAsync(CancellationToken.None);
        }
        return result;
    }

    private static async Task<Results<Ok<ConversationWorkflowView>, ValidationProblem, ProblemHttpResult>> ApplyAsync(
        string conversationId, IConversationGrain grain, ConversationActor actor, ConversationPatch patch, ConversationWorkflowAudit changes)
    {
        ConversationChangeResult? last = null;
        // Assignment first: it is the change most likely to be refused (membership, the SDR rule), and it is refused
        // before the others apply.
        if (patch.SetsAssignee)
        {
            if (Failed(last = await grain.Assign(new AssignConversation(patch.AssigneeUserId, actor)), out var failure)) return failure;
            changes.Assigned(last.Workflow!);
        }
        if (patch.Status is { } status)
        {
            if (Failed(last = await grain.SetStatus(new SetConversationStatus(status, patch.SnoozeUntil, actor)), out var failure)) return failure;
            changes.StatusSet(last.Workflow!);
        }
        if (patch.Tags is { } tags)
        {
            if (Failed(last = await grain.SetTags(new SetConversationTags(tags, actor)), out var failure)) return failure;
            changes.TagsSet(last.Workflow!);
        }
        return TypedResults.Ok(ConversationWorkflowView.Of(conversationId, last!.Workflow!));
    }

    private static async Task<Results<Ok<ConversationWorkflowView>, ValidationProblem, ProblemHttpResult>> MarkRead(
        string conversationId, TenantDatabase database, IGrainFactory grains, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (!await ExistsAsync(database, caller.TenantId, conversationId, cancellationToken)) return ApiProblems.NotFound("The conversation");
        var result = await Grain(grains, caller, conversationId).MarkRead(Actor(caller));
        return Failed(result, out var failure) ? failure : TypedResults.Ok(ConversationWorkflowView.Of(conversationId, result.Workflow!));
    }

    /// <summary>
    /// Looked up under the caller's tenant (row-level security) before any grain is touched, so another tenant's id is
    /// a 404 and never activates a grain.
    /// </summary>
    private static async Task<bool> ExistsAsync(TenantDatabase database, string tenantId, string conversationId, CancellationToken cancellationToken)
    {
        if (!ConversationIds.IsWellFormed(conversationId)) return false;
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await using var command = session.Command("SELECT 1 FROM conversations WHERE tenant_id = @tenant AND id = @id");
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("id", conversationId);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static IConversationGrain Grain(IGrainFactory grains, Caller caller, string conversationId) =>
        grains.GetGrain<IConversationGrain>(ConversationKeys.GrainKey(caller.TenantId, conversationId));

    private static ConversationActor Actor(Caller caller) => new(caller.UserId, OwnWorkOnly: caller.Role == TenantRole.Sdr);

    private static bool Failed(ConversationChangeResult result, out Results<Ok<ConversationWorkflowView>, ValidationProblem, ProblemHttpResult> failure)
    {
        failure = result.Outcome switch
        {
            ConversationChangeOutcome.NotFound => ApiProblems.NotFound("The conversation"),
            ConversationChangeOutcome.Forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: result.Error),
            ConversationChangeOutcome.Invalid => ApiProblems.Validation(result.Field!, result.Error!),
            _ => null!,
        };
        return result.Outcome != ConversationChangeOutcome.Changed;
    }
}

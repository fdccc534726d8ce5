using System.Text.Json;
using Flexoraa.Conversations;
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

        // One grain call: the whole patch and its audit entries commit together or not at all, whoever else is changing
        // the conversation, and the grain computes the entries' "before" inside the same turn.
        var result = await Grain(grains, caller, conversationId).Apply(new ConversationChange(
            Actor(caller), patch.Status, patch.SnoozeUntil, patch.SetsAssignee, patch.AssigneeUserId, patch.Tags,
            Origin: new ConversationChangeOrigin(caller.ApiKeyId, http.ClientIp())));
        return Failed(result, out var failure) ? failure : TypedResults.Ok(ConversationWorkflowView.Of(conversationId, result.Workflow!));
    }

    private static async Task<Results<Ok<ConversationWorkflowView>, ValidationProblem, ProblemHttpResult>> MarkRead(
        string conversationId, TenantDatabase database, IGrainFactory grains, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (!await ExistsAsync(database, caller.TenantId, conversationId, cancellationToken)) return ApiProblems.NotFound("The conversation");
        var result = await Grain(grains, caller, conversationId).Apply(new ConversationChange(Actor(caller), MarkRead: true));
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

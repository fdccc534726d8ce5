using Flexoraa.Conversations;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Inbox;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.ReadModels;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flexoraa.FrontendApi.Workflow;

/// <summary>
/// Private notes: written by agents into a conversation's timeline for each other, never sent to the customer.
/// They are stored as messages with direction <c>note</c>, so they appear in the conversation's history and in search,
/// but they do not move the conversation's preview, unread count or service window.
/// </summary>
public static class ConversationNoteEndpoints
{
    public const int MaxNoteLength = 4000;

    public static RouteGroupBuilder MapConversationNoteEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/conversations/{conversationId}/notes", AddNote).RequirePermission(Permission.WorkConversations)
            .WithTags("Inbox").WithSummary("Add a private note to a conversation (never sent to the customer)");
        return api;
    }

    private static async Task<Results<Created<ConversationNoteView>, ValidationProblem, ProblemHttpResult>> AddNote(
        string conversationId, AddNoteRequest request, TenantDatabase database, IGrainFactory grains, HttpContext http,
        CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (!ConversationIds.IsWellFormed(conversationId)) return ApiProblems.NotFound("The conversation");

        // Existence first, so another tenant's id is a 404 whatever the body says.
        if (!await ExistsAsync(database, caller.TenantId, conversationId, cancellationToken)) return ApiProblems.NotFound("The conversation");
        if (string.IsNullOrWhiteSpace(request.Body)) return ApiProblems.Validation("body", "The note needs some text.");
        if (request.Body.Length > MaxNoteLength) return ApiProblems.Validation("body", $"A note is at most {MaxNoteLength} characters.");

        // The grain checks the SDR rule and stores the note with its audit entry in one turn and one transaction, as for
        // every other conversation write.
        var body = request.Body.Trim();
        var result = await grains.GetGrain<IConversationGrain>(ConversationKeys.GrainKey(caller.TenantId, conversationId))
            .AddNote(new AddConversationNote(body, new ConversationActor(caller.UserId, OwnWorkOnly: caller.Role == TenantRole.Sdr), caller.ApiKeyId, http.ClientIp()));
        switch (result.Outcome)
        {
            case ConversationChangeOutcome.Forbidden:
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: result.Error);
            case not ConversationChangeOutcome.Changed:
                return ApiProblems.NotFound("The conversation");
        }

        return TypedResults.Created($"/api/v1/conversations/{conversationId}",
            new ConversationNoteView(result.NoteId!.Value, conversationId, body, caller.ActorId, result.OccurredAt!.Value));
    }

    private static async Task<bool> ExistsAsync(TenantDatabase database, string tenantId, string conversationId, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await using var exists = session.Command("SELECT 1 FROM conversations WHERE tenant_id = @tenant AND id = @conversation");
        exists.Parameters.AddWithValue("tenant", tenantId);
        exists.Parameters.AddWithValue("conversation", conversationId);
        return await exists.ExecuteScalarAsync(cancellationToken) is not null;
    }
}

using System.Globalization;
using System.Text.Json;
using Flexoraa.Conversations;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Inbox;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.FrontendApi.Platform.OpenApi;
using Flexoraa.FrontendApi.Replies;
using Flexoraa.FrontendApi.Workflow;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flexoraa.FrontendApi.Conversations;

/// <summary>
/// <c>/api/v1/conversations</c>, the inbox as one resource: the list and one conversation with its messages (read from
/// the read models), the workflow (status, snooze, assignee, tags, mark-read) and private notes here; replies to the
/// customer and canned-response expansion in the partial files <c>ConversationsApi.Replies.cs</c> and
/// <c>ConversationsApi.CannedResponses.cs</c>. Handlers take <c>[AsParameters]</c> bundles (<see cref="ConversationServices"/>
/// and one record per query string) rather than a long list of parameters.
/// Every write first asks <see cref="ConversationLookup"/> under the caller's tenant, so another tenant's id is a 404 and
/// never activates a grain; the conversation grain then enforces the rules (the SDR's "own or unassigned" among them) so
/// they hold under concurrent requests.
/// </summary>
public static partial class ConversationsApi
{
    public const int MaxNoteLength = 4000;

    public static RouteGroupBuilder MapConversationsApi(this RouteGroupBuilder api)
    {
        var conversations = api.MapGroup("/conversations").WithTags("Inbox");
        conversations.MapGet("/", List).RequirePermission(Permission.ReadConversations).WithName("ListConversations")
            .WithQueryParameter("status", "Only conversations in this status: open, pending, resolved or snoozed.")
            .WithQueryParameter("assignee", "'me' (the signed-in user), 'unassigned', or a user id.")
            .WithQueryParameter("channelAccountId", "Only conversations of this connected channel account.")
            .WithQueryParameter("tag", "Only conversations carrying this tag.")
            .WithQueryParameter("unread", "true for conversations with unread messages only, false for read ones only.")
            .WithSummary("The tenant's conversations by last activity, newest first; filter by status, assignee (me, unassigned or a user id), channel, channelAccountId, tag, unread and a text query q");
        conversations.MapGet("/{conversationId}", Get).RequirePermission(Permission.ReadConversations).WithName("GetConversation")
            .WithSummary("One conversation and its messages, newest first; pass the returned nextCursor as 'before' for older ones");
        conversations.MapPatch("/{conversationId}", Patch).RequirePermission(Permission.WorkConversations).WithName("UpdateConversation")
            .WithSummary("Changes status (snoozed needs snoozeUntil), assigneeUserId (null unassigns) and/or tags; SDRs only their own or unassigned conversations");
        conversations.MapPost("/{conversationId}/read", MarkRead).RequirePermission(Permission.WorkConversations).WithName("MarkConversationRead")
            .WithSummary("Sets the conversation's unread count to zero");
        conversations.MapPost("/{conversationId}/notes", AddNote).RequirePermission(Permission.WorkConversations).WithName("AddConversationNote")
            .WithSummary("Add a private note to a conversation (never sent to the customer)");
        conversations.MapPost("/{conversationId}/messages", Reply).RequirePermission(Permission.WorkConversations).WithName("ReplyToConversation")
            .Accepts<ReplyRequest>("application/json", "multipart/form-data")
            .AcceptsMultipartForm(
                new MultipartFormField("file", "The file to send; its Content-Type decides the kind (image, video, audio or document) and the channel's size limit.", IsFile: true, Required: true),
                new MultipartFormField("caption", "Text shown with the file (WhatsApp only; not for audio; at most 1024 characters)."),
                new MultipartFormField("replyToMessageId", "The external id of the conversation's message this answers."))
            .WithRequestHeader(IdempotencyHeader, "Makes a retry safe: the same key within the conversation answers 200 with the first reply instead of sending again, and is a 422 with a different request (1 to 255 printable ASCII characters; a UUID is a good choice).")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Reply with text, a WhatsApp template, or a file (multipart 'file' + 'caption'); 202 with the message queued. 409 when Meta's window is closed; Idempotency-Key makes retries safe");
        conversations.MapGet("/{conversationId}/messages/{messageId}", GetMessage).RequirePermission(Permission.ReadConversations).WithName("GetConversationMessage")
            .WithSummary("One message of the conversation with its delivery status (a reply: queued, sent, delivered, read or failed with code and title)");
        // Outside the "Inbox" group only for its tag: the API reference lists it with the canned responses it expands.
        api.MapPost("/conversations/{conversationId}/canned-responses/expand", ExpandCannedResponse).RequirePermission(Permission.ReadConversations)
            .WithTags("Canned responses").WithName("ExpandCannedResponse")
            .WithSummary("Replace the text's leading /shortcut with the canned response, filled in for this conversation and caller");
        return api;
    }

    private static async Task<Results<Ok<CursorPage<ConversationSummaryView>>, ValidationProblem>> List(
        [AsParameters] ConversationListQuery query, [AsParameters] ConversationServices services, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (!ConversationFilter.TryParse(query.Status, query.Assignee, query.Channel, query.ChannelAccountId, query.Tag, query.Unread, query.Q, caller.UserId,
                out var filter, out var errors))
        {
            return ApiProblems.Validation(errors);
        }
        if (!PageRequest<ConversationCursor>.TryParse(query.Cursor, query.Limit, services.Cursors, out var page, out var error))
        {
            return ApiProblems.Validation(error.Field, error.Message);
        }
        return TypedResults.Ok(await services.Inbox.ListAsync(caller.TenantId, filter, page, cancellationToken));
    }

    private static async Task<Results<Ok<ConversationDetail>, ValidationProblem, ProblemHttpResult>> Get(
        string conversationId, [AsParameters] MessagePageQuery query, [AsParameters] ConversationServices services, HttpContext http,
        CancellationToken cancellationToken)
    {
        // The shape before the page, so a made-up id is a 404 whatever else the query says.
        if (!ConversationIds.IsWellFormed(conversationId)) return ApiProblems.NotFound("The conversation");
        if (!PageRequest<MessageCursor>.TryParse(query.Before, query.Limit, services.Cursors, out var page, out var error))
        {
            return ApiProblems.Validation(error.Field == "cursor" ? "before" : error.Field, error.Message);
        }
        var detail = await services.Inbox.GetAsync(http.Caller().TenantId, conversationId, page, cancellationToken);
        return detail is null ? ApiProblems.NotFound("The conversation") : TypedResults.Ok(detail);
    }

    private static async Task<Results<Ok<ConversationWorkflowView>, ValidationProblem, ProblemHttpResult>> Patch(
        string conversationId, JsonElement body, [AsParameters] ConversationServices services, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (!await services.Lookup.ExistsAsync(caller.TenantId, conversationId, cancellationToken)) return ApiProblems.NotFound("The conversation");
        if (!ConversationPatch.TryParse(body, services.Clock.GetUtcNow(), out var patch, out var errors)) return ApiProblems.Validation(errors);

        // One grain call: the whole patch and its audit entries commit together or not at all, whoever else is changing
        // the conversation, and the grain computes the entries' "before" inside the same turn.
        var result = await Grain(services, caller, conversationId).Apply(new ConversationChange(
            Actor(caller), patch.Status, patch.SnoozeUntil, patch.SetsAssignee, patch.AssigneeUserId, patch.Tags,
            Origin: new ConversationChangeOrigin(caller.ApiKeyId, http.ClientIp())));
        return Failed(result, out var failure) ? failure : TypedResults.Ok(ConversationWorkflowView.Of(conversationId, result.Workflow!));
    }

    private static async Task<Results<Ok<ConversationWorkflowView>, ValidationProblem, ProblemHttpResult>> MarkRead(
        string conversationId, [AsParameters] ConversationServices services, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (!await services.Lookup.ExistsAsync(caller.TenantId, conversationId, cancellationToken)) return ApiProblems.NotFound("The conversation");
        var result = await Grain(services, caller, conversationId).Apply(new ConversationChange(Actor(caller), MarkRead: true));
        return Failed(result, out var failure) ? failure : TypedResults.Ok(ConversationWorkflowView.Of(conversationId, result.Workflow!));
    }

    /// <summary>
    /// Private notes are stored as messages with direction <c>note</c>: they appear in the history and in search, but do
    /// not move the conversation's preview, unread count or service window, and are never sent to the customer.
    /// </summary>
    private static async Task<Results<Created<ConversationNoteView>, ValidationProblem, ProblemHttpResult>> AddNote(
        string conversationId, AddNoteRequest request, [AsParameters] ConversationServices services, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        // Existence first, so another tenant's id is a 404 whatever the body says.
        if (!await services.Lookup.ExistsAsync(caller.TenantId, conversationId, cancellationToken)) return ApiProblems.NotFound("The conversation");
        if (string.IsNullOrWhiteSpace(request.Body)) return ApiProblems.Validation("body", "The note needs some text.");
        if (request.Body.Length > MaxNoteLength) return ApiProblems.Validation("body", $"A note is at most {MaxNoteLength} characters.");

        // The grain checks the SDR rule and stores the note with its audit entry in one turn and one transaction, as for
        // every other conversation write.
        var body = request.Body.Trim();
        var result = await Grain(services, caller, conversationId).AddNote(new AddConversationNote(body, Actor(caller), caller.ApiKeyId, http.ClientIp()));
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

    private static async Task<Results<Ok<MessageView>, ProblemHttpResult>> GetMessage(
        string conversationId, string messageId, [AsParameters] ConversationServices services, HttpContext http, CancellationToken cancellationToken)
    {
        if (!ConversationIds.IsWellFormed(conversationId) || !long.TryParse(messageId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return ApiProblems.NotFound("The message");
        }
        return await services.Inbox.GetMessageAsync(http.Caller().TenantId, conversationId, id, cancellationToken) is { } view
            ? TypedResults.Ok(view)
            : ApiProblems.NotFound("The message");
    }

    private static IConversationGrain Grain(ConversationServices services, Caller caller, string conversationId) =>
        services.Grains.GetGrain<IConversationGrain>(ConversationKeys.GrainKey(caller.TenantId, conversationId));

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

using System.Text.Json;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Inbox;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.ReadModels;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flexoraa.FrontendApi.CannedResponses;

/// <summary>
/// <c>/api/v1/canned-responses</c>: the tenant's saved replies (Owners and Admins manage them, everyone who reads
/// conversations uses them), the composer's '/' menu, and expansion of a leading <c>/shortcut</c> for one conversation.
/// </summary>
public static class CannedResponseEndpoints
{
    public const int MaxSearchLength = 100;
    public const int MaxComposerTextLength = 16_384;

    public static RouteGroupBuilder MapCannedResponseEndpoints(this RouteGroupBuilder api)
    {
        var canned = api.MapGroup("/canned-responses").WithTags("Canned responses");
        canned.MapPost("/", Create).RequirePermission(Permission.ManageCannedResponses).WithName("CreateCannedResponse")
            .WithSummary("Create a canned response {shortcut, content, title?}; 409 naming shortcut when the tenant already has it");
        canned.MapGet("/", List).RequirePermission(Permission.ReadConversations).WithName("ListCannedResponses")
            .WithSummary("The tenant's canned responses by shortcut; q searches shortcut, title and content");
        canned.MapGet("/suggest", Suggest).RequirePermission(Permission.ReadConversations).WithName("SuggestCannedResponses")
            .WithSummary("Up to 10 canned responses whose shortcut starts with prefix, by shortcut (the composer's '/' menu)");
        canned.MapGet("/{cannedResponseId}", Get).RequirePermission(Permission.ReadConversations).WithName("GetCannedResponse")
            .WithSummary("Read one canned response");
        canned.MapPatch("/{cannedResponseId}", Update).RequirePermission(Permission.ManageCannedResponses).WithName("UpdateCannedResponse")
            .WithSummary("Change shortcut, content and/or title (null removes the title)");
        canned.MapDelete("/{cannedResponseId}", Delete).RequirePermission(Permission.ManageCannedResponses).WithName("DeleteCannedResponse")
            .WithSummary("Delete a canned response");
        api.MapPost("/conversations/{conversationId}/canned-responses/expand", Expand).RequirePermission(Permission.ReadConversations)
            .WithTags("Canned responses").WithName("ExpandCannedResponse")
            .WithSummary("Replace the text's leading /shortcut with the canned response, filled in for this conversation and caller");
        return api;
    }

    private static async Task<Results<Created<CannedResponseView>, ValidationProblem, ProblemHttpResult>> Create(
        CreateCannedResponseRequest request, TenantDatabase database, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        var errors = new Dictionary<string, string[]>();
        var shortcut = CannedResponseFields.Shortcut(request.Shortcut, errors);
        var content = CannedResponseFields.Content(request.Content, errors);
        var title = CannedResponseFields.Title(request.Title, errors);
        if (errors.Count > 0) return ApiProblems.Validation(errors);

        var (outcome, view) = await CannedResponseStore.CreateAsync(database, caller, shortcut!, title, content!, http.ClientIp(), clock.GetUtcNow(), cancellationToken);
        return outcome == CannedResponseWriteOutcome.ShortcutTaken
            ? ShortcutTaken(shortcut!)
            : TypedResults.Created($"/api/v1/canned-responses/{view!.Id}", view);
    }

    private static async Task<Results<Ok<CursorPage<CannedResponseView>>, ValidationProblem>> List(
        string? q, string? cursor, int? limit, CursorCodec cursors, TenantDatabase database, HttpContext http, CancellationToken cancellationToken)
    {
        var search = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (search is { Length: > MaxSearchLength }) return ApiProblems.Validation("q", $"'q' is at most {MaxSearchLength} characters.");
        if (!PageRequest<CannedResponseCursor>.TryParse(cursor, limit, cursors, out var page, out var error)) return ApiProblems.Validation(error.Field, error.Message);
        return TypedResults.Ok(await CannedResponseStore.ListAsync(database, http.Caller().TenantId, search, page, cancellationToken));
    }

    private static async Task<Results<Ok<CannedResponseSuggestions>, ValidationProblem>> Suggest(
        string? prefix, TenantDatabase database, HttpContext http, CancellationToken cancellationToken)
    {
        var normalized = CannedResponseShortcut.Normalize(prefix ?? "");
        if (normalized.Length > 0 && !CannedResponseShortcut.IsValid(normalized))
        {
            return ApiProblems.Validation("prefix", "'prefix' is the start of a shortcut: up to 32 lower-case letters, digits, '-' or '_'.");
        }
        return TypedResults.Ok(new CannedResponseSuggestions(await CannedResponseStore.SuggestAsync(database, http.Caller().TenantId, normalized, cancellationToken)));
    }

    private static async Task<Results<Ok<CannedResponseView>, ProblemHttpResult>> Get(
        string cannedResponseId, TenantDatabase database, HttpContext http, CancellationToken cancellationToken) =>
        await CannedResponseStore.FindAsync(database, http.Caller().TenantId, cannedResponseId, cancellationToken) is { } view
            ? TypedResults.Ok(view)
            : ApiProblems.NotFound("The canned response");

    private static async Task<Results<Ok<CannedResponseView>, ValidationProblem, ProblemHttpResult>> Update(
        string cannedResponseId, JsonElement body, TenantDatabase database, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        // Existence first, so another tenant's id is a 404 whatever the body says.
        if (await CannedResponseStore.FindAsync(database, caller.TenantId, cannedResponseId, cancellationToken) is null) return ApiProblems.NotFound("The canned response");
        if (!CannedResponsePatch.TryParse(body, out var patch, out var errors)) return ApiProblems.Validation(errors);

        var (outcome, view) = await CannedResponseStore.UpdateAsync(database, caller, cannedResponseId, patch, http.ClientIp(), clock.GetUtcNow(), cancellationToken);
        return outcome switch
        {
            CannedResponseWriteOutcome.NotFound => ApiProblems.NotFound("The canned response"),
            CannedResponseWriteOutcome.ShortcutTaken => ShortcutTaken(patch.Shortcut!),
            _ => TypedResults.Ok(view!),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        string cannedResponseId, TenantDatabase database, HttpContext http, CancellationToken cancellationToken) =>
        await CannedResponseStore.DeleteAsync(database, http.Caller(), cannedResponseId, http.ClientIp(), cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound("The canned response");

    private static async Task<Results<Ok<ExpandedCannedResponse>, ValidationProblem, ProblemHttpResult>> Expand(
        string conversationId, ExpandCannedResponseRequest request, TenantDatabase database, IGrainFactory grains, HttpContext http,
        CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (!ConversationIds.IsWellFormed(conversationId)) return ApiProblems.NotFound("The conversation");
        await using var session = await database.BeginAsync(caller.TenantId, cancellationToken);
        // The conversation first, so another tenant's id is a 404 whatever the body says.
        if (await CannedResponseExpansion.ConversationAsync(session, conversationId, cancellationToken) is not { } conversation)
        {
            return ApiProblems.NotFound("The conversation");
        }

        var text = request.Text;
        if (string.IsNullOrEmpty(text) || !text.StartsWith('/')) return ApiProblems.Validation("text", "The text must start with '/' and a shortcut, as in \"/greet\".");
        if (text.Length > MaxComposerTextLength) return ApiProblems.Validation("text", $"The text is at most {MaxComposerTextLength} characters.");
        var tokenEnd = text.AsSpan().IndexOfAny(CannedResponseExpansion.Whitespace);
        var token = tokenEnd < 0 ? text : text[..tokenEnd];
        var shortcut = token[1..].ToLowerInvariant();
        if (shortcut.Length == 0) return ApiProblems.Validation("text", "Type a shortcut right after '/', as in \"/greet\".");

        var response = CannedResponseShortcut.IsValid(shortcut) ? await CannedResponseStore.FindByShortcutAsync(session, shortcut, cancellationToken) : null;
        if (response is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                detail: $"There is no canned response with the shortcut '/{shortcut}'.",
                extensions: new Dictionary<string, object?> { ["shortcut"] = shortcut });
        }
        if (!CannedResponseTemplate.TryParse(response.Content, out var template, out var error))
        {
            // Saved content was valid when saved; this only happens if a variable is ever withdrawn.
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                detail: $"The canned response '/{shortcut}' can no longer be expanded: {error} Edit its content.");
        }

        var agentName = caller.UserId is { } userId ? await CannedResponseExpansion.AgentNameAsync(session, userId, cancellationToken) : null;
        var tenant = await grains.GetGrain<ITenantGrain>(caller.TenantId).Get();
        var context = conversation with { AgentName = agentName, TenantName = tenant?.Profile.Name };
        var expanded = template.Render(context.Values()) + text[token.Length..];
        return TypedResults.Ok(new ExpandedCannedResponse(expanded, response.Shortcut, response.Id));
    }

    private static ProblemHttpResult ShortcutTaken(string shortcut) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
            detail: $"shortcut: the tenant already has a canned response with the shortcut '{shortcut}'.",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["shortcut"] = [$"'{shortcut}' is already taken."] } });
}

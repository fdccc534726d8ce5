using System.ComponentModel;
using System.Text.Json;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flexoraa.FrontendApi.CannedResponses;

/// <summary>
/// <c>/api/v1/canned-responses</c>: the tenant's saved replies (Owners and Admins manage them, everyone who reads
/// conversations uses them) and the composer's '/' menu. Expanding one for a conversation is part of the conversation's
/// API (<c>ConversationsApi</c>), since it answers for that conversation.
/// </summary>
public static class CannedResponsesApi
{
    public const int MaxSearchLength = 100;

    public static RouteGroupBuilder MapCannedResponsesApi(this RouteGroupBuilder api)
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
        return api;
    }

    private static async Task<Results<Created<CannedResponseView>, ValidationProblem, ProblemHttpResult>> Create(
        CreateCannedResponseRequest request, CannedResponseStore store, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        var errors = new Dictionary<string, string[]>();
        var shortcut = CannedResponseFields.Shortcut(request.Shortcut, errors);
        var content = CannedResponseFields.Content(request.Content, errors);
        var title = CannedResponseFields.Title(request.Title, errors);
        if (errors.Count > 0) return ApiProblems.Validation(errors);

        var (outcome, view) = await store.CreateAsync(caller, shortcut!, title, content!, http.ClientIp(), cancellationToken);
        return outcome == CannedResponseWriteOutcome.ShortcutTaken
            ? ShortcutTaken(shortcut!)
            : TypedResults.Created($"/api/v1/canned-responses/{view!.Id}", view);
    }

    private static async Task<Results<Ok<CursorPage<CannedResponseView>>, ValidationProblem>> List(
        [AsParameters] CannedResponseListQuery query, CannedResponseStore store, CursorCodec cursors, HttpContext http, CancellationToken cancellationToken)
    {
        var search = string.IsNullOrWhiteSpace(query.Q) ? null : query.Q.Trim();
        if (search is { Length: > MaxSearchLength }) return ApiProblems.Validation("q", $"'q' is at most {MaxSearchLength} characters.");
        if (!PageRequest<CannedResponseCursor>.TryParse(query.Cursor, query.Limit, cursors, out var page, out var error))
        {
            return ApiProblems.Validation(error.Field, error.Message);
        }
        return TypedResults.Ok(await store.ListAsync(http.Caller().TenantId, search, page, cancellationToken));
    }

    private static async Task<Results<Ok<CannedResponseSuggestions>, ValidationProblem>> Suggest(
        [Description("The start of the shortcut typed after '/'; empty for the first ones.")] string? prefix, CannedResponseStore store, HttpContext http, CancellationToken cancellationToken)
    {
        var normalized = CannedResponseShortcut.Normalize(prefix ?? "");
        if (normalized.Length > 0 && !CannedResponseShortcut.IsValid(normalized))
        {
            return ApiProblems.Validation("prefix", "'prefix' is the start of a shortcut: up to 32 lower-case letters, digits, '-' or '_'.");
        }
        return TypedResults.Ok(new CannedResponseSuggestions(await store.SuggestAsync(http.Caller().TenantId, normalized, cancellationToken)));
    }

    private static async Task<Results<Ok<CannedResponseView>, ProblemHttpResult>> Get(
        string cannedResponseId, CannedResponseStore store, HttpContext http, CancellationToken cancellationToken) =>
        await store.FindAsync(http.Caller().TenantId, cannedResponseId, cancellationToken) is { } view
            ? TypedResults.Ok(view)
            : ApiProblems.NotFound("The canned response");

    private static async Task<Results<Ok<CannedResponseView>, ValidationProblem, ProblemHttpResult>> Update(
        string cannedResponseId, JsonElement body, CannedResponseStore store, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        // Existence first, so another tenant's id is a 404 whatever the body says.
        if (await store.FindAsync(caller.TenantId, cannedResponseId, cancellationToken) is null) return ApiProblems.NotFound("The canned response");
        if (!CannedResponsePatch.TryParse(body, out var patch, out var errors)) return ApiProblems.Validation(errors);

        var (outcome, view) = await store.UpdateAsync(caller, cannedResponseId, patch, http.ClientIp(), cancellationToken);
        return outcome switch
        {
            CannedResponseWriteOutcome.NotFound => ApiProblems.NotFound("The canned response"),
            CannedResponseWriteOutcome.ShortcutTaken => ShortcutTaken(patch.Shortcut!),
            _ => TypedResults.Ok(view!),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        string cannedResponseId, CannedResponseStore store, HttpContext http, CancellationToken cancellationToken) =>
        await store.DeleteAsync(http.Caller(), cannedResponseId, http.ClientIp(), cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound("The canned response");

    private static ProblemHttpResult ShortcutTaken(string shortcut) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
            detail: $"shortcut: the tenant already has a canned response with the shortcut '{shortcut}'.",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["shortcut"] = [$"'{shortcut}' is already taken."] } });
}

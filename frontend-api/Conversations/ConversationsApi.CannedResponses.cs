using Flexoraa.FrontendApi.CannedResponses;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flexoraa.FrontendApi.Conversations;

/// <summary>
/// <c>POST /api/v1/conversations/{conversationId}/canned-responses/expand</c>: the composer's leading <c>/shortcut</c>
/// replaced by the tenant's canned response, its variables filled in for this conversation and caller.
/// </summary>
public static partial class ConversationsApi
{
    public const int MaxComposerTextLength = 16_384;

    private static async Task<Results<Ok<ExpandedCannedResponse>, ValidationProblem, ProblemHttpResult>> ExpandCannedResponse(
        string conversationId, ExpandCannedResponseRequest request, [AsParameters] ConversationServices services, HttpContext http,
        CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        // The conversation first, so another tenant's id is a 404 whatever the body says.
        if (!await services.Lookup.ExistsAsync(caller.TenantId, conversationId, cancellationToken)) return ApiProblems.NotFound("The conversation");

        var text = request.Text;
        if (string.IsNullOrEmpty(text) || !text.StartsWith('/')) return ApiProblems.Validation("text", "The text must start with '/' and a shortcut, as in \"/greet\".");
        if (text.Length > MaxComposerTextLength) return ApiProblems.Validation("text", $"The text is at most {MaxComposerTextLength} characters.");
        var tokenEnd = text.AsSpan().IndexOfAny(CannedResponseExpansion.Whitespace);
        var token = tokenEnd < 0 ? text : text[..tokenEnd];
        var shortcut = token[1..].ToLowerInvariant();
        if (shortcut.Length == 0) return ApiProblems.Validation("text", "Type a shortcut right after '/', as in \"/greet\".");

        var response = CannedResponseShortcut.IsValid(shortcut)
            ? await services.CannedResponses.FindByShortcutAsync(caller.TenantId, shortcut, cancellationToken)
            : null;
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

        // Found a moment ago and conversations are never deleted: a guard, not a path.
        if (await services.CannedResponseExpansion.ContextAsync(caller.TenantId, conversationId, caller.UserId, cancellationToken) is not { } conversation)
        {
            return ApiProblems.NotFound("The conversation");
        }
        var tenant = await services.Grains.GetGrain<ITenantGrain>(caller.TenantId).Get();
        var expanded = template.Render((conversation with { TenantName = tenant?.Profile.Name }).Values()) + text[token.Length..];
        return TypedResults.Ok(new ExpandedCannedResponse(expanded, response.Shortcut, response.Id));
    }
}

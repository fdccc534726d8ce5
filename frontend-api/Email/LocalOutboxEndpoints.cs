using Flexoraa.FrontendApi.Accounts;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flexoraa.FrontendApi.Email;

/// <summary>
/// <c>GET /api/v1/dev/outbox</c>, mapped in local mode only: the newest emails Flexoraa kept for the caller's tenant
/// (invitations) and for the caller's own address, with their links, so that a newcomer without an SMTP server can
/// follow them without searching the console. For Owners only, since an invitation's link is as good as a password until
/// it is used; and never in cluster mode, where mail is for SMTP and its recipients.
/// </summary>
public static class LocalOutboxEndpoints
{
    public const string Path = "/dev/outbox";
    private const int DefaultLimit = 20;
    private const int MaxLimit = 100;

    public static RouteGroupBuilder MapLocalOutboxEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet(Path, List).WithTags("Local mode").WithName("ListLocalOutbox")
            .WithSummary("Local mode only, for Owners: the newest emails kept in the outbox for this tenant and for the caller")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    private static async Task<Results<Ok<LocalOutboxPage>, ValidationProblem, ProblemHttpResult>> List(
        int? limit, EmailOutbox outbox, UserAccounts users, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (caller.Role != TenantRole.Owner)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: "Only an Owner can read the local outbox; the emails in it carry sign-in and invitation links.");
        }
        if (limit is < 1 or > MaxLimit) return ApiProblems.Validation("limit", $"The limit must be between 1 and {MaxLimit}.");
        var email = caller.UserId is { } userId ? (await users.FindByIdAsync(userId, cancellationToken))?.Email : null;
        var items = await outbox.KeptAsync(caller.TenantId, email, limit ?? DefaultLimit, cancellationToken);
        return TypedResults.Ok(new LocalOutboxPage(items));
    }
}

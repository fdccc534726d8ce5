using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flexoraa.FrontendApi.Team;

/// <summary>The problem answers peculiar to the team endpoints; each says what to do instead.</summary>
public static class TeamProblems
{
    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);

    public static ProblemHttpResult OwnerRoleNeedsOwner() =>
        Forbidden("Only an Owner can make someone an Owner, or change or remove an Owner.");

    public static ProblemHttpResult LastOwner(TenantMember owner) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Last Owner",
        detail: $"{owner.DisplayName} is the last Owner of this tenant, and a tenant always keeps at least one Owner. " +
                "Make another member Owner first (or transfer ownership), then try again.",
        extensions: new Dictionary<string, object?> { ["reason"] = "lastOwner" });

    public static ProblemHttpResult SeatLimit(TenantPlan plan, int seats) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Seat limit reached",
        detail: $"The {plan.ToString().ToLowerInvariant()} plan's seat limit is {seats} seats, counting members and pending invitations, and all are taken. " +
                "Remove a member, revoke a pending invitation or upgrade the plan.",
        extensions: new Dictionary<string, object?> { ["limit"] = "seats", ["seats"] = seats });
}

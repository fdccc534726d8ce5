using Flexoraa.FrontendApi.Accounts;
using Flexoraa.FrontendApi.Audit;
using Flexoraa.FrontendApi.Email;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.ReadModels;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Flexoraa.FrontendApi.Team;

/// <summary>
/// Invitations: Owners and Admins invite by email with a role; the invitee accepts with the emailed token, signing in
/// to an existing account or creating one. The token works once, expires, and is stored only as a hash.
/// </summary>
public static class InvitationEndpoints
{
    private const string SignInFailed = "The password is not this account's, or the account is temporarily locked. Try again later or reset your password.";

    public static RouteGroupBuilder MapInvitationEndpoints(this RouteGroupBuilder api)
    {
        var invitations = api.MapGroup("/tenants/{tenantId}/invitations").WithTags("Team").RequirePermission(Permission.ManageMembers)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        invitations.MapPost("/", Create).WithName("CreateInvitation").ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Invite someone by email with a role; the token goes only to their inbox");
        invitations.MapGet("/", ListPending).WithName("ListInvitations").WithSummary("Pending invitations, newest first");
        invitations.MapGet("/{invitationId}", Get).WithName("GetInvitation").WithSummary("One invitation, whatever its status");
        invitations.MapDelete("/{invitationId}", Revoke).WithName("RevokeInvitation").ProducesProblem(StatusCodes.Status409Conflict).WithSummary("Revoke a pending invitation; its token stops working");

        api.MapPost("/invitations/accept", Accept).WithTags("Team").WithName("AcceptInvitation")
            .AllowAnonymous().RequireRateLimiting(AccountEndpoints.AuthRateLimitPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Accept an invitation: sign in (password, or a bearer token of that account) or sign up, and get a session in the tenant").CarriesTokens();
        return api;
    }

    private static async Task<Results<Created<InvitationView>, ValidationProblem, ProblemHttpResult>> Create(
        string tenantId, CreateInvitationRequest request, TeamInvitations invitations, UserAccounts users,
        EmailLinks links, IGrainFactory grains, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (tenantId != caller.TenantId) return ApiProblems.NotFound("The tenant");
        var errors = new Dictionary<string, string[]>();
        AccountValidation.CheckEmail(request.Email, errors);
        if (!TeamRoles.TryParse(request.Role, out var role)) errors["role"] = [$"The role must be {TeamRoles.Choices}."];
        if (errors.Count > 0) return ApiProblems.Validation(errors);
        var invitedRole = role!.Value;
        if (invitedRole == TenantRole.Owner && caller.Role != TenantRole.Owner)
        {
            return TeamProblems.Forbidden("Only an Owner can invite an Owner. Invite them with another role, or ask an Owner.");
        }

        var address = request.Email!.Trim();
        var grain = grains.GetGrain<ITenantGrain>(tenantId);
        if (await grain.Get() is not { } tenant) return ApiProblems.NotFound("The tenant");
        if (await users.FindByEmailAsync(address, cancellationToken) is { } existing && await grain.GetMember(existing.Id) is not null)
        {
            return ApiProblems.Conflict($"{address} is already a member of this tenant. Change their role instead.");
        }

        var members = await grain.Members();
        var inviter = http.User.Identity?.Name is { Length: > 0 } name ? name : "A team admin";
        var outcome = await invitations.CreateAsync(tenantId, address, invitedRole, tenant.Limits.Seats, members.Length, caller, http.ClientIp(),
            (pending, token) => new OutboundEmail(address, $"You are invited to join {tenant.Profile.Name} on Flexoraa",
                $"{inviter} invited you to join {tenant.Profile.Name} on Flexoraa as {TeamRoles.Name(invitedRole)}.\n" +
                $"Accept: {links.BaseUrl}/invitations/accept?token={Uri.EscapeDataString(token)}\n" +
                $"Invitation token: {token}\n" +
                $"The invitation works once and expires at {pending.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC. " +
                "If this address already has a Flexoraa account you sign in with it; otherwise you choose a password."),
            cancellationToken);
        if (outcome is not InvitationCreation.Created created) return TeamProblems.SeatLimit(tenant.Plan, tenant.Limits.Seats);

        var invitation = created.Invitation;
        return TypedResults.Created($"/api/v1/tenants/{tenantId}/invitations/{invitation.Id}", invitation.ToView(clock.GetUtcNow()));
    }

    private static async Task<Results<Ok<CursorPage<InvitationView>>, ValidationProblem, ProblemHttpResult>> ListPending(
        string tenantId, string? cursor, int? limit, CursorCodec cursors, TeamInvitations invitations, HttpContext http, CancellationToken cancellationToken)
    {
        if (tenantId != http.Caller().TenantId) return ApiProblems.NotFound("The tenant");
        if (!PageRequest<InvitationCursor>.TryParse(cursor, limit, cursors, out var page, out var error)) return ApiProblems.Validation(error.Field, error.Message);
        return TypedResults.Ok(await invitations.ListPendingAsync(tenantId, page, cancellationToken));
    }

    private static async Task<Results<Ok<InvitationView>, ProblemHttpResult>> Get(
        string tenantId, string invitationId, TeamInvitations invitations, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        if (tenantId != http.Caller().TenantId) return ApiProblems.NotFound("The tenant");
        return await invitations.GetAsync(tenantId, invitationId, cancellationToken) is { } invitation
            ? TypedResults.Ok(invitation.ToView(clock.GetUtcNow()))
            : ApiProblems.NotFound("The invitation");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Revoke(
        string tenantId, string invitationId, TeamInvitations invitations, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (tenantId != caller.TenantId) return ApiProblems.NotFound("The tenant");
        return await invitations.RevokeAsync(tenantId, invitationId, caller, http.ClientIp(), cancellationToken) switch
        {
            InvitationRevocation.Revoked => TypedResults.NoContent(),
            InvitationRevocation.AlreadyAccepted => ApiProblems.Conflict("The invitation was already accepted; remove the member instead."),
            _ => ApiProblems.NotFound("The invitation"),
        };
    }

    private static async Task<Results<Created<TokenResponse>, Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Accept(
        AcceptInvitationRequest request, TeamInvitations invitations, UserAccounts users, SessionIssuer sessions, TenantDatabase database,
        AuthSettings settings, IGrainFactory grains, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Token)) return ApiProblems.Validation("token", "The invitation token is required.");
        var invitation = await invitations.FindByTokenAsync(request.Token.Trim(), cancellationToken);
        if (invitation is null || Unusable(invitation, clock.GetUtcNow()) is not null)
        {
            return ApiProblems.Validation("token", Unusable(invitation, clock.GetUtcNow())!);
        }

        // The token proves the invitee reads this inbox, but an existing account is still only entered with its own
        // credentials: its password, or a session already signed in as it.
        var user = await users.FindByEmailAsync(invitation.Email, cancellationToken);
        string? newPasswordHash = null;
        var signedInWithPassword = false;
        if (user is not null && Caller.From(http.User)?.UserId != user.Id)
        {
            if (await CheckPasswordAsync(user, request.Password, users, settings, clock, cancellationToken) is { } refused) return refused;
            signedInWithPassword = true;
        }
        else if (user is null)
        {
            // No tenant is created for an invitee, so the company-name rule of sign-up is satisfied with a stand-in.
            var errors = AccountValidation.ForSignup(new SignupRequest(invitation.Email, request.Password, request.DisplayName, CompanyName: "by invitation"));
            if (errors.Count > 0) return ApiProblems.Validation(errors);
            newPasswordHash = new PasswordHasher<UserRecord>().HashPassword(null!, request.Password!);
        }

        var now = clock.GetUtcNow();
        var tenantGrain = grains.GetGrain<ITenantGrain>(invitation.TenantId);
        if (await tenantGrain.Get() is not { } tenant) return ApiProblems.Validation("token", "The tenant of this invitation no longer exists.");
        var members = await tenantGrain.Members();
        // Pending invitations hold their seats, so this only bites when the plan shrank after the invitation was sent.
        if (tenant.Limits.Seats > 0 && members.Length >= tenant.Limits.Seats) return TeamProblems.SeatLimit(tenant.Plan, tenant.Limits.Seats);

        // Everything below happens while this transaction holds the claimed invitation; any early return rolls it back,
        // so a failed accept leaves the invitation usable.
        await using var session = await database.BeginAsync(invitation.TenantId, cancellationToken);
        if (!await TeamInvitations.TryClaimAsync(session, invitation.Id, now, cancellationToken))
        {
            var current = await TeamInvitations.GetAsync(session, invitation.Id, cancellationToken);
            return ApiProblems.Validation("token", Unusable(current, now) ?? "This invitation was already used.");
        }

        var createdAccount = user is null;
        user ??= await users.CreateAsync(invitation.Email, request.DisplayName!, newPasswordHash, cancellationToken: cancellationToken);
        if (user is null) return ApiProblems.Conflict("An account with this email was created a moment ago; accept the invitation again with its password.");
        await TeamInvitations.RecordAcceptedByAsync(session, invitation.Id, user.Id, cancellationToken);

        switch (await tenantGrain.AddMember(new TenantMember(user.Id, user.Email, user.DisplayName, invitation.Role, now)))
        {
            case MembershipOutcome.Done:
                break;
            case MembershipOutcome.AlreadyMember:
                return ApiProblems.Conflict("You are already a member of this tenant; sign in to it instead.");
            default:
                return ApiProblems.Validation("token", "The tenant of this invitation no longer exists.");
        }

        await AuditTrail.RecordAsync(session, new AuditEntry(AuditActions.MemberJoined, user.Id, null, "user", user.Id, http.ClientIp(),
            new Dictionary<string, string?>
            {
                ["invitationId"] = invitation.Id,
                ["role"] = TeamRoles.Name(invitation.Role),
                ["newAccount"] = createdAccount ? "true" : "false",
            }), cancellationToken);
        await session.CommitAsync(cancellationToken);

        if (signedInWithPassword) await users.RecordSuccessfulLoginAsync(user.Id, cancellationToken);
        var tokens = await sessions.StartAsync(user, invitation.TenantId, invitation.Role, http.ClientIp(), cancellationToken);
        return createdAccount ? TypedResults.Created("/api/v1/me", tokens) : TypedResults.Ok(tokens);
    }

    /// <summary>Why the invitation cannot be accepted, worded for the person holding it; null when it can.</summary>
    private static string? Unusable(InvitationRecord? invitation, DateTimeOffset now) => invitation?.StatusAt(now) switch
    {
        null => "This invitation token is unknown. Check the link, or ask for a new invitation.",
        InvitationRecord.Accepted => "This invitation was already used. Sign in instead, or ask for a new invitation.",
        InvitationRecord.Revoked => "This invitation was revoked. Ask for a new invitation.",
        InvitationRecord.Expired => $"This invitation expired at {invitation.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC. Ask for a new invitation.",
        _ => null,
    };

    /// <summary>Checks the existing account's password the way login does: lockout applies and failures count.</summary>
    private static async Task<Results<Created<TokenResponse>, Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>?> CheckPasswordAsync(
        UserRecord user, string? password, UserAccounts users, AuthSettings settings, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(password))
        {
            return ApiProblems.Validation("password", "This email already has a Flexoraa account: give its password, or accept while signed in to it.");
        }
        if (user.PasswordHash is null)
        {
            return ApiProblems.Validation("password", "This account has no password (it signs in with Google): sign in first, then accept while signed in.");
        }
        var locked = user.LockedUntil is { } until && until > clock.GetUtcNow();
        if (!locked && new PasswordHasher<UserRecord>().VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed)
        {
            return null;
        }
        if (!locked) await users.RecordFailedLoginAsync(user.Id, settings.LockoutThreshold, settings.LockoutDuration, cancellationToken);
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in", detail: SignInFailed);
    }
}

using Flexoraa.FrontendApi.Audit;
using Flexoraa.FrontendApi.Email;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.FrontendApi.Tenants;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Flexoraa.FrontendApi.Accounts;

/// <summary>
/// Sign-up (confirmed by email), login, refresh, logout, tenant switching and <c>/me</c>.
/// No answer here tells whether an email is registered: sign-up always answers 202, and every failed login the same 401.
/// </summary>
public static class AccountEndpoints
{
    public const string AuthRateLimitPolicy = "auth";
    private const string SignInFailed = "Invalid email or password, or the account is temporarily locked. Try again later or reset your password.";

    // Verifying against a throwaway hash for unknown emails makes their failures take as long as real ones.
    private static readonly string TimingDecoyHash = new PasswordHasher<UserRecord>().HashPassword(null!, "decoy-password-for-timing");

    public static RouteGroupBuilder MapAccountEndpoints(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Authentication").AllowAnonymous().RequireRateLimiting(AuthRateLimitPolicy);
        auth.MapPost("/signup", Signup).WithName("Signup").WithSummary("Start a sign-up: a confirmation link is emailed; the answer is the same whether or not the email is registered");
        auth.MapPost("/signup/confirm", ConfirmSignup).WithName("ConfirmSignup").ProducesProblem(StatusCodes.Status409Conflict).WithSummary("Finish a sign-up with the emailed token: creates the user and their tenant, signs in as Owner").CarriesTokens();
        auth.MapPost("/login", Login).WithName("Login")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Sign in with email and password, optionally choosing the tenant").CarriesTokens();
        auth.MapPost("/refresh", Refresh).WithName("RefreshTokens").ProducesProblem(StatusCodes.Status401Unauthorized).WithSummary("Exchange a refresh token for new tokens (the old one stops working)").CarriesTokens();
        auth.MapPost("/logout", Logout).WithName("Logout").WithSummary("End the session the refresh token belongs to");
        api.MapPost("/auth/switch-tenant", SwitchTenant).WithTags("Authentication").WithName("SwitchTenant")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Get tokens for another tenant the user belongs to").CarriesTokens();
        api.MapGet("/me", Me).WithTags("Authentication").WithName("GetMe").WithSummary("The caller, their role and permissions here, and all their tenants");
        return api;
    }

    private static async Task<Results<Accepted<object>, ValidationProblem>> Signup(
        SignupRequest request, UserAccounts users, SignupRequests signups, EmailOutbox email, AuthSettings settings, EmailLinks links, CancellationToken cancellationToken)
    {
        var errors = AccountValidation.ForSignup(request);
        if (errors.Count > 0) return ApiProblems.Validation(errors);

        // Hashing for registered emails too keeps both answers equally slow, so timing does not tell them apart.
        var hash = new PasswordHasher<UserRecord>().HashPassword(null!, request.Password!);
        if (await users.FindByEmailAsync(request.Email!, cancellationToken) is not null)
        {
            await email.SendAsync(null, request.Email!.Trim(), "Someone tried to sign up with your email",
                $"You already have a Flexoraa account. Sign in at {links.BaseUrl}/login, or reset your password if you forgot it.", cancellationToken);
        }
        else
        {
            var token = await signups.CreateAsync(request.Email!, request.DisplayName!, hash, request.CompanyName!, cancellationToken);
            await email.SendAsync(null, request.Email!.Trim(), "Confirm your Flexoraa sign-up",
                $"Finish signing up: {links.BaseUrl}/signup/confirm?token={token}\nSign-up token: {token}\nThe link works once and expires in {settings.SignupLinkLifetime.TotalHours:0} hours.",
                cancellationToken);
        }
        return TypedResults.Accepted((string?)null, (object)new { status = "confirmationSent", message = "If this address can receive mail, a link to finish signing up is on its way." });
    }

    private static async Task<Results<Created<TokenResponse>, ValidationProblem, ProblemHttpResult>> ConfirmSignup(
        ConfirmSignupRequest request, SignupRequests signups, UserAccounts users, SessionIssuer sessions, IGrainFactory grains,
        TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Token)) return ApiProblems.Validation("token", "The sign-up token is required.");
        var pending = await signups.ClaimAsync(request.Token, cancellationToken);
        if (pending is null) return ApiProblems.Validation("token", "The sign-up link is unknown, already used or expired. Sign up again.");

        var user = await users.CreateAsync(pending.Email, pending.DisplayName, pending.PasswordHash, cancellationToken: cancellationToken);
        if (user is null) return ApiProblems.Conflict("This email already has an account; sign in instead.");

        var (tenantId, role) = await CreateTenantAsync(grains, user, pending.CompanyName, clock);
        var session = await sessions.StartAsync(user, tenantId, role, http.ClientIp(), cancellationToken);
        return TypedResults.Created("/api/v1/me", session);
    }

    /// <summary>Creates a tenant owned by <paramref name="user"/>; also used by the Google sign-in.</summary>
    public static async Task<(string TenantId, TenantRole Role)> CreateTenantAsync(IGrainFactory grains, UserRecord user, string companyName, TimeProvider clock)
    {
        var owner = new TenantMember(user.Id, user.Email, user.DisplayName, TenantRole.Owner, clock.GetUtcNow());
        var profile = new CreateTenantRequest(companyName).ToProfile();
        while (true)
        {
            var id = TenantIds.New();
            if (await grains.GetGrain<ITenantGrain>(id).Create(profile, owner) is not null) return (id, TenantRole.Owner);
        }
    }

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Login(
        LoginRequest request, UserAccounts users, SessionIssuer sessions, AuditTrail audit, AuthSettings settings,
        IGrainFactory grains, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = AccountValidation.ForLogin(request);
        if (errors.Count > 0) return ApiProblems.Validation(errors);

        var hasher = new PasswordHasher<UserRecord>();
        var user = await users.FindByEmailAsync(request.Email!, cancellationToken);
        if (user?.PasswordHash is null)
        {
            hasher.VerifyHashedPassword(null!, TimingDecoyHash, request.Password!);
            return Unauthorized(SignInFailed);
        }

        var locked = user.LockedUntil is { } until && until > clock.GetUtcNow();
        var verified = hasher.VerifyHashedPassword(user, user.PasswordHash, request.Password!) != PasswordVerificationResult.Failed;
        var memberships = await users.MembershipsAsync(user.Id, cancellationToken);
        if (locked || !verified)
        {
            if (!locked) await users.RecordFailedLoginAsync(user.Id, settings.LockoutThreshold, settings.LockoutDuration, cancellationToken);
            foreach (var (tenant, _) in memberships)
            {
                await audit.RecordAsync(tenant, new AuditEntry(AuditActions.LoginFailed, user.Id, null, "user", user.Id, http.ClientIp(),
                    new Dictionary<string, string?> { ["reason"] = locked ? "locked" : "bad_password" }), cancellationToken);
            }
            return Unauthorized(SignInFailed);
        }

        await users.RecordSuccessfulLoginAsync(user.Id, cancellationToken);
        var tenantId = request.TenantId is { Length: > 0 } wanted ? wanted : memberships.Count > 0 ? memberships[0].TenantId : null;
        // Only real tenant ids reach a grain, so a made-up id cannot activate (or key storage for) a grain.
        var member = tenantId is null || !TenantIds.IsWellFormed(tenantId) ? null : await grains.GetGrain<ITenantGrain>(tenantId).GetMember(user.Id);
        if (member is null)
        {
            return request.TenantId is { Length: > 0 }
                ? ApiProblems.NotFound("That tenant")
                : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "No tenant", detail: "You are not a member of any tenant. Ask an admin for an invitation.");
        }

        await audit.RecordAsync(tenantId!, new AuditEntry(AuditActions.Login, user.Id, null, "user", user.Id, http.ClientIp()), cancellationToken);
        return TypedResults.Ok(await sessions.StartAsync(user, tenantId!, member.Role, http.ClientIp(), cancellationToken));
    }

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Refresh(
        RefreshRequest request, RefreshTokens refreshTokens, UserAccounts users, SessionIssuer sessions, IGrainFactory grains,
        HttpContext http, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.RefreshToken)) return ApiProblems.Validation("refreshToken", "The refresh token is required.");
        switch (await refreshTokens.RotateAsync(request.RefreshToken, http.ClientIp(), cancellationToken))
        {
            case RefreshTokenRotation.Rotated rotated:
                var member = await grains.GetGrain<ITenantGrain>(rotated.TenantId).GetMember(rotated.UserId);
                var user = await users.FindByIdAsync(rotated.UserId, cancellationToken);
                if (member is null || user is null)
                {
                    await refreshTokens.RevokeAsync(rotated.RefreshToken, cancellationToken);
                    return Unauthorized("You are no longer a member of this tenant.");
                }
                return TypedResults.Ok(sessions.Continue(user, rotated.TenantId, member.Role, rotated.RefreshToken, rotated.ExpiresAt));
            case RefreshTokenRotation.Reused:
                return Unauthorized("This refresh token was already used. Every session from that sign-in has been ended; sign in again.");
            default:
                return Unauthorized("The refresh token is unknown, expired or revoked; sign in again.");
        }
    }

    private static async Task<Results<NoContent, ValidationProblem>> Logout(RefreshRequest request, RefreshTokens refreshTokens, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.RefreshToken)) return ApiProblems.Validation("refreshToken", "The refresh token is required.");
        await refreshTokens.RevokeAsync(request.RefreshToken, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> SwitchTenant(
        SwitchTenantRequest request, UserAccounts users, SessionIssuer sessions, IGrainFactory grains, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (caller.UserId is null) return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Users only", detail: "API keys belong to one tenant and cannot switch.");
        if (string.IsNullOrWhiteSpace(request.TenantId)) return ApiProblems.Validation("tenantId", "The tenant id is required.");
        var member = TenantIds.IsWellFormed(request.TenantId) ? await grains.GetGrain<ITenantGrain>(request.TenantId).GetMember(caller.UserId) : null;
        var user = await users.FindByIdAsync(caller.UserId, cancellationToken);
        if (member is null || user is null) return ApiProblems.NotFound("That tenant");
        return TypedResults.Ok(await sessions.StartAsync(user, request.TenantId, member.Role, http.ClientIp(), cancellationToken));
    }

    private static async Task<Ok<MeResponse>> Me(UserAccounts users, IGrainFactory grains, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        var permissions = RolePermissions.Of(caller.Role).Select(p => p.ToString()).Order(StringComparer.Ordinal).ToList();
        if (caller.UserId is null)
        {
            var tenant = await grains.GetGrain<ITenantGrain>(caller.TenantId).Get();
            return TypedResults.Ok(new MeResponse(caller.ActorId, "", http.User.Identity?.Name ?? "API key", caller.TenantId, Lower(caller.Role), permissions,
                [new MembershipView(caller.TenantId, tenant?.Profile.Name ?? "", Lower(caller.Role))]));
        }

        var user = await users.FindByIdAsync(caller.UserId, cancellationToken);
        var views = new List<MembershipView>();
        foreach (var (tenantId, role) in await users.MembershipsAsync(caller.UserId, cancellationToken))
        {
            var tenant = await grains.GetGrain<ITenantGrain>(tenantId).Get();
            views.Add(new MembershipView(tenantId, tenant?.Profile.Name ?? "", role));
        }
        return TypedResults.Ok(new MeResponse(caller.UserId, user?.Email ?? "", user?.DisplayName ?? "", caller.TenantId, Lower(caller.Role), permissions, views));
    }

    private static string Lower(TenantRole role) => TenantRoleNames.Of(role);

    private static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in", detail: detail);
}

using System.ComponentModel;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Flexoraa.FrontendApi.Accounts.Google;

/// <summary>
/// "Sign in with Google": OpenID Connect authorization code flow with PKCE, without cookies. <c>/start</c> remembers
/// the sign-in server-side and sends the browser to Google; Google sends it back to <c>/callback</c>, which answers
/// with the same tokens a password login gives. A web console would instead register its own page as the redirect URI,
/// pass code and state on to <c>/callback</c>, and keep the tokens out of the address bar.
/// </summary>
public static class GoogleSignInEndpoints
{
    public const string Provider = "google";
    public const string ReturnUrlHeader = "Flexoraa-Return-Url";

    public static RouteGroupBuilder MapGoogleSignInEndpoints(this RouteGroupBuilder api)
    {
        var google = api.MapGroup("/auth/google").WithTags("Authentication").AllowAnonymous().RequireRateLimiting(AccountEndpoints.AuthRateLimitPolicy);
        google.MapGet("/start", Start).WithName("StartGoogleSignIn").Produces(StatusCodes.Status302Found).WithSummary("Start signing in with Google: redirects (302) to Google's consent page");
        google.MapGet("/callback", Callback).WithName("FinishGoogleSignIn").WithSummary("Where Google sends the browser back: finishes the sign-in and returns tokens").CarriesTokens();
        return api;
    }

    private static async Task<Results<RedirectHttpResult, ValidationProblem, ProblemHttpResult>> Start(
        [FromQuery, Description("A path on this site to return to after signing in, such as /inbox.")] string? returnUrl, GoogleSignInSettings settings, GoogleOidcClient google, OAuthStates states, HttpContext http, CancellationToken cancellationToken)
    {
        if (!settings.IsConfigured) return NotConfigured();
        if (returnUrl is not null && !IsLocalPath(returnUrl))
        {
            return ApiProblems.Validation("returnUrl", "The return URL must be a path on this site, such as /inbox.");
        }

        var (state, nonce, verifier) = (OpaqueTokens.New(""), OpaqueTokens.New(""), OpaqueTokens.New(""));
        try
        {
            var url = await google.AuthorizationUrlAsync(state, nonce, verifier, cancellationToken);
            await states.CreateAsync(Provider, state, new OAuthStates.Pending(nonce, verifier, returnUrl), settings.StateLifetime, cancellationToken);
            return TypedResults.Redirect(url);
        }
        catch (GoogleSignInException e) when (e.ProviderUnavailable)
        {
            return Unavailable(e, http);
        }
    }

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Callback(
        [FromQuery, Description("The authorization code Google issued.")] string? code,
        [FromQuery, Description("The state this host sent to Google when the sign-in started.")] string? state,
        [FromQuery, Description("Google's error code when the user declined or the sign-in failed.")] string? error,
        [FromQuery(Name = "error_description"), Description("Google's explanation of the error.")] string? errorDescription,
        GoogleSignInSettings settings, GoogleOidcClient google, OAuthStates states, GoogleAccounts accounts, HttpContext http, CancellationToken cancellationToken)
    {
        if (!settings.IsConfigured) return NotConfigured();
        if (string.IsNullOrEmpty(state)) return ApiProblems.Validation("state", "The state parameter is missing; start the sign-in again.");

        // Claimed before anything else, so a state is spent even by a failed callback and can never be replayed.
        var (pending, failure) = await states.ClaimAsync(Provider, state, cancellationToken);
        if (!string.IsNullOrEmpty(error))
        {
            var reason = string.IsNullOrWhiteSpace(errorDescription) ? error : $"{error}: {errorDescription}";
            return ApiProblems.Validation("error", $"Google did not sign you in ({Truncate(reason, 200)}).");
        }
        if (pending is null)
        {
            return ApiProblems.Validation("state", failure switch
            {
                OAuthStates.ClaimFailure.AlreadyUsed => "This sign-in was already completed or attempted; start the sign-in again.",
                OAuthStates.ClaimFailure.Expired => "This sign-in took too long and expired; start the sign-in again.",
                _ => "The state is unknown; start the sign-in again.",
            });
        }
        if (string.IsNullOrEmpty(code)) return ApiProblems.Validation("code", "The authorization code is missing; start the sign-in again.");

        GoogleIdentity identity;
        try
        {
            identity = await google.RedeemAsync(code, pending.CodeVerifier, pending.Nonce, cancellationToken);
        }
        catch (GoogleSignInException e) when (e.ProviderUnavailable)
        {
            return Unavailable(e, http);
        }
        catch (GoogleSignInException e)
        {
            return ApiProblems.Validation(e.Field, e.Message);
        }

        switch (await accounts.SignInAsync(identity, http.ClientIp(), cancellationToken))
        {
            case GoogleAccounts.Outcome.SignedIn signedIn:
                // The JSON answer has no room for where the user was headed, so it travels in a header.
                if (pending.ReturnUrl is not null) http.Response.Headers[ReturnUrlHeader] = pending.ReturnUrl;
                return TypedResults.Ok(signedIn.Session);
            case GoogleAccounts.Outcome.LinkedElsewhere:
                return ApiProblems.Conflict("The Flexoraa account with this email is linked to a different Google account.");
            default:
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "No tenant",
                    detail: "You are not a member of any tenant. Ask an admin for an invitation.");
        }
    }

    /// <summary>Only paths on this site, so the sign-in cannot be used to bounce a user to someone else's page.</summary>
    private static bool IsLocalPath(string url) =>
        url.Length <= 2000 && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) &&
        Uri.IsWellFormedUriString(url, UriKind.Relative);

    private static ProblemHttpResult NotConfigured() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "Google sign-in is not configured");

    /// <summary>The provider not answering is not the caller's fault: 503 with a hint to retry, like any unavailable dependency.</summary>
    private static ProblemHttpResult Unavailable(GoogleSignInException e, HttpContext http)
    {
        http.Response.Headers.RetryAfter = "5";
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Google is not answering", detail: e.Message);
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}

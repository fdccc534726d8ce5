using System.Security.Claims;
using System.Text.Encodings.Web;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Flexoraa.FrontendApi.Identity;

/// <summary>
/// <c>X-Api-Key</c> authentication for server-to-server callers. The key is looked up by its hash on every request,
/// so a revoked key stops working at once. A key acts on its owner's authority (the member who created it, see
/// <c>api_keys.owner_user_id</c>): like a JWT, it is checked against the tenant's current membership on every request,
/// and its role is the lower of its own and its owner's current one. Failed look-ups are limited per client IP by
/// <see cref="FailedApiKeyLookups"/>, before the database is asked.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeys.TenantApiKeys apiKeys,
    IGrainFactory grains,
    FailedApiKeyLookups failures,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string ApiKeyPrefix = "fxk_";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (KeyIn(Request) is not { } key) return AuthenticateResult.NoResult();

        var ip = Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (failures.Exhausted(ip) is { } wait)
        {
            Context.Items[FailedApiKeyLookups.RefusedItem] = wait;
            return AuthenticateResult.Fail("Too many unknown API keys from this address.");
        }

        if (await apiKeys.FindByKeyHashAsync(OpaqueTokens.Hash(key), Context.RequestAborted) is not { RevokedAt: null } found)
        {
            failures.Record(ip);
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }
        var (id, tenant, name, owner, lastUsed) = (found.Id, found.TenantId, found.Name, found.OwnerUserId, found.LastUsedAt);
        if (!TenantRoleNames.TryParse(found.Role, out var storedRole)) return AuthenticateResult.Fail("The API key has an unknown role.");
        var keyRole = storedRole.Value;

        // The owner's current membership, asked as for every JWT: a removed owner's key stops, a demoted one's shrinks.
        if (owner is null || await grains.GetGrain<ITenantGrain>(tenant).GetMember(owner) is not { } member)
        {
            return AuthenticateResult.Fail("The API key's owner is no longer a member of this tenant.");
        }
        var role = keyRole < member.Role ? keyRole : member.Role;
        await TouchAsync(id, tenant, lastUsed);

        var identity = new ClaimsIdentity(
        [
            new Claim(FlexoraaClaims.ApiKeyId, id),
            new Claim(FlexoraaClaims.TenantId, tenant),
            new Claim(FlexoraaClaims.Role, TenantRoleNames.Of(role)),
            new Claim(FlexoraaClaims.Name, name),
        ], SchemeName, FlexoraaClaims.Name, FlexoraaClaims.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>An address over its budget of unknown keys gets 429, not 401, so a client can tell to slow down.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[FailedApiKeyLookups.RefusedItem] is TimeSpan wait)
        {
            await AbuseLimits.WriteTooManyRequestsAsync(Context, wait);
            return;
        }
        await base.HandleChallengeAsync(properties);
    }

    /// <summary>
    /// Whether the request authenticates with an API key: <c>X-Api-Key</c>, or <c>Authorization: Bearer fxk_…</c> for
    /// clients that only know how to send bearer tokens (API keys never look like a JWT, so the two cannot be confused).
    /// </summary>
    public static bool CarriesApiKey(HttpRequest request) =>
        request.Headers.ContainsKey(HeaderName) || BearerKey(request) is not null;

    private static string? KeyIn(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var values))
        {
            return values.Count == 1 && !string.IsNullOrWhiteSpace(values[0]) ? values[0]!.Trim() : null;
        }
        return BearerKey(request);
    }

    private static string? BearerKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization;
        if (authorization.Count != 1 || authorization[0] is not { } value) return null;
        const string bearer = "Bearer ";
        if (!value.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)) return null;
        var token = value[bearer.Length..].Trim();
        return token.StartsWith(ApiKeyPrefix, StringComparison.Ordinal) ? token : null;
    }

    /// <summary>Records last use at most once a minute, so a busy integration does not write on every call.</summary>
    private async Task TouchAsync(string id, string tenant, DateTimeOffset? lastUsed)
    {
        var now = clock.GetUtcNow();
        if (lastUsed is { } seen && now - seen < TimeSpan.FromMinutes(1)) return;
        try
        {
            await apiKeys.RecordUseAsync(tenant, id, now, Context.RequestAborted);
        }
        catch (NpgsqlException e)
        {
            // Losing one last-used stamp must not fail the caller's request.
            Logger.LogWarning(e, "Could not record last use of API key {ApiKeyId}", id);
        }
    }
}

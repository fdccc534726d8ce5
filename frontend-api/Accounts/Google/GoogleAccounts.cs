using Flexoraa.FrontendApi.Audit;
using Flexoraa.Tenants;

namespace Flexoraa.FrontendApi.Accounts.Google;

/// <summary>
/// Maps a Google identity to a Flexoraa user: the user already linked to that Google account, else the user with that
/// (Google-verified) email, who gets linked, else a new user with a tenant of their own.
/// </summary>
public sealed class GoogleAccounts(UserAccounts users, SessionIssuer sessions, AuditTrail audit, IGrainFactory grains, TimeProvider clock)
{
    public abstract record Outcome
    {
        public sealed record SignedIn(TokenResponse Session) : Outcome;

        /// <summary>The email belongs to a user already linked to a different Google account.</summary>
        public sealed record LinkedElsewhere : Outcome;

        /// <summary>The user belongs to no tenant any more, as a password login would find too.</summary>
        public sealed record NoTenant : Outcome;
    }

    public async Task<Outcome> SignInAsync(GoogleIdentity identity, string? ip, CancellationToken cancellationToken)
    {
        var method = "google";
        string? newTenant = null;
        var user = await users.FindByGoogleSubjectAsync(identity.Subject, cancellationToken);
        if (user is null)
        {
            var existing = await users.FindByEmailAsync(identity.Email, cancellationToken);
            if (existing is null)
            {
                user = await users.CreateAsync(identity.Email, identity.DisplayName, passwordHash: null, identity.Subject, cancellationToken);
                if (user is not null)
                {
                    (newTenant, _) = await AccountEndpoints.CreateTenantAsync(grains, user, TenantNameFor(user), clock);
                    method = "google_signup";
                }
                // Another request registered the same email a moment ago: treat it as the existing account it now is.
                else existing = await users.FindByEmailAsync(identity.Email, cancellationToken);
            }
            if (user is null)
            {
                if (existing is null || !await users.LinkGoogleAsync(existing.Id, identity.Subject, cancellationToken)) return new Outcome.LinkedElsewhere();
                user = existing;
                method = "google_linked";
            }
        }

        var tenantId = newTenant ?? (await users.MembershipsAsync(user.Id, cancellationToken)).Select(m => m.TenantId).FirstOrDefault();
        var member = tenantId is null ? null : await grains.GetGrain<ITenantGrain>(tenantId).GetMember(user.Id);
        if (member is null) return new Outcome.NoTenant();

        await audit.RecordAsync(tenantId!, new AuditEntry(AuditActions.Login, user.Id, null, "user", user.Id, ip,
            new Dictionary<string, string?> { ["method"] = method }), cancellationToken);
        return new Outcome.SignedIn(await sessions.StartAsync(user, tenantId!, member.Role, ip, cancellationToken));
    }

    private static string TenantNameFor(UserRecord user)
    {
        var name = user.DisplayName.Trim();
        return name.Length > TenantValidation.MaxNameLength ? name[..TenantValidation.MaxNameLength] : name;
    }
}

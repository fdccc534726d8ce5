using Flexoraa.Channels;
using Flexoraa.FrontendApi.Audit;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.FrontendApi.Webhooks;
using Flexoraa.ReadModels;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flexoraa.FrontendApi.Channels;

/// <summary>
/// <c>/api/v1/channels</c>: connect, list, read, change and disconnect the tenant's WhatsApp numbers, Messenger pages
/// and Instagram accounts. Secrets are encrypted before they are stored and never returned.
/// </summary>
public static class ChannelEndpoints
{
    // Deliberately the same whichever tenant holds the account, and whether it is held at all is all it reveals.
    private const string ConnectedElsewhere =
        "This account is already connected to a Flexoraa workspace. Disconnect it there first; if it is yours and you cannot, contact support.";

    private const string AuditTarget = "channel_account";

    /// <summary>Tokens shorter than this show no hint: a few characters of a short token are too much of it.</summary>
    private const int MinTokenLengthForHint = 16;

    public static RouteGroupBuilder MapChannelEndpoints(this RouteGroupBuilder api)
    {
        var channels = api.MapGroup("/channels").WithTags("Channels");
        channels.MapPost("/", Connect).RequirePermission(Permission.ManageChannels).WithName("ConnectChannel")
            .WithSummary("Connect a WhatsApp number, Messenger page or Instagram account; its webhooks then reach this tenant");
        channels.MapGet("/", List).RequirePermission(Permission.ReadConversations).WithName("ListChannels")
            .WithSummary("The tenant's connected channel accounts, oldest first");
        channels.MapGet("/{channelAccountId}", Get).RequirePermission(Permission.ReadConversations).WithName("GetChannel")
            .WithSummary("Read one channel account (never its secrets)");
        channels.MapPatch("/{channelAccountId}", Update).RequirePermission(Permission.ManageChannels).WithName("UpdateChannel")
            .WithSummary("Rename a channel account or rotate its access token, app secret or verify token; absent fields stay as they are");
        channels.MapDelete("/{channelAccountId}", Disconnect).RequirePermission(Permission.ManageChannels).WithName("DisconnectChannel")
            .WithSummary("Disconnect a channel account; its webhooks stop reaching this tenant and another tenant may connect it");
        return api;
    }

    private static async Task<Results<Created<ChannelAccountView>, ValidationProblem, ProblemHttpResult>> Connect(
        ConnectChannelRequest request, MetaSettings meta, TenantDatabase database, ChannelAccountClaims claims, ChannelSecretProtector protector,
        MetaAppCredentials credentials, ChannelAccountOwnerCache owners, IGrainFactory grains, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        var errors = ChannelValidation.ForConnect(request, deploymentHasAppSecret: !string.IsNullOrEmpty(meta.AppSecret));
        if (errors.Count > 0) return ApiProblems.Validation(errors);

        // Validated above, so it parses.
        _ = ChannelKindNames.TryParse(request.Channel, out var channel);
        var externalId = request.ExternalAccountIdFor(channel)!;
        var accessToken = request.AccessTokenFor(channel)!;
        var now = Now(clock);
        var account = new ChannelAccountRecord(
            OpaqueTokens.NewId("ch_"),
            caller.TenantId,
            channel,
            externalId,
            request.DisplayName?.Trim() ?? DefaultDisplayName(channel, externalId, request.PhoneNumber),
            request.WabaId,
            request.PhoneNumber,
            protector.Protect(accessToken),
            HintOf(accessToken),
            request.AppSecret is null ? null : protector.Protect(request.AppSecret),
            request.VerifyToken is null ? null : ChannelAccountStore.HashVerifyToken(request.VerifyToken),
            AppSecretFingerprint.Of(request.AppSecret ?? meta.AppSecret!),
            ChannelAccountRecord.Active,
            now,
            now);

        if (await grains.GetGrain<ITenantGrain>(caller.TenantId).Get() is not { } tenant) return ApiProblems.NotFound("The tenant");
        var limit = tenant.Limits.ChannelAccounts;
        await using (var session = await database.BeginAsync(caller.TenantId, cancellationToken))
        {
            if (await ChannelAccountStore.FindLiveAsync(session, channel, externalId, cancellationToken) is { } existing)
            {
                return ApiProblems.Conflict($"This account is already connected here as {existing.Id}; change it with PATCH /api/v1/channels/{existing.Id}.");
            }
            // Checked before the route is claimed, so a tenant at its limit never touches the channel account grain.
            if (limit > 0 && await ChannelAccountStore.CountLiveAsync(session, cancellationToken: cancellationToken) >= limit)
            {
                return ChannelAccountLimit(tenant.Plan, limit);
            }
        }

        if (await claims.GrainFor(channel, externalId).Claim(account.Owner) == ClaimOutcome.OwnedByAnotherTenant)
        {
            return ApiProblems.Conflict(ConnectedElsewhere);
        }

        bool inserted;
        try
        {
            await using var session = await database.BeginAsync(caller.TenantId, cancellationToken);
            // Counted again under the tenant's lock: a concurrent connect may have taken the last slot since the check above.
            if (limit > 0 && await ChannelAccountStore.CountLiveAsync(session, lockForConnect: true, cancellationToken) >= limit)
            {
                await claims.ReconcileAsync(caller.TenantId, channel, externalId);
                return ChannelAccountLimit(tenant.Plan, limit);
            }
            inserted = await ChannelAccountStore.InsertAsync(session, account, cancellationToken);
            if (inserted)
            {
                await AuditTrail.RecordAsync(session, Entry(AuditActions.ChannelConnected, caller, http, account), cancellationToken);
                await session.CommitAsync(cancellationToken);
            }
        }
        catch
        {
            await claims.ReconcileAsync(caller.TenantId, channel, externalId);
            throw;
        }
        if (!inserted)
        {
            // A row the grain did not know about (a concurrent connect, or a route lost from grain storage) holds the
            // account; the claim made above must not outlive this request.
            await claims.ReconcileAsync(caller.TenantId, channel, externalId);
            return ApiProblems.Conflict(ConnectedElsewhere);
        }

        credentials.InvalidateCache();
        owners.Forget(channel, externalId);
        return TypedResults.Created($"/api/v1/channels/{account.Id}", ChannelAccountView.From(account));
    }

    private static async Task<Results<Ok<CursorPage<ChannelAccountView>>, ValidationProblem>> List(
        string? cursor, int? limit, CursorCodec cursors, TenantDatabase database, HttpContext http, CancellationToken cancellationToken)
    {
        if (!PageRequest<ChannelPageKey>.TryParse(cursor, limit, cursors, out var page, out var error)) return ApiProblems.Validation(error.Field, error.Message);

        await using var session = await database.BeginAsync(http.Caller().TenantId, cancellationToken);
        var accounts = await ChannelAccountStore.ListAsync(session, page.After is { } after ? (after.CreatedAt, after.Id) : null, page.Limit + 1, cancellationToken);
        return TypedResults.Ok(page.ToPage(accounts.Select(ChannelAccountView.From).ToList(), a => new ChannelPageKey(a.CreatedAt, a.Id)));
    }

    private static async Task<Results<Ok<ChannelAccountView>, ProblemHttpResult>> Get(
        string channelAccountId, TenantDatabase database, HttpContext http, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(http.Caller().TenantId, cancellationToken);
        return await ChannelAccountStore.FindAsync(session, channelAccountId, cancellationToken: cancellationToken) is { } account
            ? TypedResults.Ok(ChannelAccountView.From(account))
            : ApiProblems.NotFound("The channel account");
    }

    private static async Task<Results<Ok<ChannelAccountView>, ValidationProblem, ProblemHttpResult>> Update(
        string channelAccountId, UpdateChannelRequest request, MetaSettings meta, TenantDatabase database, ChannelAccountClaims claims,
        ChannelSecretProtector protector, MetaAppCredentials credentials, ChannelAccountOwnerCache owners, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        ChannelAccountRecord? current = null;
        ChannelAccountRecord updated;
        try
        {
            await using var session = await database.BeginAsync(caller.TenantId, cancellationToken);
            current = await ChannelAccountStore.FindAsync(session, channelAccountId, forUpdate: true, cancellationToken);
            if (current is null) return ApiProblems.NotFound("The channel account");
            var errors = ChannelValidation.ForUpdate(request, current.Channel);
            if (errors.Count > 0) return ApiProblems.Validation(errors);

            var (changed, fields) = Apply(current, request, meta, protector, Now(clock));
            updated = changed;
            // Always re-claimed, even for a rename: it repairs a route that drifted from the row.
            if (await claims.GrainFor(current.Channel, current.ExternalAccountId).Claim(updated.Owner) == ClaimOutcome.OwnedByAnotherTenant)
            {
                return ApiProblems.Conflict(ConnectedElsewhere);
            }
            await ChannelAccountStore.UpdateAsync(session, updated, cancellationToken);
            await AuditTrail.RecordAsync(session, Entry(AuditActions.ChannelUpdated, caller, http, updated, fields), cancellationToken);
            await session.CommitAsync(cancellationToken);
        }
        catch
        {
            if (current is not null) await claims.ReconcileAsync(caller.TenantId, current.Channel, current.ExternalAccountId);
            throw;
        }

        credentials.InvalidateCache();
        owners.Forget(updated.Channel, updated.ExternalAccountId);
        return TypedResults.Ok(ChannelAccountView.From(updated));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Disconnect(
        string channelAccountId, TenantDatabase database, ChannelAccountClaims claims, MetaAppCredentials credentials, ChannelAccountOwnerCache owners,
        TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        ChannelAccountRecord? current = null;
        try
        {
            await using var session = await database.BeginAsync(caller.TenantId, cancellationToken);
            current = await ChannelAccountStore.FindAsync(session, channelAccountId, forUpdate: true, cancellationToken);
            if (current is null) return ApiProblems.NotFound("The channel account");

            // Released first: if the row update then fails, reconciling re-claims from the row that is still live,
            // whereas a stale route would keep delivering a disconnected account's traffic.
            await claims.GrainFor(current.Channel, current.ExternalAccountId).Release(caller.TenantId);
            await ChannelAccountStore.DisconnectAsync(session, current.Id, Now(clock), cancellationToken);
            await AuditTrail.RecordAsync(session, Entry(AuditActions.ChannelDisconnected, caller, http, current), cancellationToken);
            await session.CommitAsync(cancellationToken);
        }
        catch
        {
            if (current is not null) await claims.ReconcileAsync(caller.TenantId, current.Channel, current.ExternalAccountId);
            throw;
        }

        credentials.InvalidateCache();
        owners.Forget(current.Channel, current.ExternalAccountId);
        return TypedResults.NoContent();
    }

    /// <summary>The account with <paramref name="request"/>'s changes, and the names of the fields that changed (for the audit log).</summary>
    private static (ChannelAccountRecord Account, string Fields) Apply(
        ChannelAccountRecord current, UpdateChannelRequest request, MetaSettings meta, ChannelSecretProtector protector, DateTimeOffset now)
    {
        var fields = new List<string>();
        var account = current with { UpdatedAt = now };
        if (request.DisplayName is not null)
        {
            account = account with { DisplayName = request.DisplayName.Trim() };
            fields.Add("displayName");
        }
        if (request.PhoneNumber is not null)
        {
            account = account with { PhoneNumber = request.PhoneNumber };
            fields.Add("phoneNumber");
        }
        if ((current.Channel == ChannelKind.Messenger ? request.PageAccessToken : request.AccessToken) is { } token)
        {
            account = account with { AccessTokenProtected = protector.Protect(token), AccessTokenHint = HintOf(token) };
            fields.Add(current.Channel == ChannelKind.Messenger ? "pageAccessToken" : "accessToken");
        }
        if (request.AppSecret is not null)
        {
            account = account with { AppSecretProtected = protector.Protect(request.AppSecret) };
            fields.Add("appSecret");
        }
        if (request.VerifyToken is not null)
        {
            account = account with { VerifyTokenHash = ChannelAccountStore.HashVerifyToken(request.VerifyToken) };
            fields.Add("verifyToken");
        }

        // Accounts on the deployment's app follow its current secret, so a rotated Flexoraa:Meta:AppSecret reaches the
        // route with the account's next change.
        var appSecret = request.AppSecret ?? (account.AppSecretProtected is null ? meta.AppSecret : null);
        if (!string.IsNullOrEmpty(appSecret)) account = account with { AppSecretFingerprint = AppSecretFingerprint.Of(appSecret) };
        return (account, string.Join(",", fields));
    }

    private static ProblemHttpResult ChannelAccountLimit(TenantPlan plan, int limit) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Channel account limit reached",
        detail: $"The {plan.ToString().ToLowerInvariant()} plan allows {limit} connected channel account{(limit == 1 ? "" : "s")}, and all are in use. " +
                "Disconnect one or upgrade the plan.",
        extensions: new Dictionary<string, object?> { ["limit"] = "channelAccounts", ["channelAccounts"] = limit });

    private static AuditEntry Entry(string action, Caller caller, HttpContext http, ChannelAccountRecord account, string? fields = null)
    {
        var details = new Dictionary<string, string?>
        {
            ["channel"] = ChannelKindNames.Of(account.Channel),
            ["externalAccountId"] = account.ExternalAccountId,
        };
        if (fields is not null) details["fields"] = fields;
        return new AuditEntry(action, caller.UserId, caller.ApiKeyId, AuditTarget, account.Id, http.ClientIp(), details);
    }

    private static string DefaultDisplayName(ChannelKind channel, string externalId, string? phoneNumber) => channel switch
    {
        ChannelKind.WhatsApp => $"WhatsApp {phoneNumber ?? externalId}",
        ChannelKind.Messenger => $"Messenger page {externalId}",
        _ => $"Instagram {externalId}",
    };

    private static string? HintOf(string token) => token.Length >= MinTokenLengthForHint ? token[^4..] : null;

    /// <summary>PostgreSQL keeps microseconds; truncating first makes what is returned equal what is read back later.</summary>
    private static DateTimeOffset Now(TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }
}

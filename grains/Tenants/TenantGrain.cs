using System.Collections.Immutable;
using Flexoraa.Assignment;
using Flexoraa.Realtime;
using Flexoraa.Streaming;
using Microsoft.Extensions.Logging;

namespace Flexoraa.Tenants;

/// <summary>
/// The tenant's own settings and its members. Writes are rare (an admin saves a form, invites someone); reads are
/// frequent (every request asks for the caller's membership) and served from memory.
/// </summary>
public sealed class TenantGrain(
    [PersistentState("tenant", StorageProviders.Default)] IPersistentState<TenantState> state,
    TenantMembersReadModel membersReadModel,
    TenantSearchLanguages searchLanguages,
    TimeProvider clock,
    ILogger<TenantGrain> logger) : Grain, ITenantGrain
{
    private TenantState State => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // State stored before auto-assignment existed reads back without it.
        if (State.Settings.AutoAssignment is null) State.Settings = State.Settings with { AutoAssignment = AutoAssignmentSettings.Default };
        // ... and before the search language: its messages were indexed with simple.
        if (State.Settings.SearchLanguage is null || State.Settings.EarlierSearchLanguages.IsDefault)
        {
            State.Settings = State.Settings with
            {
                SearchLanguage = State.Settings.SearchLanguage ?? SearchLanguages.Simple,
                EarlierSearchLanguages = State.Settings.EarlierSearchLanguages.IsDefault ? [] : State.Settings.EarlierSearchLanguages,
            };
        }
        // A previous activation may have persisted a membership change and then failed to mirror it.
        if (State.Profile is not null && State.MembersReadModelVersion < State.Version)
        {
            await SyncMembersReadModelAsync();
        }
    }

    public async Task<TenantSnapshot?> Create(TenantProfile profile, TenantMember owner)
    {
        if (State.Profile is not null) return null;
        ThrowIfInvalid(TenantValidation.Validate(profile));

        var now = clock.GetUtcNow();
        State.Profile = profile with { Name = profile.Name.Trim(), Country = profile.Country.ToUpperInvariant(), Currency = profile.Currency.ToUpperInvariant() };
        State.CreatedAt = now;
        State.Members[owner.UserId] = owner with { Role = TenantRole.Owner };
        await PersistAsync(membersChanged: true);
        return Snapshot();
    }

    public Task<TenantSnapshot?> Get() => Task.FromResult(State.Profile is null ? null : Snapshot());

    public async Task<TenantSnapshot?> Update(TenantChanges changes)
    {
        if (State.Profile is null) return null;
        ThrowIfInvalid(TenantValidation.Validate(changes));

        State.Profile = changes.ApplyTo(State.Profile);
        var language = State.Settings.SearchLanguage;
        State.Settings = changes.ApplyTo(State.Settings);
        await PersistAsync(membersChanged: false);
        if (State.Settings.SearchLanguage != language) searchLanguages.Changed(this.GetPrimaryKeyString(), State.Settings.SearchLanguage);
        if (changes.AutoAssignment is not null) await AutoAssignment.SettingsChanged(State.Settings.AutoAssignment);
        return Snapshot();
    }

    public async Task<TenantSnapshot?> ChangePlan(TenantPlan plan)
    {
        if (State.Profile is null) return null;
        if (!Enum.IsDefined(plan)) throw new ArgumentOutOfRangeException(nameof(plan), plan, "Unknown plan.");
        if (State.Plan != plan)
        {
            logger.LogInformation("Tenant {TenantId} moves from the {From} plan to {To}", this.GetPrimaryKeyString(), State.Plan, plan);
            State.Plan = plan;
            await PersistAsync(membersChanged: false);
        }
        return Snapshot();
    }

    public Task<TenantMember?> GetMember(string userId) =>
        Task.FromResult(State.Profile is not null && State.Members.TryGetValue(userId, out var member) ? member : null);

    public Task<ImmutableArray<TenantMember>> Members() =>
        Task.FromResult(State.Members.Values.OrderBy(m => m.JoinedAt).ThenBy(m => m.UserId, StringComparer.Ordinal).ToImmutableArray());

    public async Task<MembershipOutcome> AddMember(TenantMember member)
    {
        if (State.Profile is null) return MembershipOutcome.TenantNotFound;
        if (State.Members.ContainsKey(member.UserId)) return MembershipOutcome.AlreadyMember;
        State.Members[member.UserId] = member;
        await PersistAsync(membersChanged: true);
        await AnnounceAsync(member.UserId, member.Role, null);
        return MembershipOutcome.Done;
    }

    public async Task<MembershipOutcome> ChangeRole(string userId, TenantRole role)
    {
        if (State.Profile is null) return MembershipOutcome.TenantNotFound;
        if (!State.Members.TryGetValue(userId, out var member)) return MembershipOutcome.MemberNotFound;
        if (member.Role == role) return MembershipOutcome.Done;
        if (member.Role == TenantRole.Owner && IsLastOwner(userId)) return MembershipOutcome.LastOwner;
        State.Members[userId] = member with { Role = role };
        await PersistAsync(membersChanged: true);
        await AnnounceAsync(userId, role, member.Role);
        return MembershipOutcome.Done;
    }

    public async Task<MembershipOutcome> RemoveMember(string userId)
    {
        if (State.Profile is null) return MembershipOutcome.TenantNotFound;
        if (!State.Members.TryGetValue(userId, out var member)) return MembershipOutcome.MemberNotFound;
        if (member.Role == TenantRole.Owner && IsLastOwner(userId)) return MembershipOutcome.LastOwner;
        State.Members.Remove(userId);
        await PersistAsync(membersChanged: true);
        await AnnounceAsync(userId, null, member.Role);
        return MembershipOutcome.Done;
    }

    /// <summary>
    /// Tells the tenant's connected users, and the frontend hosts, which close the user's open inbox connections. The
    /// change is already stored, so a failure is logged, not thrown: REST requests check membership on every call anyway;
    /// an open inbox connection then stays open until it reconnects, and a host's cached membership lives until its TTL.
    /// </summary>
    private async Task AnnounceAsync(string userId, TenantRole? role, TenantRole? previousRole)
    {
        var tenantId = this.GetPrimaryKeyString();
        try
        {
            await GrainFactory.GetGrain<ITenantUpdatesGrain>(tenantId).Publish(new MembershipChanged(tenantId, clock.GetUtcNow(), userId, role, previousRole));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not announce the membership change of {User} in tenant {Tenant}", userId, tenantId);
        }
    }

    private bool IsLastOwner(string userId) =>
        !State.Members.Values.Any(m => m.Role == TenantRole.Owner && m.UserId != userId);

    private async Task PersistAsync(bool membersChanged)
    {
        var mirrorWasCurrent = State.MembersReadModelVersion == State.Version;
        State.UpdatedAt = clock.GetUtcNow();
        State.Version++;
        if (!membersChanged && mirrorWasCurrent) State.MembersReadModelVersion = State.Version;
        await state.WriteStateAsync();
        if (membersChanged)
        {
            await SyncMembersReadModelAsync();
            await AutoAssignment.MembersChanged([.. State.Members.Values]);
        }
    }

    /// <summary>Told one-way: auto-assignment calls conversation grains that call this one, so it must never be waited on from here.</summary>
    private IAutoAssignmentGrain AutoAssignment => GrainFactory.GetGrain<IAutoAssignmentGrain>(this.GetPrimaryKeyString());

    private async Task SyncMembersReadModelAsync()
    {
        await membersReadModel.ReplaceAsync(this.GetPrimaryKeyString(), State.Members.Values);
        State.MembersReadModelVersion = State.Version;
        await state.WriteStateAsync();
    }

    private TenantSnapshot Snapshot() => new(
        this.GetPrimaryKeyString(),
        State.Profile!,
        State.Settings,
        State.Plan,
        TenantLimits.For(State.Plan),
        State.CreatedAt,
        State.UpdatedAt,
        State.Version);

    private static void ThrowIfInvalid(Dictionary<string, string[]> errors)
    {
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        }
    }
}

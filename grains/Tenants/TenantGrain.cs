using Flexoraa.Streaming;

namespace Flexoraa.Tenants;

/// <summary>
/// The tenant's own settings. Writes are rare (an admin saves a form), reads are frequent and served from memory.
/// </summary>
public sealed class TenantGrain(
    [PersistentState("tenant", StorageProviders.Default)] IPersistentState<TenantState> state,
    TimeProvider clock) : Grain, ITenantGrain
{
    public async Task<TenantSnapshot?> Create(TenantProfile profile)
    {
        if (state.State.Profile is not null) return null;
        ThrowIfInvalid(TenantValidation.Validate(profile));

        var now = clock.GetUtcNow();
        state.State.Profile = profile with { Name = profile.Name.Trim(), Country = profile.Country.ToUpperInvariant(), Currency = profile.Currency.ToUpperInvariant() };
        state.State.CreatedAt = now;
        state.State.UpdatedAt = now;
        state.State.Version = 1;
        await state.WriteStateAsync();
        return Snapshot();
    }

    public Task<TenantSnapshot?> Get() => Task.FromResult(state.State.Profile is null ? null : Snapshot());

    public async Task<TenantSnapshot?> Update(TenantChanges changes)
    {
        if (state.State.Profile is null) return null;
        ThrowIfInvalid(TenantValidation.Validate(changes));

        state.State.Profile = changes.ApplyTo(state.State.Profile);
        state.State.Settings = changes.ApplyTo(state.State.Settings);
        state.State.UpdatedAt = clock.GetUtcNow();
        state.State.Version++;
        await state.WriteStateAsync();
        return Snapshot();
    }

    private TenantSnapshot Snapshot() => new(
        this.GetPrimaryKeyString(),
        state.State.Profile!,
        state.State.Settings,
        state.State.Plan,
        TenantLimits.For(state.State.Plan),
        state.State.CreatedAt,
        state.State.UpdatedAt,
        state.State.Version);

    private static void ThrowIfInvalid(Dictionary<string, string[]> errors)
    {
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        }
    }
}

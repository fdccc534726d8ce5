using System.Collections.Immutable;

namespace Flexoraa.Leads.Fields;

/// <summary>A tenant's custom lead fields (see <see cref="ILeadFieldsGrain"/>), written through to <c>lead_fields</c> before memory takes the change.</summary>
public sealed class LeadFieldsGrain(LeadFieldStore store, TimeProvider clock) : Grain, ILeadFieldsGrain
{
    public const int MaxFields = LeadRules.MaxCustomFields;
    public const int MaxLabelLength = 80;
    public const int MaxOptions = 100;
    public const int MaxOptionLength = 100;
    public const int MaxPosition = 1000;

    private string _tenantId = "";
    private ImmutableArray<LeadFieldDefinition> _fields = [];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _tenantId = this.GetPrimaryKeyString();
        _fields = await store.ListAsync(_tenantId, cancellationToken);
    }

    public Task<ImmutableArray<LeadFieldDefinition>> List() => Task.FromResult(_fields);

    public async Task<LeadFieldChangeResult> Create(LeadFieldDraft draft)
    {
        if (draft.Key?.Trim() is not { } key || !CustomFieldValues.IsKey(key)) return LeadFieldChangeResult.Invalid("key", "A field key has 1 to 64 letters, digits, '_' or '-'.");
        if (_fields.Any(f => f.Key == key)) return LeadFieldChangeResult.Conflict($"The tenant already has a field '{key}'.");
        if (_fields.Length >= MaxFields) return LeadFieldChangeResult.Conflict($"A tenant has at most {MaxFields} custom fields.");
        if (draft.Type is not { } type) return LeadFieldChangeResult.Invalid("type", "A field needs a type: text, number, date, boolean or singleSelect.");
        if (type == LeadFieldType.SingleSelect && draft.Options is null) return LeadFieldChangeResult.Invalid("options", "A singleSelect field needs its options.");
        if (Check(draft.Label ?? key, draft.Options, type, draft.Position) is { } invalid) return invalid;
        var now = clock.GetUtcNow();
        var field = new LeadFieldDefinition(key, (draft.Label ?? key).Trim(), type, Options(draft.Options), draft.Position ?? NextPosition(), now, now);
        await store.SaveAsync(_tenantId, field);
        _fields = Sorted(_fields.Add(field));
        return LeadFieldChangeResult.Changed(field);
    }

    public async Task<LeadFieldChangeResult> Update(string key, LeadFieldDraft draft)
    {
        if (_fields.FirstOrDefault(f => f.Key == key) is not { } current) return LeadFieldChangeResult.NotFound;
        if (draft.Key is { } newKey && newKey.Trim() != key) return LeadFieldChangeResult.Invalid("key", "A field's key cannot change: leads hold their values under it.");
        if (draft.Type is { } newType && newType != current.Type) return LeadFieldChangeResult.Invalid("type", "A field's type cannot change: add a new field instead.");
        if (Check(draft.Label ?? current.Label, draft.Options, current.Type, draft.Position) is { } invalid) return invalid;
        var options = draft.Options is null ? current.Options : Options(draft.Options);
        var removed = current.Options.Except(options).ToList();
        if (removed.Count > 0 && await store.LeadsWithValuesAsync(_tenantId, key, removed) is > 0 and var count)
        {
            return LeadFieldChangeResult.Conflict($"{count} lead(s) hold an option the change removes ({string.Join(", ", removed)}); change them first.");
        }
        var field = current with { Label = (draft.Label ?? current.Label).Trim(), Options = options, Position = draft.Position ?? current.Position, UpdatedAt = clock.GetUtcNow() };
        await store.SaveAsync(_tenantId, field);
        _fields = Sorted(_fields.Replace(current, field));
        return LeadFieldChangeResult.Changed(field);
    }

    public async Task<LeadFieldChangeResult> Delete(string key)
    {
        if (_fields.FirstOrDefault(f => f.Key == key) is not { } current) return LeadFieldChangeResult.NotFound;
        await store.DeleteAsync(_tenantId, key);
        _fields = _fields.Remove(current);
        return LeadFieldChangeResult.Changed(null);
    }

    private static LeadFieldChangeResult? Check(string label, ImmutableArray<string>? options, LeadFieldType type, int? position)
    {
        if (label.Trim() is { Length: 0 or > MaxLabelLength }) return LeadFieldChangeResult.Invalid("label", $"A label has 1 to {MaxLabelLength} characters.");
        if (position is < 0 or > MaxPosition) return LeadFieldChangeResult.Invalid("position", $"'position' is 0 to {MaxPosition}.");
        if (type != LeadFieldType.SingleSelect)
        {
            return options is { IsDefaultOrEmpty: false } ? LeadFieldChangeResult.Invalid("options", "Only a singleSelect field has options.") : null;
        }
        if (options is null) return null;
        var given = options!.Value.IsDefault ? [] : options.Value;
        if (given.Length is 0 or > MaxOptions) return LeadFieldChangeResult.Invalid("options", $"A singleSelect field has 1 to {MaxOptions} options.");
        for (var i = 0; i < given.Length; i++)
        {
            if (given[i]?.Trim() is not { Length: > 0 and <= MaxOptionLength }) return LeadFieldChangeResult.Invalid($"options[{i}]", $"An option has 1 to {MaxOptionLength} characters.");
        }
        if (given.Select(o => o.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).Count() != given.Length) return LeadFieldChangeResult.Invalid("options", "The options must differ from each other.");
        return null;
    }

    private static ImmutableArray<string> Options(ImmutableArray<string>? options) =>
        options is { IsDefault: false } given ? [.. given.Select(o => o.Trim())] : [];

    private int NextPosition() => _fields.IsEmpty ? 0 : Math.Min(MaxPosition, _fields.Max(f => f.Position) + 1);

    private static ImmutableArray<LeadFieldDefinition> Sorted(ImmutableArray<LeadFieldDefinition> fields) =>
        [.. fields.OrderBy(f => f.Position).ThenBy(f => f.Key, StringComparer.Ordinal)];
}

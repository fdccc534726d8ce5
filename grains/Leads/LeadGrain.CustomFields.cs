using Flexoraa.Leads.Fields;

namespace Flexoraa.Leads;

public sealed partial class LeadGrain
{
    /// <summary>
    /// The change with its custom field values checked against the tenant's definitions and spelt canonically (see
    /// <see cref="CustomFieldValues"/>); asked only when the change carries custom fields, so other changes cost no call.
    /// </summary>
    private async Task<(LeadChanges Changes, LeadChangeResult? Failure)> CheckCustomFieldsAsync(LeadChanges changes)
    {
        if (changes.CustomFields is not { Count: > 0 } given) return (changes, null);
        var definitions = await GrainFactory.GetGrain<ILeadFieldsGrain>(_tenantId).List();
        return CustomFieldValues.TryNormalize(given, definitions, out var normalized, out var field, out var error)
            ? (changes with { CustomFields = normalized }, null)
            : (changes, LeadChangeResult.Invalid(field, error));
    }
}

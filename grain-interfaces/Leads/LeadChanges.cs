using System.Collections.Immutable;

namespace Flexoraa.Leads;

/// <summary>
/// A create or a patch of a lead. A null member leaves that field as it is; a field named in <see cref="Cleared"/> is
/// set to null (JSON's explicit <c>null</c>), so "leave it" and "clear it" stay apart across the grain call.
/// <see cref="CustomFields"/> and <see cref="Consent"/> merge: a key with a null value removes that key.
/// The grain validates and normalises every field (phone to E.164 in the tenant's region, email lower-cased).
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.LeadChanges")]
public sealed record LeadChanges(
    [property: Id(0)] string? FirstName = null,
    [property: Id(1)] string? LastName = null,
    [property: Id(2)] string? DisplayName = null,
    [property: Id(3)] string? Company = null,
    [property: Id(4)] string? Title = null,
    [property: Id(5)] string? Email = null,
    [property: Id(6)] string? Phone = null,
    [property: Id(7)] string? Source = null,
    [property: Id(8)] ImmutableArray<string>? Tags = null,
    [property: Id(9)] string? OwnerUserId = null,
    [property: Id(10)] string? PipelineId = null,
    [property: Id(11)] string? StageId = null,
    [property: Id(12)] ImmutableDictionary<string, string?>? CustomFields = null,
    [property: Id(13)] ImmutableDictionary<string, LeadConsentStatus?>? Consent = null,
    [property: Id(14)] long? WonValue = null,
    [property: Id(15)] string? WonCurrency = null,
    [property: Id(16)] string? LostReason = null,
    [property: Id(17)] ImmutableArray<string> Cleared = default)
{
    public bool Clears(string field) => !Cleared.IsDefault && Cleared.Contains(field);
}

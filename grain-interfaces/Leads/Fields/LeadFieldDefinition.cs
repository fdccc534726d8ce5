using System.Collections.Immutable;

namespace Flexoraa.Leads.Fields;

/// <summary>
/// One custom lead field of a tenant, as <c>/api/v1/lead-fields</c> shows it. A lead's <c>customFields</c> holds its
/// values by <see cref="Key"/>, as text in a canonical spelling of the type (see <c>CustomFieldValues</c>), so a list
/// filter compares like with like. <see cref="Options"/> are the choices of a single-select field, empty otherwise.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.Fields.LeadFieldDefinition")]
public sealed record LeadFieldDefinition(
    [property: Id(0)] string Key,
    [property: Id(1)] string Label,
    [property: Id(2)] LeadFieldType Type,
    [property: Id(3)] ImmutableArray<string> Options,
    [property: Id(4)] int Position,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset UpdatedAt);

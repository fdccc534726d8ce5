using System.Collections.Immutable;

namespace Flexoraa.Leads.Fields;

/// <summary>A new field, or a change of one (null members stay as they are; the key and type of a field never change).</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.Fields.LeadFieldDraft")]
public sealed record LeadFieldDraft(
    [property: Id(0)] string? Key,
    [property: Id(1)] string? Label,
    [property: Id(2)] LeadFieldType? Type,
    [property: Id(3)] ImmutableArray<string>? Options,
    [property: Id(4)] int? Position);

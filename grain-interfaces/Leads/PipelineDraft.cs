using System.Collections.Immutable;

namespace Flexoraa.Leads;

/// <summary>
/// A pipeline to create, or the new name/order/stages of one. Null members stay as they are. In <see cref="Stages"/>
/// (the whole list, in the new order) a stage with an id keeps that stage, one without is new.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.PipelineDraft")]
public sealed record PipelineDraft(
    [property: Id(0)] string? Name = null,
    [property: Id(1)] int? Position = null,
    [property: Id(2)] ImmutableArray<PipelineStageDraft>? Stages = null);

namespace Flexoraa.Realtime;

/// <summary>A <see cref="TenantUpdate"/> with its place in the tenant's order. Sequences only grow, across activations too.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Realtime.SequencedUpdate")]
public sealed record SequencedUpdate(
    [property: Id(0)] long Sequence,
    [property: Id(1)] TenantUpdate Update);

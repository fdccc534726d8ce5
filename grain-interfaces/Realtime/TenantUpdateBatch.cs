using System.Collections.Immutable;

namespace Flexoraa.Realtime;

/// <summary>
/// What travels on <c>tenant-updates</c>: consecutive updates of one tenant in sequence order. Batching makes the stream
/// cost one queue insert per batch rather than per event, which is what keeps a busy tenant off the stream's write cap.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Realtime.TenantUpdateBatch")]
public sealed record TenantUpdateBatch(
    [property: Id(0)] ImmutableArray<SequencedUpdate> Updates);

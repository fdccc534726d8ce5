using System.Collections.Immutable;

namespace Flexoraa.Realtime;

/// <summary>
/// The answer to a resync: the updates after the client's last sequence, or <see cref="Reload"/> when some of them are
/// no longer buffered (or the client's sequence is not one this tenant issued), so the client must reload its views.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Realtime.TenantUpdatesSince")]
public sealed record TenantUpdatesSince(
    [property: Id(0)] bool Reload,
    [property: Id(1)] long LatestSequence,
    [property: Id(2)] ImmutableArray<SequencedUpdate> Updates);

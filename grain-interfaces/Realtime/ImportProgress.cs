using Flexoraa.Leads.Import;

namespace Flexoraa.Realtime;

/// <summary>A lead import moved on (at most about once a second while it runs, and once when it ends); <see cref="Import"/> is the REST import.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Realtime.ImportProgress")]
public sealed record ImportProgress(
    string TenantId,
    DateTimeOffset OccurredAt,
    [property: Id(0)] LeadImportStatus Import)
    : TenantUpdate(TenantId, null, OccurredAt);

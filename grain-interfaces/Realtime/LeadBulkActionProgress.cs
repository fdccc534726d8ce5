using Flexoraa.Leads.Bulk;

namespace Flexoraa.Realtime;

/// <summary>A lead bulk action moved on (at most about once a second while it runs, and once when it ends); <see cref="Action"/> is the REST bulk action.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Realtime.LeadBulkActionProgress")]
public sealed record LeadBulkActionProgress(
    string TenantId,
    DateTimeOffset OccurredAt,
    [property: Id(0)] LeadBulkActionStatus Action)
    : TenantUpdate(TenantId, null, OccurredAt);

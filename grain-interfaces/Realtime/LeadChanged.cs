using System.Collections.Immutable;
using Flexoraa.Leads;

namespace Flexoraa.Realtime;

/// <summary>
/// A lead was created, changed, deleted or had an activity logged (<see cref="Change"/>: <c>created</c>, <c>updated</c>,
/// <c>deleted</c>, <c>activityLogged</c>). <see cref="Lead"/> is the lead afterwards in the REST API's shape (null after a
/// delete); <see cref="Fields"/> names the REST fields a change touched; <see cref="Activity"/> is the timeline entry
/// that was added, if one was. Tenant-wide, like every numbered update.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Realtime.LeadChanged")]
public sealed record LeadChanged(
    string TenantId,
    DateTimeOffset OccurredAt,
    [property: Id(0)] string LeadId,
    [property: Id(1)] string Change,
    [property: Id(2)] Lead? Lead,
    [property: Id(3)] ImmutableArray<string> Fields,
    [property: Id(4)] LeadActivity? Activity = null)
    : TenantUpdate(TenantId, null, OccurredAt);

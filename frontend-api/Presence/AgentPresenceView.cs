using Flexoraa.Realtime;
using Flexoraa.Tenants;

namespace Flexoraa.FrontendApi.Presence;

/// <summary>
/// One member on the presence dashboard: presence (and since when, null if not seen since the presence grain started),
/// open + pending conversations assigned to them, the capacity that applies and their own override, and whether
/// auto-assignment would give them a conversation now.
/// </summary>
public sealed record AgentPresenceView(
    string UserId,
    string DisplayName,
    TenantRole Role,
    AgentPresence Presence,
    DateTimeOffset? Since,
    int Assigned,
    int Capacity,
    int? CapacityOverride,
    bool AutoAssignable);

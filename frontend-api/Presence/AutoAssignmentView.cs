using Flexoraa.Tenants;

namespace Flexoraa.FrontendApi.Presence;

/// <summary>The tenant's auto-assignment: its settings, who is next (rotation of the members who work conversations) and who waits (oldest first).</summary>
public sealed record AutoAssignmentView(AutoAssignmentSettings Settings, IReadOnlyList<string> Rotation, IReadOnlyList<string> Queue);

using System.Collections.Immutable;
using Flexoraa.Tenants;

namespace Flexoraa.Assignment;

/// <summary>The tenant's auto-assignment now: its settings, the members in rotation order (next first) and the waiting queue (oldest first).</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Assignment.AutoAssignmentSnapshot")]
public sealed record AutoAssignmentSnapshot(
    [property: Id(0)] AutoAssignmentSettings Settings,
    [property: Id(1)] ImmutableArray<AgentWorkload> Agents,
    [property: Id(2)] ImmutableArray<string> Queue);

namespace Flexoraa.Assignment;

/// <summary>
/// What auto-assignment must not forget: the rotation (next agent first), the conversations waiting for an agent
/// (oldest first) and each agent's own capacity. Per-agent counts are not here: they are rebuilt from the
/// <c>conversations</c> table, which is never more than a moment behind the conversation grains.
/// </summary>
[GenerateSerializer, Alias("Flexoraa.Assignment.AutoAssignmentState")]
public sealed class AutoAssignmentState
{
    [Id(0)] public List<string> Rotation { get; set; } = [];
    [Id(1)] public List<string> Queue { get; set; } = [];
    [Id(2)] public Dictionary<string, int> Capacities { get; set; } = new(StringComparer.Ordinal);
}

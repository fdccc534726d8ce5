namespace Flexoraa.Tenants;

/// <summary>
/// Round-robin auto-assignment of new and reopened conversations to online agents. <see cref="DefaultCapacity"/> is how
/// many open or pending conversations an agent may hold before they are skipped; a member's own capacity overrides it.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Tenants.AutoAssignmentSettings")]
public sealed record AutoAssignmentSettings(
    [property: Id(0)] bool Enabled = false,
    [property: Id(1)] int DefaultCapacity = AutoAssignmentSettings.StandardCapacity)
{
    public const int StandardCapacity = 10;
    public const int MaxCapacity = 1000;

    public static AutoAssignmentSettings Default { get; } = new();
}

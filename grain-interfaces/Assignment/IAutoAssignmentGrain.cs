using System.Collections.Immutable;
using Flexoraa.Tenants;
using Orleans.Concurrency;

namespace Flexoraa.Assignment;

/// <summary>
/// Round-robin auto-assignment for one tenant, key = tenant id. It keeps the rotation order and the queue of
/// conversations waiting for an agent (both persisted), and each agent's open + pending count (rebuilt from the
/// <c>conversations</c> table on activation, then kept current by the conversations' own reports).
/// <para>
/// The notifications are one-way on purpose: this grain calls conversation grains to assign them, so a conversation
/// grain that waited on this one could deadlock with it. Conversation, tenant and presence grains therefore tell it
/// and move on; it is the only side that waits.
/// </para>
/// </summary>
[Alias("Flexoraa.Assignment.IAutoAssignmentGrain")]
public interface IAutoAssignmentGrain : IGrainWithStringKey
{
    /// <summary>A conversation's assignee or status changed, or (<see cref="ConversationWorkload.NeedsAgent"/>) it wants an agent.</summary>
    [Alias("ConversationChanged"), OneWay]
    Task ConversationChanged(ConversationWorkload workload);

    /// <summary>The agent can take conversations now (online) or no longer can (away or offline).</summary>
    [Alias("AvailabilityChanged"), OneWay]
    Task AvailabilityChanged(string userId, bool available);

    [Alias("SettingsChanged"), OneWay]
    Task SettingsChanged(AutoAssignmentSettings settings);

    /// <summary>The tenant's members after a change: who may be assigned depends on the role.</summary>
    [Alias("MembersChanged"), OneWay]
    Task MembersChanged(ImmutableArray<TenantMember> members);

    /// <summary>The agent's own cap on open + pending conversations; null goes back to the tenant's default.</summary>
    [Alias("SetCapacity")]
    Task SetCapacity(string userId, int? capacity);

    [Alias("Snapshot")]
    Task<AutoAssignmentSnapshot> Snapshot();
}

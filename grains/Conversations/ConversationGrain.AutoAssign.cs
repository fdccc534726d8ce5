using Flexoraa.Assignment;
using Microsoft.Extensions.Logging;

namespace Flexoraa.Conversations;

/// <summary>
/// The conversation's side of auto-assignment: it reports its workload (assignee, open or not) to the tenant's
/// <see cref="IAutoAssignmentGrain"/> whenever that changes, asks for an agent on its first inbound message and when it
/// reopens, and takes the agent auto-assignment offers through the ordinary <see cref="Assign"/> path.
/// </summary>
public sealed partial class ConversationGrain
{
    /// <summary>No user: <see cref="AssignmentChanged.ChangedByUserId"/> null means the system assigned it.</summary>
    private static readonly ConversationActor AutoAssignmentActor = new(UserId: null, OwnWorkOnly: false);

    public async Task<ConversationWorkload> AutoAssign(string userId)
    {
        // Someone may have assigned or closed it while it waited; then the offer lapses and the answer says why.
        if (state.State.ContactId is not null && state.State.AssigneeUserId is null && CountsAgainstCapacity(state.State.Status))
        {
            var result = await Assign(new AssignConversation(userId, AutoAssignmentActor));
            if (result.Outcome != ConversationChangeOutcome.Changed)
            {
                logger.LogInformation("Conversation {Key} refused auto-assignment to {User}: {Outcome} {Error}", this.GetPrimaryKeyString(), userId, result.Outcome, result.Error);
            }
        }
        return Workload(needsAgent: false);
    }

    /// <summary>Open and pending conversations are the ones an agent is working; resolved and snoozed ones free their slot.</summary>
    private static bool CountsAgainstCapacity(ConversationStatus status) => status is ConversationStatus.Open or ConversationStatus.Pending;

    private ConversationWorkload Workload(bool needsAgent) =>
        new(_conversationId, state.State.AssigneeUserId, CountsAgainstCapacity(state.State.Status), needsAgent);

    /// <summary>
    /// One-way, so it never waits on auto-assignment (which may be waiting on this grain). A lost report only skews a
    /// count until auto-assignment's next activation rebuilds it from the read model.
    /// </summary>
    private async Task ReportWorkloadAsync(bool needsAgent = false)
    {
        if (state.State.ContactId is null) return;
        try
        {
            await GrainFactory.GetGrain<IAutoAssignmentGrain>(_tenantId).ConversationChanged(Workload(needsAgent));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not report the workload of conversation {Key} to auto-assignment", this.GetPrimaryKeyString());
        }
    }
}

using Flexoraa.Assignment;
using Microsoft.Extensions.Logging;

namespace Flexoraa.Conversations;

/// <summary>
/// The conversation's side of auto-assignment: it reports its workload (assignee, open or not) to the tenant's
/// <see cref="IAutoAssignmentGrain"/> whenever that changes, asks for an agent on its first inbound message and when it
/// reopens, and takes the agent auto-assignment offers through the ordinary <see cref="Apply"/> path.
/// </summary>
public sealed partial class ConversationGrain
{
    public async Task<ConversationWorkload> AutoAssign(string userId)
    {
        // Someone may have assigned or closed it while it waited; then the offer lapses and the answer says why.
        if (state.State.ContactId is not null && await WorkflowStateAsync() is { AssigneeUserId: null, CountsAgainstCapacity: true })
        {
            // The system's actor: AssignmentChanged.ChangedByUserId null means the system assigned it; no origin, so no audit entry.
            var result = await Apply(new ConversationChange(SystemActor, SetsAssignee: true, AssigneeUserId: userId));
            if (result.Outcome != ConversationChangeOutcome.Changed)
            {
                logger.LogInformation("Conversation {Key} refused auto-assignment to {User}: {Outcome} {Error}", this.GetPrimaryKeyString(), userId, result.Outcome, result.Error);
            }
        }
        return Workload(await WorkflowStateAsync(), needsAgent: false);
    }

    private ConversationWorkload Workload(ConversationWorkflowState? workflow, bool needsAgent) =>
        new(_conversationId, workflow?.AssigneeUserId, workflow?.CountsAgainstCapacity ?? false, needsAgent);

    /// <summary>
    /// One-way, so it never waits on auto-assignment (which may be waiting on this grain). A lost report only skews a
    /// count until auto-assignment's next activation rebuilds it from the read model.
    /// </summary>
    private async Task ReportWorkloadAsync(bool needsAgent = false)
    {
        if (state.State.ContactId is null) return;
        try
        {
            if (await WorkflowStateAsync() is not { } workflow) return;
            await GrainFactory.GetGrain<IAutoAssignmentGrain>(_tenantId).ConversationChanged(Workload(workflow, needsAgent));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not report the workload of conversation {Key} to auto-assignment", this.GetPrimaryKeyString());
        }
    }
}

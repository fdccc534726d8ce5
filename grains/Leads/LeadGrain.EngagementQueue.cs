using System.Collections.Immutable;

namespace Flexoraa.Leads;

/// <summary>
/// Runs of conversation events queue on the lead and are written together. Profiled on the ingest bench (100 contacts,
/// 20,000 messages): one write per run, each waiting for the silo's group commit in the lead's turn, left about 7,900
/// runs queued as Orleans messages when every message was already stored; they held the heap at six times its size and
/// competed with the message writes. Now a run joins <see cref="_queuedEngagements"/> in an interleaved call, and one
/// non-interleaved turn writes all that queued while the previous write was in flight.
/// </summary>
public sealed partial class LeadGrain
{
    private List<ConversationEngagement>? _queuedEngagements;

    /// <summary>A <see cref="WriteQueuedEngagements"/> turn is on its way or running; later runs just join the queue.</summary>
    private bool _engagementWriteScheduled;

    /// <summary>
    /// Interleaved with any turn, so it only touches the queue (turns are still one at a time on the grain's scheduler,
    /// so the list needs no lock) and schedules the writing turn when none is coming.
    /// </summary>
    public Task RecordConversationEngagements(ImmutableArray<ConversationEngagement> engagements)
    {
        if (engagements.IsDefaultOrEmpty) return Task.CompletedTask;
        (_queuedEngagements ??= []).AddRange(engagements);
        return ScheduleEngagementWriteAsync();
    }

    /// <summary>
    /// One write for the whole queue, then back to the end of the grain's queue if more came in meanwhile, so a lead in a
    /// storm of messages still serves its API calls between writes.
    /// </summary>
    public async Task WriteQueuedEngagements()
    {
        _engagementWriteScheduled = false;
        await WriteQueueAsync();
        if (_queuedEngagements is { Count: > 0 }) await ScheduleEngagementWriteAsync();
    }

    private Task ScheduleEngagementWriteAsync()
    {
        if (_engagementWriteScheduled) return Task.CompletedTask;
        _engagementWriteScheduled = true;
        // One-way to itself: completes once the message is queued, so the interleaved caller never waits for a write.
        return this.AsReference<ILeadGrain>().WriteQueuedEngagements();
    }

    private async Task WriteQueueAsync()
    {
        if (_queuedEngagements is not { Count: > 0 } queued) return;
        _queuedEngagements = null;
        await WriteEngagementsAsync([.. queued]);
    }
}

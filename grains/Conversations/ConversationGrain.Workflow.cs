using System.Collections.Immutable;
using Flexoraa.Realtime;
using Flexoraa.Tenants;
using Microsoft.Extensions.Logging;

namespace Flexoraa.Conversations;

/// <summary>
/// The conversation's workflow: status (with snooze), assignee, tags and read state, changed by <see cref="Apply"/>.
/// <para>
/// A change is one transaction. Orleans' grain storage writes on its own connection, so grain state and the
/// <c>conversations</c> row can never commit together; the row is therefore the workflow's state of record
/// (<see cref="ConversationStore"/>), written with the change's audit entries in one <c>COMMIT</c>. The grain takes the
/// new workflow into memory only after that commit and publishes only then, so a failure anywhere before it leaves
/// nothing behind: no row change, no audit entry, no in-memory change, no event. The in-memory copy is read from the
/// row on first use after activation, and the grain's turn serializes changes, so the copy is always the committed row.
/// </para>
/// </summary>
public sealed partial class ConversationGrain
{
    public const string SnoozeReminderName = "snooze";

    /// <summary>Reminders may tick a little early; a snooze this close to its end counts as over.</summary>
    private static readonly TimeSpan SnoozeTolerance = TimeSpan.FromSeconds(1);

    /// <summary>No user: the system's own changes (the end of a snooze, auto-assignment) are not audited.</summary>
    private static readonly ConversationActor SystemActor = new(UserId: null, OwnWorkOnly: false);

    /// <summary>The last committed workflow of the row; null until first read after activation.</summary>
    private ConversationWorkflowState? _workflow;

    public async Task<ConversationWorkflow?> Workflow()
    {
        if (state.State.ContactId is null || await WorkflowStateAsync() is not { } workflow) return null;
        return workflow.ToWorkflow(await stores.Conversations.UnreadCountAsync(_tenantId, _conversationId));
    }

    public async Task<ConversationChangeResult> Apply(ConversationChange change)
    {
        if (await RefuseAsync(change.Actor) is { } refused) return refused;
        var before = _workflow!;
        var after = before;

        // Every part is checked before anything is written, assignment first (the part most likely to be refused).
        if (change.SetsAssignee)
        {
            var assignee = change.AssigneeUserId;
            if (change.Actor.OwnWorkOnly && assignee is not null && assignee != change.Actor.UserId)
            {
                return ConversationChangeResult.Forbidden("You may only assign conversations to yourself.");
            }
            if (assignee is not null && await GrainFactory.GetGrain<ITenantGrain>(_tenantId).GetMember(assignee) is null)
            {
                return ConversationChangeResult.Invalid("assigneeUserId", "The assignee must be a member of this tenant.");
            }
            after = after with { AssigneeUserId = assignee };
        }
        var snoozing = change.Status == ConversationStatus.Snoozed;
        if (snoozing && change.SnoozeUntil is null)
        {
            return ConversationChangeResult.Invalid("snoozeUntil", "'snoozeUntil' is required to snooze a conversation.");
        }
        if (snoozing && change.SnoozeUntil <= clock.GetUtcNow())
        {
            return ConversationChangeResult.Invalid("snoozeUntil", "'snoozeUntil' must be in the future.");
        }
        if (!snoozing && change.SnoozeUntil is not null)
        {
            return ConversationChangeResult.Invalid("snoozeUntil", "'snoozeUntil' is only allowed with status 'snoozed'.");
        }
        if (change.Status is { } status)
        {
            after = after with { Status = status, SnoozeUntil = snoozing ? AsStored(change.SnoozeUntil!.Value) : null };
        }
        if (change.Tags is { } requested)
        {
            if (!ConversationTags.TryNormalize(requested.IsDefault ? [] : requested, out var tags, out var error))
            {
                return ConversationChangeResult.Invalid("tags", error!);
            }
            after = after with { Tags = tags };
        }
        return await CommitAsync(change, before, after);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != SnoozeReminderName) return;
        var workflow = await WorkflowStateAsync();
        if (workflow is { Status: ConversationStatus.Snoozed } && workflow.SnoozeUntil > clock.GetUtcNow() + SnoozeTolerance) return;
        if (workflow is { Status: ConversationStatus.Snoozed })
        {
            // Unregisters the reminder after the commit, as every change away from snoozed does.
            await CommitAsync(new ConversationChange(SystemActor, Status: ConversationStatus.Open), workflow,
                workflow with { Status = ConversationStatus.Open, SnoozeUntil = null });
            return;
        }
        await ForgetSnoozeReminderAsync();
    }

    /// <summary>
    /// Writes a validated change and its audit entries in one transaction, then takes it into memory, registers or drops
    /// the snooze reminder, publishes and reports the workload. Nothing after the commit can undo it, and nothing before
    /// it is visible: a failure there propagates with the row, the audit log, this grain and the tenant's stream as they were.
    /// </summary>
    private async Task<ConversationChangeResult> CommitAsync(ConversationChange change, ConversationWorkflowState before, ConversationWorkflowState after)
    {
        var snoozing = change.Status == ConversationStatus.Snoozed;
        // Before the commit: a snooze committed without its reminder would never end, while a reminder left by a change
        // that then failed finds the conversation not snoozed (or snoozed until later) when it ticks, and does no harm.
        if (snoozing) await RegisterSnoozeReminderAsync(after.SnoozeUntil!.Value);

        ImmutableArray<ConversationAuditEntry> audit = change.Origin is null ? [] : ConversationChangeAudit.Entries(change, before, after);
        if (await stores.Conversations.CommitChangeAsync(_tenantId, _conversationId, after, change.MarkRead, change.Actor, change.Origin, audit) is not { } activity)
        {
            return ConversationChangeResult.NotFound;
        }
        _workflow = after;

        if (change.Status is not null && !snoozing) await ForgetSnoozeReminderAsync();
        var updates = ImmutableArray.CreateBuilder<TenantUpdate>(2);
        updates.Add(new ConversationUpdated(_tenantId, _conversationId, clock.GetUtcNow(), state.State.Contact(), activity.LastMessagePreview,
            activity.LastMessageAt, activity.LastInboundAt + ServiceWindow, change.Status is null ? null : ConversationStatuses.Name(after.Status),
            activity.UnreadCount, change.Tags is null ? null : after.Tags));
        if (before.AssigneeUserId != after.AssigneeUserId)
        {
            updates.Add(new AssignmentChanged(_tenantId, _conversationId, clock.GetUtcNow(), after.AssigneeUserId, before.AssigneeUserId, change.Actor.UserId));
        }
        await PublishAllAsync(updates.ToImmutable());
        if (before.Status != ConversationStatus.Resolved && after.Status == ConversationStatus.Resolved)
        {
            await TellLeadAsync([new Flexoraa.Leads.ConversationEngagement(Flexoraa.Leads.ConversationEngagementKind.ConversationResolved, _conversationId, null, clock.GetUtcNow())]);
        }
        if (change.SetsAssignee || change.Status is not null)
        {
            await ReportWorkloadAsync(needsAgent: !before.CountsAgainstCapacity && after.CountsAgainstCapacity);
        }
        return new ConversationChangeResult(ConversationChangeOutcome.Changed, after.ToWorkflow(activity.UnreadCount));
    }

    /// <summary>
    /// A customer writing again needs an answer, so a resolved or snoozed conversation opens. The row was opened by the
    /// message's own statement (<see cref="AppendMessageWrite.Reopens"/>); this takes the committed change into memory.
    /// </summary>
    private async Task TakeReopenAsync()
    {
        var wasSnoozed = _workflow is { Status: ConversationStatus.Snoozed };
        _workflow = _workflow! with { Status = ConversationStatus.Open, SnoozeUntil = null };
        if (wasSnoozed) await ForgetSnoozeReminderAsync();
    }

    /// <summary>
    /// The SDR rule, and no changes to a conversation that has never had a message. When it lets the actor through, the
    /// committed workflow is in <see cref="_workflow"/>.
    /// </summary>
    private async Task<ConversationChangeResult?> RefuseAsync(ConversationActor actor)
    {
        if (state.State.ContactId is null || await WorkflowStateAsync() is not { } workflow) return ConversationChangeResult.NotFound;
        if (actor.OwnWorkOnly && workflow.AssigneeUserId is { } assignee && assignee != actor.UserId)
        {
            return ConversationChangeResult.Forbidden("This conversation is assigned to someone else.");
        }
        return null;
    }

    /// <summary>
    /// The committed workflow: read at activation, and again here only while the row did not exist then (a new
    /// conversation, whose first message creates it); null while the row does not exist.
    /// </summary>
    private async ValueTask<ConversationWorkflowState?> WorkflowStateAsync()
    {
        if (_workflow is not null) return _workflow;
        return _workflow = WithLegacySnooze(await stores.Conversations.WorkflowAsync(_tenantId, _conversationId));
    }

    /// <summary>
    /// Snoozed before the row kept the snooze's end (migration 0021): the grain's earlier state has it. Without it, the
    /// snooze ends now rather than never.
    /// </summary>
    private ConversationWorkflowState? WithLegacySnooze(ConversationWorkflowState? stored) =>
        stored is { Status: ConversationStatus.Snoozed, SnoozeUntil: null } ? stored with { SnoozeUntil = state.State.SnoozeUntil ?? clock.GetUtcNow() } : stored;

    /// <summary>PostgreSQL keeps microseconds: hold what the row holds, so a re-read compares equal to what was written.</summary>
    private static DateTimeOffset AsStored(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return utc.AddTicks(-(utc.Ticks % (TimeSpan.TicksPerMillisecond / 1000)));
    }

    /// <summary>Due when the snooze ends; the period (Orleans' minimum) only matters if that tick is lost.</summary>
    private async Task RegisterSnoozeReminderAsync(DateTimeOffset until)
    {
        var due = until - clock.GetUtcNow();
        var minimum = reminderOptions.Value.MinimumReminderPeriod;
        await this.RegisterOrUpdateReminder(SnoozeReminderName, due > TimeSpan.Zero ? due : TimeSpan.Zero,
            minimum > TimeSpan.FromMinutes(1) ? minimum : TimeSpan.FromMinutes(1));
    }

    private async Task ForgetSnoozeReminderAsync()
    {
        try
        {
            if (await this.GetReminder(SnoozeReminderName) is { } reminder) await this.UnregisterReminder(reminder);
        }
        catch (Exception e)
        {
            // A stale reminder is harmless: its tick finds the conversation not snoozed and unregisters itself.
            logger.LogWarning(e, "Could not unregister the snooze reminder of conversation {Key}", this.GetPrimaryKeyString());
        }
    }
}

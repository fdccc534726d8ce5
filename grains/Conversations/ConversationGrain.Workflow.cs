using System.Collections.Immutable;
using Flexoraa.Realtime;
using Flexoraa.Tenants;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Flexoraa.Conversations;

/// <summary>
/// The conversation's workflow: status (with snooze), assignee, tags and read state. The grain's state is the truth;
/// every change is mirrored to the <c>conversations</c> row in one tenant-scoped transaction and announced on the
/// tenant's update stream.
/// </summary>
public sealed partial class ConversationGrain
{
    public const string SnoozeReminderName = "snooze";

    /// <summary>Reminders may tick a little early; a snooze this close to its end counts as over.</summary>
    private static readonly TimeSpan SnoozeTolerance = TimeSpan.FromSeconds(1);

    private ImmutableArray<string> Tags => state.State.Tags.IsDefault ? [] : state.State.Tags;

    public async Task<ConversationWorkflow?> Workflow()
    {
        if (state.State.ContactId is null) return null;
        return ToWorkflow(await UnreadCountAsync());
    }

    public async Task<ConversationChangeResult> SetStatus(SetConversationStatus request)
    {
        if (Refuse(request.Actor) is { } refused) return refused;
        var snoozing = request.Status == ConversationStatus.Snoozed;
        if (snoozing && request.SnoozeUntil is null)
        {
            return ConversationChangeResult.Invalid("snoozeUntil", "'snoozeUntil' is required to snooze a conversation.");
        }
        if (snoozing && request.SnoozeUntil <= clock.GetUtcNow())
        {
            return ConversationChangeResult.Invalid("snoozeUntil", "'snoozeUntil' must be in the future.");
        }
        if (!snoozing && request.SnoozeUntil is not null)
        {
            return ConversationChangeResult.Invalid("snoozeUntil", "'snoozeUntil' is only allowed with status 'snoozed'.");
        }

        var reopening = !CountsAgainstCapacity(state.State.Status) && CountsAgainstCapacity(request.Status);
        state.State.Status = request.Status;
        state.State.SnoozeUntil = snoozing ? request.SnoozeUntil!.Value.ToUniversalTime() : null;
        await state.WriteStateAsync();
        // The reminder is registered after the state is stored, so a tick always finds the snooze it was made for.
        if (snoozing) await RegisterSnoozeReminderAsync(state.State.SnoozeUntil!.Value);
        else await ForgetSnoozeReminderAsync();
        var result = await MirrorAndPublishAsync("status = @status", p => p.AddWithValue("status", ConversationStatuses.Name(request.Status)), statusChanged: true);
        await ReportWorkloadAsync(needsAgent: reopening);
        return result;
    }

    public async Task<ConversationChangeResult> Assign(AssignConversation request)
    {
        if (Refuse(request.Actor) is { } refused) return refused;
        var assignee = request.AssigneeUserId;
        if (request.Actor.OwnWorkOnly && assignee is not null && assignee != request.Actor.UserId)
        {
            return ConversationChangeResult.Forbidden("You may only assign conversations to yourself.");
        }
        if (assignee is not null && await GrainFactory.GetGrain<ITenantGrain>(_tenantId).GetMember(assignee) is null)
        {
            return ConversationChangeResult.Invalid("assigneeUserId", "The assignee must be a member of this tenant.");
        }

        var previous = state.State.AssigneeUserId;
        state.State.AssigneeUserId = assignee;
        await state.WriteStateAsync();
        var result = await MirrorAndPublishAsync("assignee_user_id = @assignee", p => p.AddWithValue("assignee", (object?)assignee ?? DBNull.Value));
        if (result.Outcome == ConversationChangeOutcome.Changed && previous != assignee)
        {
            await PublishAsync(new AssignmentChanged(_tenantId, _conversationId, clock.GetUtcNow(), assignee, previous, request.Actor.UserId));
        }
        await ReportWorkloadAsync();
        return result;
    }

    public async Task<ConversationChangeResult> SetTags(SetConversationTags request)
    {
        if (Refuse(request.Actor) is { } refused) return refused;
        if (!ConversationTags.TryNormalize(request.Tags.IsDefault ? [] : request.Tags, out var tags, out var error))
        {
            return ConversationChangeResult.Invalid("tags", error!);
        }
        state.State.Tags = tags;
        await state.WriteStateAsync();
        return await MirrorAndPublishAsync("tags = @tags", p => p.AddWithValue("tags", tags.ToArray()), tagsChanged: true);
    }

    public async Task<ConversationChangeResult> MarkRead(ConversationActor actor)
    {
        if (Refuse(actor) is { } refused) return refused;
        return await MirrorAndPublishAsync("unread_count = 0", _ => { });
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != SnoozeReminderName) return;
        if (state.State.Status == ConversationStatus.Snoozed && state.State.SnoozeUntil > clock.GetUtcNow() + SnoozeTolerance) return;
        if (state.State.Status == ConversationStatus.Snoozed)
        {
            state.State.Status = ConversationStatus.Open;
            state.State.SnoozeUntil = null;
            await state.WriteStateAsync();
            await MirrorAndPublishAsync("status = @status", p => p.AddWithValue("status", ConversationStatuses.Name(ConversationStatus.Open)), statusChanged: true);
            await ReportWorkloadAsync(needsAgent: true);
        }
        await ForgetSnoozeReminderAsync();
    }

    /// <summary>
    /// A customer writing again needs an answer, so a resolved or snoozed conversation opens. Called after the message is
    /// stored (its row exists); the caller persists the state. True when it reopened.
    /// </summary>
    private async Task<bool> ReopenOnInboundAsync()
    {
        if (state.State.Status is not (ConversationStatus.Resolved or ConversationStatus.Snoozed)) return false;
        var wasSnoozed = state.State.Status == ConversationStatus.Snoozed;
        state.State.Status = ConversationStatus.Open;
        state.State.SnoozeUntil = null;
        await using (var session = await database.BeginAsync(_tenantId))
        {
            await using var command = session.Command("UPDATE conversations SET status = 'open', updated_at = now() WHERE tenant_id = @tenant AND id = @id");
            command.Parameters.AddWithValue("tenant", _tenantId);
            command.Parameters.AddWithValue("id", _conversationId);
            await command.ExecuteNonQueryAsync();
            await session.CommitAsync();
        }
        if (wasSnoozed) await ForgetSnoozeReminderAsync();
        return true;
    }

    /// <summary>The SDR rule, and no changes to a conversation that has never had a message.</summary>
    private ConversationChangeResult? Refuse(ConversationActor actor)
    {
        if (state.State.ContactId is null) return ConversationChangeResult.NotFound;
        if (actor.OwnWorkOnly && state.State.AssigneeUserId is { } assignee && assignee != actor.UserId)
        {
            return ConversationChangeResult.Forbidden("This conversation is assigned to someone else.");
        }
        return null;
    }

    private async Task<ConversationChangeResult> MirrorAndPublishAsync(
        string assignments, Action<NpgsqlParameterCollection> parameters, bool statusChanged = false, bool tagsChanged = false)
    {
        await using var session = await database.BeginAsync(_tenantId);
        await using var command = session.Command($"""
            UPDATE conversations SET {assignments}, updated_at = now() WHERE tenant_id = @tenant AND id = @id
            RETURNING contact_name, last_message_preview, last_message_at, last_inbound_at, unread_count
            """);
        command.Parameters.AddWithValue("tenant", _tenantId);
        command.Parameters.AddWithValue("id", _conversationId);
        parameters(command.Parameters);
        string? contactName, preview;
        DateTimeOffset? lastMessageAt, lastInboundAt;
        int unread;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            if (!await reader.ReadAsync()) return ConversationChangeResult.NotFound;
            contactName = reader.IsDBNull(0) ? null : reader.GetString(0);
            preview = reader.IsDBNull(1) ? null : reader.GetString(1);
            lastMessageAt = reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2);
            lastInboundAt = reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3);
            unread = reader.GetInt32(4);
        }
        await session.CommitAsync();

        await PublishAsync(new ConversationUpdated(_tenantId, _conversationId, clock.GetUtcNow(), contactName, preview, lastMessageAt,
            lastInboundAt + ServiceWindow, statusChanged ? ConversationStatuses.Name(state.State.Status) : null, unread, tagsChanged ? Tags : null));
        return new ConversationChangeResult(ConversationChangeOutcome.Changed, ToWorkflow(unread));
    }

    private async Task<int> UnreadCountAsync()
    {
        await using var session = await database.BeginAsync(_tenantId);
        await using var command = session.Command("SELECT unread_count FROM conversations WHERE tenant_id = @tenant AND id = @id");
        command.Parameters.AddWithValue("tenant", _tenantId);
        command.Parameters.AddWithValue("id", _conversationId);
        return await command.ExecuteScalarAsync() is int n ? n : 0;
    }

    private ConversationWorkflow ToWorkflow(int unread) =>
        new(state.State.Status, state.State.SnoozeUntil, state.State.AssigneeUserId, Tags, unread);

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

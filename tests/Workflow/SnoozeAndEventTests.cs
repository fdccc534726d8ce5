using System.Net;
using Flexoraa.Conversations;
using Flexoraa.Realtime;
using Flexoraa.Tests.ChannelAccounts;
using Flexoraa.Tests.Inbox;
using Flexoraa.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Flexoraa.Tests.Workflow;

/// <summary>
/// A snooze ends by its durable reminder (for real, and by a tick delivered straight to the grain), and every workflow
/// change is an event on the tenant's update stream.
/// </summary>
public sealed class SnoozeAndEventTests(MetaAppFrontend fixture) : IClassFixture<MetaAppFrontend>
{
    private readonly TestFrontend _frontend = fixture.Frontend;
    private IGrainFactory Grains => _frontend.Services.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task A_snoozed_conversation_reopens_when_its_reminder_fires()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        await inbox.SendAsync("919830000001", "call me next week", DateTimeOffset.UtcNow);
        await inbox.WaitForMessagesAsync();
        var id = inbox.ConversationIdOf("919830000001");

        var snooze = await ConversationWorkflowTests.PatchAsync(inbox.Owner.Http, id, new { status = "snoozed", snoozeUntil = DateTimeOffset.UtcNow.AddSeconds(2) });
        Assert.Equal(HttpStatusCode.OK, snooze.StatusCode);

        var open = await Eventually.Get(() => ConversationWorkflowTests.IdsAsync(inbox.Owner.Http, "status=open"), ids => ids.Count == 1,
            TimeSpan.FromSeconds(45), "the snooze reminder reopening the conversation");
        Assert.Equal([id], open);
        var workflow = await Grains.GetGrain<IConversationGrain>(ConversationKeys.GrainKey(inbox.TenantId, id)).Workflow();
        Assert.Equal(ConversationStatus.Open, workflow!.Status);
        Assert.Null(workflow.SnoozeUntil);
    }

    [Fact]
    public async Task A_reminder_tick_reopens_only_once_the_snooze_has_ended()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        await inbox.SendAsync("919830000011", "later please", DateTimeOffset.UtcNow);
        await inbox.WaitForMessagesAsync();
        var id = inbox.ConversationIdOf("919830000011");
        var grain = Grains.GetGrain<IConversationGrain>(ConversationKeys.GrainKey(inbox.TenantId, id));
        var actor = new ConversationActor(inbox.Owner.UserId, OwnWorkOnly: false);

        var snoozed = await grain.Apply(new ConversationChange(actor, ConversationStatus.Snoozed, DateTimeOffset.UtcNow.AddDays(1)));
        Assert.Equal(ConversationChangeOutcome.Changed, snoozed.Outcome);
        var remindable = grain.AsReference<IRemindable>();
        await remindable.ReceiveReminder(ConversationGrain.SnoozeReminderName, default);
        Assert.Equal(ConversationStatus.Snoozed, (await grain.Workflow())!.Status);

        await grain.Apply(new ConversationChange(actor, ConversationStatus.Snoozed, DateTimeOffset.UtcNow.AddMilliseconds(300)));
        await Task.Delay(TimeSpan.FromMilliseconds(400));
        await remindable.ReceiveReminder(ConversationGrain.SnoozeReminderName, default);

        Assert.Equal(ConversationStatus.Open, (await grain.Workflow())!.Status);
        Assert.Equal([id], await ConversationWorkflowTests.IdsAsync(inbox.Owner.Http, "status=open"));
    }

    [Fact]
    public async Task Every_workflow_change_is_an_event_on_the_tenants_update_stream()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        await inbox.SendAsync("919830000021", "hi", DateTimeOffset.UtcNow);
        await inbox.WaitForMessagesAsync();
        var id = inbox.ConversationIdOf("919830000021");
        var updates = Grains.GetGrain<ITenantUpdatesGrain>(inbox.TenantId);
        var before = (await updates.Since(0)).LatestSequence;

        await ConversationWorkflowTests.PatchAsync(inbox.Owner.Http, id, new { assigneeUserId = inbox.Owner.UserId, status = "pending", tags = new[] { "VIP" } });
        await inbox.Owner.Http.PostAsync($"/api/v1/conversations/{id}/read", null);

        var events = (await updates.Since(before)).Updates.Select(u => u.Update).ToList();
        var assignment = Assert.Single(events.OfType<AssignmentChanged>());
        Assert.Equal(inbox.Owner.UserId, assignment.AssigneeUserId);
        Assert.Null(assignment.PreviousAssigneeUserId);
        Assert.Equal(inbox.Owner.UserId, assignment.ChangedByUserId);
        var updated = events.OfType<ConversationUpdated>().ToList();
        Assert.All(updated, u => Assert.Equal(id, u.ConversationId));
        Assert.Contains(updated, u => u.Status == "pending");
        Assert.Contains(updated, u => u.Tags is { } tags && tags.SequenceEqual(["vip"]));
        Assert.Equal(0, updated[^1].UnreadCount);
    }
}

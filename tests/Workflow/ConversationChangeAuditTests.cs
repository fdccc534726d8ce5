using Flexoraa.Conversations;

namespace Flexoraa.Tests.Workflow;

/// <summary>Which audit entries one change makes, from the workflow before and after it: what changed, never what was merely asked.</summary>
public sealed class ConversationChangeAuditTests
{
    private static readonly ConversationActor Owner = new("us_owner", OwnWorkOnly: false);
    private static readonly DateTimeOffset Until = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly ConversationWorkflowState Open = new(ConversationStatus.Open, null, null, []);

    public static TheoryData<string, ConversationChange, ConversationWorkflowState, string[]> Cases => new()
    {
        { "status changed", new(Owner, ConversationStatus.Resolved), Open with { Status = ConversationStatus.Resolved }, ["conversation.status_changed from=open to=resolved"] },
        { "same status again", new(Owner, ConversationStatus.Open), Open, [] },
        { "snoozed", new(Owner, ConversationStatus.Snoozed, Until), Open with { Status = ConversationStatus.Snoozed, SnoozeUntil = Until },
            ["conversation.snoozed from=open to=snoozed snoozeUntil=2026-12-03T09:00:00.0000000+00:00"] },
        { "assigned", new(Owner, SetsAssignee: true, AssigneeUserId: "us_a"), Open with { AssigneeUserId = "us_a" }, ["conversation.assigned from= to=us_a"] },
        { "assignee left alone", new(Owner, ConversationStatus.Open), Open, [] },
        { "tags changed", new(Owner, Tags: ["vip"]), Open with { Tags = ["vip"] }, ["conversation.tags_changed from= to=vip added=vip removed="] },
        { "same tags again", new(Owner, Tags: []), Open, [] },
        { "all three, in order", new(Owner, ConversationStatus.Pending, SetsAssignee: true, AssigneeUserId: "us_a", Tags: ["vip"]),
            new ConversationWorkflowState(ConversationStatus.Pending, null, "us_a", ["vip"]),
            ["conversation.assigned from= to=us_a", "conversation.status_changed from=open to=pending", "conversation.tags_changed from= to=vip added=vip removed="] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_change_is_audited_part_by_part_only_where_it_changed_something(
        string what, ConversationChange change, ConversationWorkflowState after, string[] expected)
    {
        var entries = ConversationChangeAudit.Entries(change, Open, after);

        Assert.True(expected.SequenceEqual(entries.Select(e => $"{e.Action} {string.Join(" ", e.Details.Select(d => $"{d.Key}={d.Value}"))}")),
            $"{what}: {string.Join(" | ", entries.Select(e => e.Action))}");
    }

    [Fact]
    public void Unassigning_is_its_own_action_with_the_previous_assignee()
    {
        var before = Open with { AssigneeUserId = "us_a" };
        var entry = Assert.Single(ConversationChangeAudit.Entries(new ConversationChange(Owner, SetsAssignee: true), before, Open));
        Assert.Equal("conversation.unassigned", entry.Action);
        Assert.Equal("us_a", entry.Details["from"]);
        Assert.Null(entry.Details["to"]);
    }
}

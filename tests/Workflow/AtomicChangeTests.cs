using System.Net;
using System.Net.Http.Json;
using Flexoraa.Conversations;
using Flexoraa.Realtime;
using Flexoraa.Tests.ChannelAccounts;
using Flexoraa.Tests.Inbox;
using Flexoraa.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Flexoraa.Tests.Workflow;

/// <summary>
/// A conversation change is all or nothing. The failure is injected between the steps of the write: a trigger on
/// <c>audit_log</c> (for the test's tenant only) fails the audit insert after the <c>conversations</c> row has been
/// updated in the same transaction. Afterwards neither the row, the audit log, the grain nor the tenant's update stream
/// shows any part of the change, and the same change goes through once the failure is gone.
/// </summary>
public sealed class AtomicChangeTests(MetaAppFrontend fixture) : IClassFixture<MetaAppFrontend>
{
    private readonly TestFrontend _frontend = fixture.Frontend;
    private IGrainFactory Grains => _frontend.Services.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task A_patch_whose_audit_entry_fails_changes_nothing_and_announces_nothing()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        await inbox.SendAsync("919850000001", "hello", DateTimeOffset.UtcNow);
        await inbox.WaitForMessagesAsync();
        var id = inbox.ConversationIdOf("919850000001");
        var grain = Grains.GetGrain<IConversationGrain>(ConversationKeys.GrainKey(inbox.TenantId, id));
        var workflowBefore = await grain.Workflow();
        var rowBefore = await RowAsync(inbox, id);
        var updates = Grains.GetGrain<ITenantUpdatesGrain>(inbox.TenantId);
        var sequenceBefore = await SequenceAfterTheInboundMessageAsync(updates);
        var change = new { assigneeUserId = inbox.Owner.UserId, status = "pending", tags = new[] { "vip" } };

        await using (await FailAuditInsertsAsync(inbox.TenantId))
        {
            using var failed = await ConversationWorkflowTests.PatchAsync(inbox.Owner.Http, id, change);
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);

            Assert.Equal(rowBefore, await RowAsync(inbox, id));
            Assert.Empty(await AuditAsync(inbox));
            AssertSameWorkflow(workflowBefore!, (await grain.Workflow())!);
            Assert.Empty((await updates.Since(sequenceBefore)).Updates);
        }

        using var applied = await ConversationWorkflowTests.PatchAsync(inbox.Owner.Http, id, change);
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        var workflow = (await grain.Workflow())!;
        Assert.Equal((ConversationStatus.Pending, inbox.Owner.UserId), (workflow.Status, workflow.AssigneeUserId));
        Assert.Equal(["vip"], workflow.Tags.ToArray());
        Assert.Equal(["pending", inbox.Owner.UserId, "vip"], await RowAsync(inbox, id));
        // The entries' "before" is the committed workflow, not the change that failed.
        Assert.Equal(["conversation.tags_changed:", "conversation.status_changed:open", "conversation.assigned:"], await AuditAsync(inbox));
        // Announcements are one-way: wait for the applied change's, then find none of the failed one's beside it.
        var events = await Eventually.Get(async () => (await updates.Since(sequenceBefore)).Updates.Select(u => u.Update).ToList(),
            e => e.OfType<AssignmentChanged>().Any(), TimeSpan.FromSeconds(10), "the applied change's announcement");
        Assert.Single(events.OfType<AssignmentChanged>());
        Assert.Single(events.OfType<ConversationUpdated>());
    }

    [Fact]
    public async Task A_note_whose_audit_entry_fails_is_not_stored_and_not_announced()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        await inbox.SendAsync("919850000011", "hello", DateTimeOffset.UtcNow);
        await inbox.WaitForMessagesAsync();
        var id = inbox.ConversationIdOf("919850000011");
        var updates = Grains.GetGrain<ITenantUpdatesGrain>(inbox.TenantId);
        var sequenceBefore = await SequenceAfterTheInboundMessageAsync(updates);

        await using (await FailAuditInsertsAsync(inbox.TenantId))
        {
            using var failed = await inbox.Owner.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/notes", new { body = "Call back at 5" });
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }

        Assert.Empty(await OwnerSql.QueryAsync(_frontend, "SELECT id FROM messages WHERE tenant_id = @t AND conversation_id = @id AND direction = 'note'",
            ("t", inbox.TenantId), ("id", id)));
        Assert.Empty(await AuditAsync(inbox));
        Assert.Empty((await updates.Since(sequenceBefore)).Updates);

        // The same note goes through once the failure is gone, and is announced once.
        using var created = await inbox.Owner.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/notes", new { body = "Call back at 5" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(["conversation.note_added:"], await AuditAsync(inbox));
        var events = await Eventually.Get(async () => (await updates.Since(sequenceBefore)).Updates.Select(u => u.Update).ToList(),
            e => e.Count > 0, TimeSpan.FromSeconds(10), "the note's announcement");
        Assert.Equal("Call back at 5", Assert.IsType<MessageReceived>(Assert.Single(events)).Text);
    }

    /// <summary>The inbound message is announced one-way after it is stored; start counting after its announcement.</summary>
    private static async Task<long> SequenceAfterTheInboundMessageAsync(ITenantUpdatesGrain updates) =>
        (await Eventually.Get(() => updates.Since(0), s => s.Updates.Any(u => u.Update is ConversationUpdated), TimeSpan.FromSeconds(10),
            "the inbound message's announcement")).LatestSequence;

    private static void AssertSameWorkflow(ConversationWorkflow expected, ConversationWorkflow actual)
    {
        Assert.Equal((expected.Status, expected.SnoozeUntil, expected.AssigneeUserId, expected.UnreadCount),
            (actual.Status, actual.SnoozeUntil, actual.AssigneeUserId, actual.UnreadCount));
        Assert.Equal(expected.Tags.ToArray(), actual.Tags.ToArray());
    }

    private async Task<List<string?>> RowAsync(InboxTenant inbox, string id)
    {
        var row = Assert.Single(await OwnerSql.QueryAsync(_frontend,
            "SELECT status, assignee_user_id, array_to_string(tags, ',') AS tags FROM conversations WHERE tenant_id = @t AND id = @id",
            ("t", inbox.TenantId), ("id", id)));
        return [(string?)row["status"], (string?)row["assignee_user_id"], (string?)row["tags"]];
    }

    /// <summary>The conversation entries as "action:from status", newest first.</summary>
    private async Task<List<string>> AuditAsync(InboxTenant inbox) =>
        [.. (await OwnerSql.QueryAsync(_frontend,
                "SELECT action, CASE WHEN action = 'conversation.status_changed' THEN details->>'from' ELSE '' END AS from_status FROM audit_log WHERE tenant_id = @t AND target_type = 'conversation' ORDER BY id DESC",
                ("t", inbox.TenantId)))
            .Select(r => $"{r["action"]}:{r["from_status"]}")];

    /// <summary>Until disposed, every audit insert of <paramref name="tenantId"/> fails; other tenants' tests are unaffected.</summary>
    private async Task<IAsyncDisposable> FailAuditInsertsAsync(string tenantId)
    {
        var trigger = "fail_audit_" + Guid.NewGuid().ToString("N");
        await OwnerSql.ExecuteAsync(_frontend, """
            CREATE OR REPLACE FUNCTION test_fail_audit_insert() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RAISE EXCEPTION 'injected audit failure'; END $$
            """);
        await OwnerSql.ExecuteAsync(_frontend, $"""
            CREATE TRIGGER {trigger} BEFORE INSERT ON audit_log FOR EACH ROW
            WHEN (NEW.tenant_id = '{tenantId.Replace("'", "''", StringComparison.Ordinal)}') EXECUTE FUNCTION test_fail_audit_insert()
            """);
        return new Removal(() => OwnerSql.ExecuteAsync(_frontend, $"DROP TRIGGER {trigger} ON audit_log"));
    }

    private sealed class Removal(Func<Task> remove) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await remove();
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Flexoraa.Tenants;
using Flexoraa.Tests.ChannelAccounts;
using Flexoraa.Tests.Inbox;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Workflow;

/// <summary>
/// Workflow changes and notes made through the API are in the audit log: who, what, which conversation, before and after;
/// found by the log's filters. Changes that changed nothing, and refused changes, are not.
/// </summary>
public sealed class WorkflowAuditTests(MetaAppFrontend fixture) : IClassFixture<MetaAppFrontend>
{
    private readonly TestFrontend _frontend = fixture.Frontend;

    [Fact]
    public async Task Status_snooze_assignment_tags_and_notes_are_audited_with_before_and_after()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var id = await ConversationAsync(inbox, "919840000001");
        var owner = inbox.Owner;
        var until = DateTimeOffset.UtcNow.AddDays(1);

        await PatchOkAsync(owner, id, new { status = "pending" });
        await PatchOkAsync(owner, id, new { status = "snoozed", snoozeUntil = until });
        await PatchOkAsync(owner, id, new { assigneeUserId = owner.UserId, tags = new[] { "vip", "billing" } });
        await PatchOkAsync(owner, id, new { tags = new[] { "vip", "refund" } });
        await PatchOkAsync(owner, id, """{"assigneeUserId": null, "status": "resolved"}""");
        Assert.Equal(HttpStatusCode.Created, (await owner.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/notes", new { body = "Called them back" })).StatusCode);

        var entries = await AuditAsync(owner, $"targetType=conversation&targetId={id}");

        Assert.Equal(
            ["conversation.note_added", "conversation.status_changed", "conversation.unassigned", "conversation.tags_changed",
             "conversation.tags_changed", "conversation.assigned", "conversation.snoozed", "conversation.status_changed"],
            entries.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries, e =>
        {
            Assert.Equal(owner.UserId, e.GetProperty("actor").GetProperty("userId").GetString());
            Assert.Equal("conversation", e.GetProperty("target").GetProperty("type").GetString());
            Assert.Equal(id, e.GetProperty("target").GetProperty("id").GetString());
            Assert.Equal("127.0.0.1", e.GetProperty("ip").GetString());
        });
        var details = entries.Select(e => e.GetProperty("details")).ToList();
        AssertDetails(details[7], ("from", "open"), ("to", "pending"));
        AssertDetails(details[6], ("from", "pending"), ("to", "snoozed"));
        Assert.Equal(until.ToUnixTimeSeconds(), DateTimeOffset.Parse(details[6].GetProperty("snoozeUntil").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds());
        AssertDetails(details[5], ("from", null), ("to", owner.UserId));
        AssertDetails(details[4], ("from", ""), ("to", "vip,billing"), ("added", "vip,billing"), ("removed", ""));
        AssertDetails(details[3], ("from", "vip,billing"), ("to", "vip,refund"), ("added", "refund"), ("removed", "billing"));
        AssertDetails(details[2], ("from", owner.UserId), ("to", null));
        AssertDetails(details[1], ("from", "snoozed"), ("to", "resolved"));
        Assert.Equal("16", details[0].GetProperty("length").GetString());
        Assert.DoesNotContain("Called them back", details[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_audit_filters_find_workflow_entries_by_action_actor_and_conversation()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var first = await ConversationAsync(inbox, "919840000011");
        var second = await ConversationAsync(inbox, "919840000012");
        var sdr = await TestMembership.JoinAsync(_frontend, inbox.TenantId, TenantRole.Sdr);

        await PatchOkAsync(inbox.Owner, first, new { status = "resolved" });
        await PatchOkAsync(sdr, second, new { status = "pending" });
        await PatchOkAsync(sdr, second, new { assigneeUserId = sdr.UserId });

        var statusChanges = await AuditAsync(inbox.Owner, "action=conversation.status_changed");
        Assert.Equal([second, first], statusChanges.Select(e => e.GetProperty("target").GetProperty("id").GetString()));
        var bySdr = await AuditAsync(inbox.Owner, $"actorUserId={sdr.UserId}&targetType=conversation");
        Assert.Equal(["conversation.assigned", "conversation.status_changed"], bySdr.Select(e => e.GetProperty("action").GetString()));
        var onFirst = await AuditAsync(inbox.Owner, $"targetId={first}");
        Assert.Equal(inbox.Owner.UserId, Assert.Single(onFirst).GetProperty("actor").GetProperty("userId").GetString());
    }

    [Fact]
    public async Task Changes_that_change_nothing_and_refused_changes_are_not_audited()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var id = await ConversationAsync(inbox, "919840000021");
        var sdr = await TestMembership.JoinAsync(_frontend, inbox.TenantId, TenantRole.Sdr);
        var member = await TestMembership.JoinAsync(_frontend, inbox.TenantId, TenantRole.Member);

        await PatchOkAsync(inbox.Owner, id, new { status = "open", tags = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.Forbidden, (await Patch(sdr, id, new { assigneeUserId = inbox.Owner.UserId })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Patch(inbox.Owner, id, new { status = "closed" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Patch(member, id, new { status = "resolved" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await inbox.Owner.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/notes", new { body = "" })).StatusCode);

        Assert.Empty(await AuditAsync(inbox.Owner, "targetType=conversation"));
    }

    [Fact]
    public async Task A_change_by_an_api_key_names_the_key_as_the_actor()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var id = await ConversationAsync(inbox, "919840000031");
        var key = await (await inbox.Owner.Http.PostAsJsonAsync($"/api/v1/tenants/{inbox.TenantId}/api-keys", new { name = "helpdesk", role = "admin" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        using var client = _frontend.NewClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key.GetProperty("key").GetString());

        using var response = await client.PatchAsync($"/api/v1/conversations/{id}", JsonContent.Create(new { status = "resolved" }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var entry = Assert.Single(await AuditAsync(inbox.Owner, "action=conversation.status_changed"));
        Assert.Equal(key.GetProperty("id").GetString(), entry.GetProperty("actor").GetProperty("apiKeyId").GetString());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("actor").GetProperty("userId").ValueKind);
    }

    private static async Task<string> ConversationAsync(InboxTenant inbox, string contact)
    {
        await inbox.SendAsync(contact, "hello", DateTimeOffset.UtcNow);
        await inbox.WaitForMessagesAsync();
        return inbox.ConversationIdOf(contact);
    }

    private static Task<HttpResponseMessage> Patch(TestUser user, string id, object body) =>
        user.Http.PatchAsync($"/api/v1/conversations/{id}", body is string json ? new StringContent(json, Encoding.UTF8, "application/json") : JsonContent.Create(body));

    private static async Task PatchOkAsync(TestUser user, string id, object body)
    {
        using var response = await Patch(user, id, body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<List<JsonElement>> AuditAsync(TestUser user, string query)
    {
        var page = await user.Http.GetFromJsonAsync<JsonElement>($"/api/v1/audit?{query}");
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    private static void AssertDetails(JsonElement details, params (string Name, string? Value)[] expected)
    {
        foreach (var (name, value) in expected)
        {
            Assert.True(details.TryGetProperty(name, out var actual), $"no '{name}' in {details}");
            Assert.Equal(value, actual.ValueKind == JsonValueKind.Null ? null : actual.GetString());
        }
    }
}

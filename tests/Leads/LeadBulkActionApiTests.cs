using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tenants;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Realtime;

namespace Flexoraa.Tests.Leads;

/// <summary>Bulk actions on leads at /api/v1/lead-bulk-actions, run as jobs.</summary>
public sealed class LeadBulkActionApiTests(FrontendFixture fixture) : IClassFixture<FrontendFixture>, IAsyncLifetime
{
    private readonly TestFrontend _frontend = fixture.Frontend;
    private TestUser _owner = null!;
    private HttpClient Http => _owner.Http;

    public async Task InitializeAsync() => _owner = await TestUser.SignUpAsync(_frontend, company: "Bulk Co");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_stage_change_by_the_lists_filter_moves_only_the_matching_leads_bumps_their_version_and_reports_progress()
    {
        var expo = await CreateAsync(new { firstName = "Expo1", tags = new[] { "expo" } });
        var expo2 = await CreateAsync(new { firstName = "Expo2", tags = new[] { "expo" } });
        var web = await CreateAsync(new { firstName = "Web", tags = new[] { "web" } });
        // Active grains must see the bulk write: read each lead once, so its grain holds the old row.
        foreach (var id in new[] { expo, expo2, web }) Assert.Equal("\"1\"", (await Http.GetAsync($"/api/v1/leads/{id}")).Headers.ETag!.Tag);

        await using var hub = await InboxClient.ConnectAsync(_frontend, _owner.AccessToken);
        var action = await StartAsync(new { action = "changeStage", stageId = "st_qualified", allMatching = true }, "?tag=expo");
        var done = await CompletedAsync(action);
        Assert.Equal(2, done.GetProperty("total").GetInt32());
        Assert.Equal(2, done.GetProperty("changed").GetInt32());

        foreach (var id in new[] { expo, expo2 })
        {
            var read = await Http.GetAsync($"/api/v1/leads/{id}");
            Assert.Equal("\"2\"", read.Headers.ETag!.Tag);
            Assert.Equal("st_qualified", (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stageId").GetString());
            var timeline = await Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{id}/timeline");
            var entry = timeline.GetProperty("items")[0];
            Assert.Equal("stageChanged", entry.GetProperty("kind").GetString());
            Assert.Equal(action, entry.GetProperty("details").GetProperty("bulkActionId").GetString());
        }
        Assert.Equal("st_new", (await Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{web}")).GetProperty("stageId").GetString());
        await hub.NextAsync((name, p) => name == "LeadBulkActionProgress" && p.GetProperty("action").GetProperty("id").GetString() == action
                                         && p.GetProperty("action").GetProperty("status").GetString() == "completed");

        var audit = await OwnerSql.QueryAsync(_frontend, "SELECT action FROM audit_log WHERE tenant_id = @tenant AND target_id = @id ORDER BY id",
            ("tenant", _owner.TenantId), ("id", action));
        Assert.Equal(["lead.bulk_action", "lead.bulk_action.finished"], audit.Select(r => (string)r["action"]!));

        // Running it again changes nothing: the leads are already there.
        var again = await CompletedAsync(await StartAsync(new { action = "changeStage", stageId = "st_qualified", allMatching = true }, "?tag=expo"));
        Assert.Equal(0, again.GetProperty("changed").GetInt32());
        Assert.Equal(2, again.GetProperty("skipped").GetInt32());
    }

    [Fact]
    public async Task Tags_and_owner_change_by_ids_and_a_delete_removes_the_leads_and_unlinks_their_conversations()
    {
        var a = await CreateAsync(new { firstName = "A", tags = new[] { "old", "keep" } });
        var b = await CreateAsync(new { firstName = "B" });
        var member = await TestMembership.JoinAsync(_frontend, _owner.TenantId, TenantRole.Member);

        await CompletedAsync(await StartAsync(new { action = "addTags", leadIds = new[] { a, b }, tags = new[] { "Hot", "KEEP" } }));
        await CompletedAsync(await StartAsync(new { action = "removeTags", leadIds = new[] { a, b }, tags = new[] { "OLD" } }));
        await CompletedAsync(await StartAsync(new { action = "changeOwner", leadIds = new[] { a, b }, ownerUserId = member.UserId }));
        var leadA = await Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{a}");
        Assert.Equal(["keep", "Hot"], leadA.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(member.UserId, leadA.GetProperty("ownerUserId").GetString());
        Assert.Equal(["Hot", "KEEP"], (await Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{b}")).GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        var conversation = "cv_" + Guid.NewGuid().ToString("N")[..20];
        await OwnerSql.ExecuteAsync(_frontend,
            "INSERT INTO conversations (tenant_id, id, channel, channel_account_id, contact_id, contact_name, last_message_at, lead_id) VALUES (@tenant, @id, 'whatsapp', 'ch_bulk', '919900000003', 'Bulk', now(), @lead)",
            ("tenant", _owner.TenantId), ("id", conversation), ("lead", a));
        var deleted = await CompletedAsync(await StartAsync(new { action = "delete", leadIds = new[] { a, b } }));
        Assert.Equal(2, deleted.GetProperty("changed").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/v1/leads/{a}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/v1/leads/{b}")).StatusCode);
        var rows = await OwnerSql.QueryAsync(_frontend, "SELECT lead_id FROM conversations WHERE tenant_id = @tenant AND id = @id", ("tenant", _owner.TenantId), ("id", conversation));
        Assert.Null(rows[0]["lead_id"]);
    }

    [Fact]
    public async Task An_export_writes_the_chosen_columns_formula_safe_and_streams_the_file()
    {
        await CreateAsync(new { firstName = "=HYPERLINK(\"http://evil\")", company = "Sheet Co", phone = "+91 81234 56710", customFields = new { plan = "gold" }, tags = new[] { "csv" } });
        await CreateAsync(new { firstName = "Plain", company = "Plain Co", tags = new[] { "csv" } });
        await CreateAsync(new { firstName = "Other" });

        var action = await StartAsync(new { action = "export", allMatching = true, columns = new[] { "firstName", "company", "phone", "custom.plan" } }, "?tag=csv");
        var done = await CompletedAsync(action);
        Assert.True(done.GetProperty("hasFile").GetBoolean());
        var file = await Http.GetAsync($"/api/v1/lead-bulk-actions/{action}/file");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.StartsWith("text/csv", file.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var lines = (await file.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Concat([]).SelectMany(l => l.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal("firstName,company,phone,custom.plan", lines[0]);
        Assert.Equal(3, lines.Count);
        Assert.Contains(lines, l => l.StartsWith("\"'=HYPERLINK", StringComparison.Ordinal) && l.Contains("'+918123456710", StringComparison.Ordinal) && l.EndsWith(",gold", StringComparison.Ordinal));
        Assert.Contains("Plain,Plain Co,,", lines);

        var change = await StartAsync(new { action = "addTags", leadIds = new[] { await CreateAsync(new { firstName = "NoFile" }) }, tags = new[] { "x" } });
        await CompletedAsync(change);
        Assert.Equal(HttpStatusCode.Conflict, (await Http.GetAsync($"/api/v1/lead-bulk-actions/{change}/file")).StatusCode);
    }

    [Fact]
    public async Task An_sdrs_bulk_action_only_touches_their_own_and_unassigned_leads()
    {
        var sdr = await TestMembership.JoinAsync(_frontend, _owner.TenantId, TenantRole.Sdr);
        var other = await TestMembership.JoinAsync(_frontend, _owner.TenantId, TenantRole.Sdr);
        var own = await CreateAsync(new { firstName = "Own", ownerUserId = sdr.UserId, tags = new[] { "t" } });
        var free = await CreateAsync(new { firstName = "Free", tags = new[] { "t" } });
        var others = await CreateAsync(new { firstName = "Others", ownerUserId = other.UserId, tags = new[] { "t" } });

        var byFilter = await CompletedAsync(await StartAsync(new { action = "addTags", allMatching = true, tags = new[] { "sdr" } }, "?tag=t", sdr.Http), sdr.Http);
        Assert.Equal(2, byFilter.GetProperty("total").GetInt32());
        var byIds = await CompletedAsync(await StartAsync(new { action = "delete", leadIds = new[] { others, own } }, http: sdr.Http), sdr.Http);
        Assert.Equal(1, byIds.GetProperty("total").GetInt32());

        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/v1/leads/{own}")).StatusCode);
        Assert.Equal(["t", "sdr"], (await Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{free}")).GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["t"], (await Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{others}")).GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        await AssertInvalidAsync(await sdr.Http.PostAsJsonAsync("/api/v1/lead-bulk-actions", new { action = "changeOwner", leadIds = new[] { free }, ownerUserId = other.UserId }), "ownerUserId");
        // Another SDR does not see this SDR's jobs (an export holds what its creator could see).
        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.GetAsync($"/api/v1/lead-bulk-actions/{byFilter.GetProperty("id").GetString()}")).StatusCode);
    }

    [Fact]
    public async Task A_bad_request_is_a_400_naming_the_field_and_another_tenant_gets_404_and_changes_nothing()
    {
        var lead = await CreateAsync(new { firstName = "Guarded" });
        await AssertInvalidAsync(await Http.PostAsJsonAsync("/api/v1/lead-bulk-actions", new { action = "explode", leadIds = new[] { lead } }), "action");
        await AssertInvalidAsync(await Http.PostAsJsonAsync("/api/v1/lead-bulk-actions", new { action = "delete" }), "leadIds");
        await AssertInvalidAsync(await Http.PostAsJsonAsync("/api/v1/lead-bulk-actions", new { action = "delete", leadIds = new[] { "nope" } }), "leadIds[0]");
        await AssertInvalidAsync(await Http.PostAsJsonAsync("/api/v1/lead-bulk-actions", new { action = "changeStage", leadIds = new[] { lead }, stageId = "st_won" }), "stageId");
        await AssertInvalidAsync(await Http.PostAsJsonAsync("/api/v1/lead-bulk-actions", new { action = "changeStage", leadIds = new[] { lead }, stageId = "st_lost" }), "lostReason");
        await AssertInvalidAsync(await Http.PostAsJsonAsync("/api/v1/lead-bulk-actions", new { action = "export", leadIds = new[] { lead }, columns = new[] { "password" } }), "columns[0]");
        await AssertInvalidAsync(await Http.PostAsJsonAsync("/api/v1/lead-bulk-actions?stage=", new { action = "delete", allMatching = true }), "stage");

        var mine = await CompletedAsync(await StartAsync(new { action = "export", leadIds = new[] { lead } }));
        var stranger = await TestUser.SignUpAsync(_frontend, company: "Bulk Stranger Co");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.GetAsync($"/api/v1/lead-bulk-actions/{mine.GetProperty("id").GetString()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.GetAsync($"/api/v1/lead-bulk-actions/{mine.GetProperty("id").GetString()}/file")).StatusCode);
        var theirs = await CompletedAsync(await StartAsync(new { action = "delete", leadIds = new[] { lead } }, http: stranger.Http), stranger.Http);
        Assert.Equal(0, theirs.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"/api/v1/leads/{lead}")).StatusCode);
    }

    private async Task<string> StartAsync(object body, string query = "", HttpClient? http = null)
    {
        var response = await (http ?? Http).PostAsJsonAsync("/api/v1/lead-bulk-actions" + query, body);
        var action = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"the bulk action answered {response.StatusCode}: {action}");
        var id = action.GetProperty("id").GetString()!;
        Assert.Equal($"/api/v1/lead-bulk-actions/{id}", response.Headers.Location!.ToString());
        return id;
    }

    private async Task<JsonElement> CompletedAsync(string id, HttpClient? http = null)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            var status = await (http ?? Http).GetFromJsonAsync<JsonElement>($"/api/v1/lead-bulk-actions/{id}");
            if (status.GetProperty("status").GetString() is "completed") return status;
            Assert.True(status.GetProperty("status").GetString() is "queued" or "running", $"the bulk action ended as {status}");
            Assert.True(DateTimeOffset.UtcNow < deadline, $"the bulk action did not complete: {status}");
            await Task.Delay(100);
        }
    }

    private async Task<string> CreateAsync(object body)
    {
        var response = await Http.PostAsJsonAsync("/api/v1/leads", body);
        var lead = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create answered {response.StatusCode}: {lead}");
        return lead.GetProperty("id").GetString()!;
    }

    private static async Task AssertInvalidAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400 for {field}, got {response.StatusCode}: {body}");
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), $"the 400 does not name {field}: {body}");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tenants;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Realtime;

namespace Flexoraa.Tests.Leads;

/// <summary>POST /api/v1/leads/{id}/merge: two leads that are one person become one.</summary>
public sealed class LeadMergeApiTests(FrontendFixture fixture) : IClassFixture<FrontendFixture>, IAsyncLifetime
{
    private readonly TestFrontend _frontend = fixture.Frontend;
    private TestUser _owner = null!;
    private HttpClient Http => _owner.Http;

    public async Task InitializeAsync() => _owner = await TestUser.SignUpAsync(_frontend, company: "Merge Co");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_target_keeps_its_fields_fills_empty_ones_unites_tags_and_takes_the_sources_timeline_and_conversations()
    {
        var target = await CreateAsync(new { firstName = "Asha", company = "Target Co", tags = new[] { "hot" }, customFields = new { a = "target" } });
        var source = await CreateAsync(new { firstName = "A.", lastName = "Rao", company = "Source Co", email = "asha@example.com", phone = "+91 81234 56700",
            tags = new[] { "expo", "HOT" }, customFields = new { a = "source", b = "only-source" } });
        var targetId = target.GetProperty("id").GetString()!;
        var sourceId = source.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.Created, (await Http.PostAsJsonAsync($"/api/v1/leads/{sourceId}/activities", new { kind = "note", body = "Met at the expo" })).StatusCode);
        var conversationId = await ConversationOfAsync(sourceId);

        await using var hub = await InboxClient.ConnectAsync(_frontend, _owner.AccessToken);
        var merged = await Http.PostAsJsonAsync($"/api/v1/leads/{targetId}/merge", new { sourceLeadId = sourceId });

        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        Assert.Equal("\"2\"", merged.Headers.ETag!.Tag);
        var lead = await merged.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Asha", lead.GetProperty("firstName").GetString());
        Assert.Equal("Rao", lead.GetProperty("lastName").GetString());
        Assert.Equal("Target Co", lead.GetProperty("company").GetString());
        Assert.Equal("asha@example.com", lead.GetProperty("email").GetString());
        Assert.Equal("+918123456700", lead.GetProperty("phone").GetString());
        Assert.Equal(["hot", "expo"], lead.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("target", lead.GetProperty("customFields").GetProperty("a").GetString());
        Assert.Equal("only-source", lead.GetProperty("customFields").GetProperty("b").GetString());

        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/v1/leads/{sourceId}")).StatusCode);
        var timeline = await Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{targetId}/timeline?limit=50");
        var kinds = timeline.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("kind").GetString()).ToList();
        Assert.Equal("merged", kinds[0]);
        Assert.Contains("note", kinds);
        Assert.Equal(2, kinds.Count(k => k == "created"));
        var linked = await OwnerSql.QueryAsync(_frontend, "SELECT lead_id FROM conversations WHERE tenant_id = @tenant AND id = @id", ("tenant", _owner.TenantId), ("id", conversationId));
        Assert.Equal(targetId, linked[0]["lead_id"]);

        var audit = await OwnerSql.QueryAsync(_frontend, "SELECT details::text AS details FROM audit_log WHERE tenant_id = @tenant AND action = 'lead.merged' AND target_id = @id",
            ("tenant", _owner.TenantId), ("id", targetId));
        Assert.Contains(sourceId, (string)audit.Single()["details"]!, StringComparison.Ordinal);

        await hub.NextAsync((name, p) => name == "LeadChanged" && p.GetProperty("leadId").GetString() == sourceId && p.GetProperty("change").GetString() == "deleted");
        await hub.NextAsync((name, p) => name == "LeadChanged" && p.GetProperty("leadId").GetString() == targetId && p.GetProperty("change").GetString() == "merged");

        // The source's grain let go of it: the same id cannot be changed any more.
        Assert.Equal(HttpStatusCode.NotFound, (await Http.PostAsJsonAsync($"/api/v1/leads/{sourceId}/activities", new { kind = "note", body = "gone" })).StatusCode);
    }

    [Fact]
    public async Task A_merge_into_itself_an_unknown_source_or_a_stale_etag_is_refused_and_changes_nothing()
    {
        var targetId = (await CreateAsync(new { firstName = "Keep" })).GetProperty("id").GetString()!;
        var sourceId = (await CreateAsync(new { firstName = "Other" })).GetProperty("id").GetString()!;

        await AssertInvalidAsync(await Http.PostAsJsonAsync($"/api/v1/leads/{targetId}/merge", new { sourceLeadId = targetId }), "sourceLeadId");
        await AssertInvalidAsync(await Http.PostAsJsonAsync($"/api/v1/leads/{targetId}/merge", new { sourceLeadId = "ld_nonexistent23456" }), "sourceLeadId");
        await AssertInvalidAsync(await Http.PostAsJsonAsync($"/api/v1/leads/{targetId}/merge", new { }), "sourceLeadId");
        using var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/leads/{targetId}/merge") { Content = JsonContent.Create(new { sourceLeadId = sourceId }) };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"7\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Http.SendAsync(stale)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"/api/v1/leads/{sourceId}")).StatusCode);
    }

    [Fact]
    public async Task An_sdr_merges_only_leads_they_may_change_and_another_tenant_gets_404()
    {
        var sdr = await TestMembership.JoinAsync(_frontend, _owner.TenantId, TenantRole.Sdr);
        var other = await TestMembership.JoinAsync(_frontend, _owner.TenantId, TenantRole.Sdr);
        var own = (await CreateAsync(new { firstName = "Own", ownerUserId = sdr.UserId })).GetProperty("id").GetString()!;
        var free = (await CreateAsync(new { firstName = "Free" })).GetProperty("id").GetString()!;
        var others = (await CreateAsync(new { firstName = "Others", ownerUserId = other.UserId })).GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.NotFound, (await sdr.Http.PostAsJsonAsync($"/api/v1/leads/{others}/merge", new { sourceLeadId = own })).StatusCode);
        await AssertInvalidAsync(await sdr.Http.PostAsJsonAsync($"/api/v1/leads/{own}/merge", new { sourceLeadId = others }), "sourceLeadId");
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"/api/v1/leads/{others}")).StatusCode);

        var stranger = await TestUser.SignUpAsync(_frontend, company: "Merge Stranger Co");
        var strangerLead = await stranger.Http.PostAsJsonAsync("/api/v1/leads", new { firstName = "Stranger" });
        var strangers = (await strangerLead.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.PostAsJsonAsync($"/api/v1/leads/{own}/merge", new { sourceLeadId = strangers })).StatusCode);
        await AssertInvalidAsync(await stranger.Http.PostAsJsonAsync($"/api/v1/leads/{strangers}/merge", new { sourceLeadId = own }), "sourceLeadId");

        Assert.Equal(HttpStatusCode.OK, (await sdr.Http.PostAsJsonAsync($"/api/v1/leads/{own}/merge", new { sourceLeadId = free })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/v1/leads/{free}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"/api/v1/leads/{own}")).StatusCode);
    }

    /// <summary>A conversation linked to the lead, as ingest writes it.</summary>
    private async Task<string> ConversationOfAsync(string leadId)
    {
        var id = "cv_" + Guid.NewGuid().ToString("N")[..20];
        await OwnerSql.ExecuteAsync(_frontend,
            "INSERT INTO conversations (tenant_id, id, channel, channel_account_id, contact_id, contact_name, last_message_at, lead_id) " +
            "VALUES (@tenant, @id, 'whatsapp', 'ch_merge', '919900000002', 'Merge Contact', now(), @lead)",
            ("tenant", _owner.TenantId), ("id", id), ("lead", leadId));
        return id;
    }

    private async Task<JsonElement> CreateAsync(object body)
    {
        var response = await Http.PostAsJsonAsync("/api/v1/leads", body);
        var lead = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create answered {response.StatusCode}: {lead}");
        return lead;
    }

    private static async Task AssertInvalidAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400 for {field}, got {response.StatusCode}: {body}");
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), $"the 400 does not name {field}: {body}");
    }
}

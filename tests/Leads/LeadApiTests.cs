using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Flexoraa.Tenants;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Realtime;

namespace Flexoraa.Tests.Leads;

/// <summary>The lead and pipeline endpoints over HTTP against a frontend that co-hosts a silo on PostgreSQL.</summary>
public sealed class LeadApiTests(FrontendFixture fixture) : IClassFixture<FrontendFixture>, IAsyncLifetime
{
    private readonly TestFrontend _frontend = fixture.Frontend;
    private TestUser _owner = null!;
    private HttpClient Http => _owner.Http;

    public async Task InitializeAsync() => _owner = await TestUser.SignUpAsync(_frontend, company: "Lead Owner Co");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Creating_a_lead_answers_201_with_its_location_and_etag_and_reading_it_gives_the_same_version()
    {
        var response = await Http.PostAsJsonAsync("/api/v1/leads", new
        {
            firstName = " Asha ", lastName = "Rao", company = "Rao Textiles", title = "Director", email = "Asha.Rao@Example.COM",
            phone = "81234 56789", source = "website", tags = new[] { "hot", "expo" }, customFields = new { budget = "5 lakh" },
            consent = new { whatsapp = "granted", email = "optedOut" },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var lead = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = lead.GetProperty("id").GetString()!;
        Assert.Matches("^ld_[a-z2-9]{16}$", id);
        Assert.Equal($"/api/v1/leads/{id}", response.Headers.Location!.ToString());
        Assert.Equal("\"1\"", response.Headers.ETag!.Tag);
        Assert.Equal("Asha Rao", lead.GetProperty("displayName").GetString());
        Assert.Equal("asha.rao@example.com", lead.GetProperty("email").GetString());
        Assert.Equal("+918123456789", lead.GetProperty("phone").GetString());
        Assert.Matches("^pl_[a-z2-9]{12}$", lead.GetProperty("pipelineId").GetString());
        Assert.Equal("st_new", lead.GetProperty("stageId").GetString());
        Assert.Equal("5 lakh", lead.GetProperty("customFields").GetProperty("budget").GetString());
        Assert.Equal("optedOut", lead.GetProperty("consent").GetProperty("email").GetString());

        var read = await Http.GetAsync($"/api/v1/leads/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"1\"", read.Headers.ETag!.Tag);
        var again = await read.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Rao Textiles", again.GetProperty("company").GetString());
        Assert.Equal(["hot", "expo"], again.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task A_phone_without_a_country_code_is_read_in_the_tenants_default_region()
    {
        Assert.Equal(HttpStatusCode.OK, (await Http.PatchAsJsonAsync($"/api/v1/tenants/{_owner.TenantId}", new { defaultRegion = "us" })).StatusCode);
        var tenant = await Http.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{_owner.TenantId}");
        Assert.Equal("US", tenant.GetProperty("settings").GetProperty("defaultRegion").GetString());

        var lead = await CreateAsync(new { firstName = "Sam", phone = "(201) 555-0123" });
        Assert.Equal("+12015550123", lead.GetProperty("phone").GetString());
        // A number with its country code is read as written, whatever the region.
        Assert.Equal("+918123456780", (await CreateAsync(new { firstName = "Ravi", phone = "+91 81234 56780" })).GetProperty("phone").GetString());
    }

    [Fact]
    public async Task A_bad_phone_email_field_or_region_is_a_400_naming_the_field()
    {
        await AssertInvalidAsync(await Http.PostAsJsonAsync("/api/v1/leads", new { firstName = "X", phone = "12" }), "phone");
        await AssertInvalidAsync(await Http.PostAsJsonAsync("/api/v1/leads", new { firstName = "X", email = "not-an-address" }), "email");
        await AssertInvalidAsync(await Http.PostAsJsonAsync("/api/v1/leads", new { firstName = "X", emial = "typo@example.com" }), "emial");
        await AssertInvalidAsync(await Http.PostAsJsonAsync("/api/v1/leads", new { firstName = "X", wonValue = "lots" }), "wonValue");
        await AssertInvalidAsync(await Http.PostAsJsonAsync("/api/v1/leads", new { firstName = "X", stageId = "st_nowhere" }), "stageId");
        await AssertInvalidAsync(await Http.PatchAsJsonAsync($"/api/v1/tenants/{_owner.TenantId}", new { defaultRegion = "ZZ" }), "defaultRegion");
    }

    [Fact]
    public async Task A_second_lead_with_the_same_phone_is_a_409_naming_the_phone()
    {
        await CreateAsync(new { firstName = "First", phone = "+91 81234 56781" });
        var second = await Http.PostAsJsonAsync("/api/v1/leads", new { firstName = "Second", phone = "8123456781" });
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("phone", (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_patch_needs_if_match_changes_only_what_it_sends_and_a_stale_etag_is_412()
    {
        var id = (await CreateAsync(new { firstName = "Meera", company = "Old Co", title = "Buyer" })).GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.PreconditionRequired, (await PatchAsync(id, new { company = "New Co" }, etag: null)).StatusCode);

        var patched = await PatchAsync(id, new { company = "New Co", title = (string?)null }, "\"1\"");
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("\"2\"", patched.Headers.ETag!.Tag);
        var lead = await patched.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("New Co", lead.GetProperty("company").GetString());
        Assert.Equal(JsonValueKind.Null, lead.GetProperty("title").ValueKind);
        Assert.Equal("Meera", lead.GetProperty("firstName").GetString());

        var stale = await PatchAsync(id, new { company = "Lost Update Co" }, "\"1\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("\"2\"", stale.Headers.ETag!.Tag);
        Assert.Equal("New Co", (await Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{id}")).GetProperty("company").GetString());

        // * overwrites on purpose.
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(id, new { company = "Forced Co" }, "*")).StatusCode);
    }

    [Fact]
    public async Task Of_two_concurrent_patches_with_the_same_etag_one_wins_and_the_other_gets_412()
    {
        var id = (await CreateAsync(new { firstName = "Concurrent" })).GetProperty("id").GetString()!;
        var sdrA = Http;
        var sdrB = _frontend.NewClient();
        sdrB.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _owner.AccessToken);

        var answers = await Task.WhenAll(
            PatchAsync(id, new { company = "From A" }, "\"1\"", sdrA),
            PatchAsync(id, new { company = "From B" }, "\"1\"", sdrB));

        var statuses = answers.Select(a => a.StatusCode).OrderBy(s => s).ToList();
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.PreconditionFailed], statuses);
        var winner = await answers.Single(a => a.StatusCode == HttpStatusCode.OK).Content.ReadFromJsonAsync<JsonElement>();
        var stored = await Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{id}");
        Assert.Equal(winner.GetProperty("company").GetString(), stored.GetProperty("company").GetString());
        Assert.Equal(2, stored.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Deleting_a_lead_removes_it_and_its_timeline_and_a_stale_if_match_keeps_it()
    {
        var id = (await CreateAsync(new { firstName = "Gone" })).GetProperty("id").GetString()!;
        await Http.PostAsJsonAsync($"/api/v1/leads/{id}/activities", new { kind = "note", body = "Call back Friday" });

        using (var stale = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/leads/{id}"))
        {
            stale.Headers.TryAddWithoutValidation("If-Match", "\"7\"");
            Assert.Equal(HttpStatusCode.PreconditionFailed, (await Http.SendAsync(stale)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/api/v1/leads/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/v1/leads/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/v1/leads/{id}/timeline")).StatusCode);
        var left = await OwnerSql.QueryAsync(_frontend, "SELECT count(*) AS n FROM lead_activities WHERE tenant_id = @tenant AND lead_id = @lead",
            ("tenant", _owner.TenantId), ("lead", id));
        Assert.Equal(0L, (long)left[0]["n"]!);
    }

    [Fact]
    public async Task A_tenant_starts_with_the_default_pipeline_whose_stages_can_be_renamed_reordered_and_added_to()
    {
        var pipelines = await Http.GetFromJsonAsync<JsonElement>("/api/v1/pipelines");
        var pipeline = Assert.Single(pipelines.GetProperty("items").EnumerateArray());
        Assert.Equal(["New", "Contacted", "Qualified", "Proposal", "Won", "Lost"], pipeline.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(["open", "open", "open", "open", "won", "lost"], pipeline.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("kind").GetString()));

        var defaultId = pipeline.GetProperty("id").GetString()!;
        var edited = await Http.PatchAsJsonAsync($"/api/v1/pipelines/{defaultId}", new
        {
            name = "Retail",
            stages = new object[]
            {
                new { id = "st_new", name = "Fresh" }, new { id = "st_qualified" }, new { id = "st_contacted" }, new { name = "Demo", kind = "open" },
                new { id = "st_proposal" }, new { id = "st_won" }, new { id = "st_lost" },
            },
        });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var after = await Http.GetFromJsonAsync<JsonElement>($"/api/v1/pipelines/{defaultId}");
        Assert.Equal("Retail", after.GetProperty("name").GetString());
        Assert.Equal(["Fresh", "Qualified", "Contacted", "Demo", "Proposal", "Won", "Lost"], after.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()));

        var second = await Http.PostAsJsonAsync("/api/v1/pipelines", new { name = "Partners" });
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var partners = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(6, partners.GetProperty("stages").GetArrayLength());
        var lead = await CreateAsync(new { firstName = "Partner", pipelineId = partners.GetProperty("id").GetString() });
        Assert.Equal(partners.GetProperty("stages")[0].GetProperty("id").GetString(), lead.GetProperty("stageId").GetString());

        // A stage that has leads cannot be removed, nor a pipeline that has leads deleted.
        var removal = await Http.PatchAsJsonAsync($"/api/v1/pipelines/{partners.GetProperty("id").GetString()}", new { stages = new[] { new { name = "Only", kind = "open" } } });
        Assert.Equal(HttpStatusCode.Conflict, removal.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Http.DeleteAsync($"/api/v1/pipelines/{partners.GetProperty("id").GetString()}")).StatusCode);
        await AssertInvalidAsync(await Http.PostAsJsonAsync("/api/v1/pipelines", new { name = "Bad", stages = new[] { new { name = "Won first", kind = "won" } } }), "stages[0].kind");
    }

    [Fact]
    public async Task Moving_a_lead_to_won_needs_a_value_and_to_lost_a_reason()
    {
        var id = (await CreateAsync(new { firstName = "Deal" })).GetProperty("id").GetString()!;

        await AssertInvalidAsync(await PatchAsync(id, new { stageId = "st_won" }, "*"), "wonValue");
        await AssertInvalidAsync(await PatchAsync(id, new { stageId = "st_lost" }, "*"), "lostReason");

        var won = await PatchAsync(id, new { stageId = "st_won", wonValue = 125_000_00L }, "\"1\"");
        Assert.Equal(HttpStatusCode.OK, won.StatusCode);
        var lead = await won.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(12_500_000, lead.GetProperty("wonValue").GetInt64());
        Assert.Equal("INR", lead.GetProperty("wonCurrency").GetString());
        Assert.Equal("st_won", lead.GetProperty("stageId").GetString());
        await AssertInvalidAsync(await PatchAsync(id, new { wonValue = (long?)null }, "\"2\""), "wonValue");
    }

    [Fact]
    public async Task The_list_filters_by_stage_owner_source_tag_dates_and_text_and_pages_by_cursor()
    {
        var me = _owner.UserId;
        var a = await CreateAsync(new { firstName = "Anil", company = "Kapoor Steel", source = "expo", tags = new[] { "steel" }, ownerUserId = me });
        var b = await CreateAsync(new { firstName = "Bela", email = "bela@kapoor-steel.example", source = "expo" });
        var c = await CreateAsync(new { firstName = "Chitra", company = "Other", source = "website", phone = "+91 81234 56782" });
        await PatchAsync(c.GetProperty("id").GetString()!, new { stageId = "st_contacted" }, "\"1\"");

        async Task<List<string>> Names(string query) =>
            (await Http.GetFromJsonAsync<JsonElement>("/api/v1/leads?" + query)).GetProperty("items").EnumerateArray().Select(l => l.GetProperty("firstName").GetString()!).ToList();

        Assert.Equal(["Chitra"], await Names("stage=st_contacted"));
        Assert.Equal(["Anil"], await Names("owner=me"));
        Assert.Equal(["Chitra", "Bela"], await Names("owner=unassigned"));
        Assert.Equal(["Bela", "Anil"], await Names("source=expo"));
        Assert.Equal(["Anil"], await Names("tag=steel"));
        Assert.Equal(["Bela", "Anil"], await Names("q=KAPOOR"));
        Assert.Equal(["Chitra"], await Names("q=8123456782"));
        Assert.Equal(["Anil", "Bela", "Chitra"], await Names("sort=name"));
        Assert.Empty(await Names("createdFrom=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"))));
        Assert.Equal(["Chitra"], await Names("sort=-updated&limit=1"));
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.GetAsync("/api/v1/leads?sort=rank")).StatusCode);

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Http.GetFromJsonAsync<JsonElement>("/api/v1/leads?sort=name&limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        Assert.Equal(new[] { a, b, c }.Select(l => l.GetProperty("id").GetString()), seen);

        var firstPage = await Http.GetFromJsonAsync<JsonElement>("/api/v1/leads?sort=name&limit=1");
        var mismatched = await Http.GetAsync("/api/v1/leads?sort=-created&cursor=" + Uri.EscapeDataString(firstPage.GetProperty("nextCursor").GetString()!));
        Assert.Equal(HttpStatusCode.BadRequest, mismatched.StatusCode);
    }

    [Fact]
    public async Task An_sdr_sees_and_changes_only_their_own_and_unassigned_leads()
    {
        var sdr = await TestMembership.JoinAsync(_frontend, _owner.TenantId, TenantRole.Sdr);
        var other = await TestMembership.JoinAsync(_frontend, _owner.TenantId, TenantRole.Sdr);
        var own = (await CreateAsync(new { firstName = "Own", ownerUserId = sdr.UserId })).GetProperty("id").GetString()!;
        var free = (await CreateAsync(new { firstName = "Free" })).GetProperty("id").GetString()!;
        var others = (await CreateAsync(new { firstName = "Others", ownerUserId = other.UserId })).GetProperty("id").GetString()!;

        var list = await sdr.Http.GetFromJsonAsync<JsonElement>("/api/v1/leads?sort=name");
        Assert.Equal(["Free", "Own"], list.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("firstName").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await sdr.Http.GetAsync($"/api/v1/leads/{others}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PatchAsync(others, new { company = "Mine now" }, "*", sdr.Http)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sdr.Http.GetAsync($"/api/v1/leads/{others}/timeline")).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await PatchAsync(free, new { ownerUserId = other.UserId }, "*", sdr.Http)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(free, new { ownerUserId = sdr.UserId }, "*", sdr.Http)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(own, new { company = "Sdr Co" }, "*", sdr.Http)).StatusCode);
    }

    [Fact]
    public async Task The_timeline_lists_creation_changes_and_logged_activities_newest_first_by_page()
    {
        var id = (await CreateAsync(new { firstName = "Timeline" })).GetProperty("id").GetString()!;
        await PatchAsync(id, new { stageId = "st_qualified", company = "T Co" }, "\"1\"");
        var note = await Http.PostAsJsonAsync($"/api/v1/leads/{id}/activities", new { kind = "note", body = "Wants a demo" });
        Assert.Equal(HttpStatusCode.Created, note.StatusCode);
        var call = await Http.PostAsJsonAsync($"/api/v1/leads/{id}/activities", new { kind = "call", body = "Spoke 5 min", durationSeconds = 300, outcome = "interested" });
        Assert.Equal("300", (await call.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("details").GetProperty("durationSeconds").GetString());
        await AssertInvalidAsync(await Http.PostAsJsonAsync($"/api/v1/leads/{id}/activities", new { kind = "note" }), "body");
        await AssertInvalidAsync(await Http.PostAsJsonAsync($"/api/v1/leads/{id}/activities", new { kind = "note", body = "x", durationSeconds = 3 }), "durationSeconds");

        var kinds = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{id}/timeline?limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            kinds.AddRange(page.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("kind").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        Assert.Equal(["call", "note", "fieldsChanged", "stageChanged", "created"], kinds);

        var timeline = await Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{id}/timeline");
        var stage = timeline.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("kind").GetString() == "stageChanged");
        Assert.Equal("st_new", stage.GetProperty("details").GetProperty("fromStageId").GetString());
        Assert.Equal("st_qualified", stage.GetProperty("details").GetProperty("toStageId").GetString());
    }

    [Fact]
    public async Task Every_change_of_a_lead_reaches_a_real_signalr_client_as_lead_changed_in_the_rest_shape()
    {
        await using var client = await InboxClient.ConnectAsync(_frontend, _owner.AccessToken);

        var id = (await CreateAsync(new { firstName = "Live", email = "live@example.com" })).GetProperty("id").GetString()!;
        var created = await client.NextAsync((name, p) => name == "LeadChanged" && p.GetProperty("leadId").GetString() == id);
        Assert.Equal("created", created.Payload.GetProperty("change").GetString());
        Assert.Equal("live@example.com", created.Payload.GetProperty("lead").GetProperty("email").GetString());
        Assert.True(created.Payload.GetProperty("sequence").GetInt64() > 0);

        await PatchAsync(id, new { company = "Live Co" }, "\"1\"");
        var updated = await client.NextAsync((name, p) => name == "LeadChanged" && p.GetProperty("change").GetString() == "updated");
        Assert.Equal(["company"], updated.Payload.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(2, updated.Payload.GetProperty("lead").GetProperty("version").GetInt64());

        await Http.DeleteAsync($"/api/v1/leads/{id}");
        var deleted = await client.NextAsync((name, p) => name == "LeadChanged" && p.GetProperty("change").GetString() == "deleted");
        Assert.Equal(JsonValueKind.Null, deleted.Payload.GetProperty("lead").ValueKind);
    }

    [Fact]
    public async Task Another_tenants_lead_and_pipeline_are_not_found()
    {
        var id = (await CreateAsync(new { firstName = "Private" })).GetProperty("id").GetString()!;
        var stranger = await TestUser.SignUpAsync(_frontend, company: "Stranger Co");

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.GetAsync($"/api/v1/leads/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PatchAsync(id, new { company = "Hijack" }, "*", stranger.Http)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.DeleteAsync($"/api/v1/leads/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.GetAsync($"/api/v1/leads/{id}/timeline")).StatusCode);
        Assert.Empty((await stranger.Http.GetFromJsonAsync<JsonElement>("/api/v1/leads")).GetProperty("items").EnumerateArray());
        Assert.Equal("Private", (await Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{id}")).GetProperty("firstName").GetString());
    }

    [Fact]
    public async Task The_api_reference_documents_the_lead_body_the_required_if_match_and_its_412_and_428()
    {
        using var document = JsonDocument.Parse(await _frontend.Http.GetStringAsync("/openapi/v1.json"));
        var patch = document.RootElement.GetProperty("paths").GetProperty("/api/v1/leads/{leadId}").GetProperty("patch");

        Assert.Equal("UpdateLead", patch.GetProperty("operationId").GetString());
        var ifMatch = patch.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "If-Match");
        Assert.Equal("header", ifMatch.GetProperty("in").GetString());
        Assert.True(ifMatch.GetProperty("required").GetBoolean());
        foreach (var status in new[] { "404", "409", "412", "428" }) Assert.True(patch.GetProperty("responses").TryGetProperty(status, out _), $"The patch lists no {status}.");
        var schema = patch.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString();
        Assert.Equal("#/components/schemas/LeadRequest", schema);
    }

    [Fact]
    public async Task A_lead_a_conversation_created_reads_and_moves_through_the_api_into_the_default_pipeline()
    {
        // As ContactLeadLinks writes it today: no pipeline, stage or version of its own making.
        var id = Flexoraa.Leads.LeadKeys.NewLeadId();
        await OwnerSql.ExecuteAsync(_frontend,
            "INSERT INTO leads (tenant_id, id, display_name, phone_e164, channel, channel_contact_id, source) VALUES (@tenant, @id, 'Wa Contact', '+918123456783', 'whatsapp', '918123456783', 'whatsapp')",
            ("tenant", _owner.TenantId), ("id", id));

        var read = await Http.GetAsync($"/api/v1/leads/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var lead = await read.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("whatsapp", lead.GetProperty("channel").GetString());
        Assert.Equal(JsonValueKind.Null, lead.GetProperty("stageId").ValueKind);

        var moved = await PatchAsync(id, new { stageId = "st_contacted" }, read.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var after = await moved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("st_contacted", after.GetProperty("stageId").GetString());
        Assert.StartsWith("pl_", after.GetProperty("pipelineId").GetString(), StringComparison.Ordinal);
        Assert.Equal("Wa Contact", after.GetProperty("displayName").GetString());
    }

    private async Task<JsonElement> CreateAsync(object body)
    {
        var response = await Http.PostAsJsonAsync("/api/v1/leads", body);
        var lead = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create answered {response.StatusCode}: {lead}");
        return lead;
    }

    private async Task<HttpResponseMessage> PatchAsync(string id, object body, string? etag, HttpClient? http = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/leads/{id}")
        {
            Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json"),
        };
        if (etag is not null) request.Headers.TryAddWithoutValidation("If-Match", etag);
        return await (http ?? Http).SendAsync(request);
    }

    private static async Task AssertInvalidAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400 for {field}, got {response.StatusCode}: {body}");
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), $"the 400 does not name {field}: {body}");
    }
}

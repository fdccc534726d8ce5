using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Flexoraa.Tenants;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Leads.Scoring;

/// <summary>
/// Live lead scoring over HTTP against a frontend that co-hosts a silo on PostgreSQL: scores on every change and logged
/// activity, the breakdown, rules with their validation and preview, threshold automations with the SDR rotation,
/// lazy rescoring after a rule change, the list's score filters and sort, imported leads.
/// </summary>
public sealed class LeadScoringApiTests(FrontendFixture fixture) : IClassFixture<FrontendFixture>, IAsyncLifetime
{
    private readonly TestFrontend _frontend = fixture.Frontend;
    private TestUser _owner = null!;
    private HttpClient Http => _owner.Http;

    public async Task InitializeAsync() => _owner = await TestUser.SignUpAsync(_frontend, company: "Scoring Co");

    public Task DisposeAsync() => Task.CompletedTask;

    private static object Rules(object[]? fit = null, object[]? engagement = null, object[]? automations = null) => new
    {
        fit = fit ?? [new { kind = "titleContains", value = "director", points = 15 }, new { kind = "companyPresent", points = 10 }, new { kind = "freeMailDomain", points = -10 }],
        engagement = engagement ?? [new { @event = "meetingLogged", points = 20 }, new { @event = "callLogged", points = 10 }, new { @event = "noteLogged", points = 2 }],
        halfLifeDays = 14,
        fitMax = 50,
        engagementMax = 50,
        grades = new { a = 80, b = 60, c = 30 },
        automations = automations ?? [],
    };

    [Fact]
    public async Task A_new_lead_is_scored_at_once_and_the_breakdown_names_each_rule_that_gave_points()
    {
        var lead = await CreateAsync(new { firstName = "Asha", title = "Sales Director", company = "Rao Textiles", email = "asha@gmail.com" });

        var summary = lead.GetProperty("score");
        Assert.Equal((15, "D", 15, 0, 1), (summary.GetProperty("total").GetInt32(), summary.GetProperty("grade").GetString(),
            summary.GetProperty("fit").GetInt32(), summary.GetProperty("engagement").GetInt32(), summary.GetProperty("rulesVersion").GetInt32()));

        var score = await Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{Id(lead)}/score");
        Assert.Equal(15, score.GetProperty("total").GetInt32());
        var fit = score.GetProperty("fit");
        Assert.Equal((15, 50), (fit.GetProperty("points").GetInt32(), fit.GetProperty("cap").GetInt32()));
        Assert.Equal(["fit[0]", "fit[2]", "fit[3]"], fit.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("rule").GetString()));
        Assert.Equal(-10, fit.GetProperty("items")[2].GetProperty("points").GetDouble());
        Assert.Equal(14, score.GetProperty("halfLifeDays").GetDouble());
    }

    [Fact]
    public async Task Logging_a_call_meeting_or_note_is_engagement_that_the_breakdown_traces_to_its_timeline_entry()
    {
        var lead = await CreateAsync(new { firstName = "Ravi", company = "Ravi Steel" });

        var logged = await Http.PostAsJsonAsync($"/api/v1/leads/{Id(lead)}/activities", new { kind = "meeting", body = "Demo" });
        Assert.Equal(HttpStatusCode.Created, logged.StatusCode);
        var activityId = (await logged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var score = await Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{Id(lead)}/score");
        var item = Assert.Single(score.GetProperty("engagement").GetProperty("items").EnumerateArray());
        Assert.Equal("meetingLogged", item.GetProperty("event").GetString());
        Assert.Equal($"activity:{activityId}", item.GetProperty("reference").GetString());
        Assert.Equal(20, item.GetProperty("points").GetDouble());
        Assert.InRange(item.GetProperty("pointsNow").GetDouble(), 19.99, 20);
        Assert.Equal(10 + 20, score.GetProperty("total").GetInt32());

        // The ETag did not move: a score is no edit, so an SDR's If-Match stays good.
        var read = await Http.GetAsync($"/api/v1/leads/{Id(lead)}");
        Assert.Equal("\"1\"", read.Headers.ETag!.Tag);
        Assert.Equal(30, (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("score").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_rules_read_back_as_saved_at_the_next_version()
    {
        var builtIn = await Http.GetFromJsonAsync<JsonElement>("/api/v1/scoring-rules");
        Assert.Equal(1, builtIn.GetProperty("version").GetInt64());
        Assert.Contains(builtIn.GetProperty("fit").EnumerateArray(), r => r.GetProperty("kind").GetString() == "freeMailDomain");

        var saved = await Http.PutAsJsonAsync("/api/v1/scoring-rules", Rules(fit: [new { kind = "phoneCountryIn", values = new[] { "IN", "AE" }, points = 5 }]));
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        var rules = await Http.GetFromJsonAsync<JsonElement>("/api/v1/scoring-rules");
        Assert.Equal(2, rules.GetProperty("version").GetInt64());
        Assert.Equal(["IN", "AE"], rules.GetProperty("fit")[0].GetProperty("values").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(30, rules.GetProperty("grades").GetProperty("c").GetInt32());
    }

    [Fact]
    public async Task A_bad_rule_is_a_400_naming_its_path_and_nothing_is_saved()
    {
        await AssertInvalidAsync(Rules(fit: [new { kind = "companyPresent", points = 5 }, new { kind = "titleIs", value = "x", points = 5 }]), "fit[1].kind");
        await AssertInvalidAsync(Rules(engagement: [new { @event = "pageView", points = 5 }]), "engagement[0].event");
        await AssertInvalidAsync(Rules(automations: [new { minTotal = 70, stageId = "st_nowhere" }]), "automations[0].stageId");
        await AssertInvalidAsync(Rules(automations: [new { minTotal = 70, stageId = "st_won" }]), "automations[0].stageId");
        await AssertInvalidAsync(new { fit = Array.Empty<object>(), engagement = Array.Empty<object>(), halfLifeDays = 14, fitMax = 50, engagementMax = 50 }, "grades");
        var preview = await Http.PostAsJsonAsync("/api/v1/scoring-rules/preview", Rules(fit: [new { kind = "customFieldAtLeast", field = "size", points = 5 }]));
        await AssertValidationAsync(preview, "fit[0].number");

        Assert.Equal(1, (await Http.GetFromJsonAsync<JsonElement>("/api/v1/scoring-rules")).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task The_preview_counts_the_leads_that_would_change_grade_without_changing_anything()
    {
        await CreateAsync(new { firstName = "A", title = "Director", company = "A Co" });
        await CreateAsync(new { firstName = "B", company = "B Co" });
        await CreateAsync(new { firstName = "C" });

        var response = await Http.PostAsJsonAsync("/api/v1/scoring-rules/preview", Rules(fit: [new { kind = "companyPresent", points = 35 }]));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var preview = await response.Content.ReadFromJsonAsync<JsonElement>();
        // Built-in rules: A has 25 (D), B 10 (D), C 0 (D). Proposed: A and B 35 (C), C 0 (D).
        Assert.Equal((3, 2, 2, 0), (preview.GetProperty("leads").GetInt32(), preview.GetProperty("changingGrade").GetInt32(),
            preview.GetProperty("upgraded").GetInt32(), preview.GetProperty("downgraded").GetInt32()));
        Assert.Equal(3, preview.GetProperty("gradesNow").GetProperty("D").GetInt32());
        Assert.Equal(2, preview.GetProperty("gradesAfter").GetProperty("C").GetInt32());
        Assert.Equal(1, (await Http.GetFromJsonAsync<JsonElement>("/api/v1/scoring-rules")).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Reaching_the_threshold_moves_the_lead_to_qualified_and_assigns_the_next_sdr_in_rotation_with_an_audit_entry()
    {
        var first = await TestMembership.JoinAsync(_frontend, _owner.TenantId, TenantRole.Sdr);
        var second = await TestMembership.JoinAsync(_frontend, _owner.TenantId, TenantRole.Sdr);
        var rotation = new[] { first.UserId, second.UserId }.Order(StringComparer.Ordinal).ToArray();
        (await Http.PutAsJsonAsync("/api/v1/scoring-rules", Rules(automations: [new { minTotal = 40, stageId = "st_qualified", assignNextSdr = true }]))).EnsureSuccessStatusCode();

        var owners = new List<string>();
        foreach (var name in new[] { "One", "Two", "Three" })
        {
            var lead = await CreateAsync(new { firstName = name, title = "Director", company = name + " Co" });
            Assert.Equal("st_new", lead.GetProperty("stageId").GetString());
            (await Http.PostAsJsonAsync($"/api/v1/leads/{Id(lead)}/activities", new { kind = "meeting" })).EnsureSuccessStatusCode();

            var moved = await Eventually.Get(() => Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{Id(lead)}"),
                l => l.GetProperty("stageId").GetString() == "st_qualified", TimeSpan.FromSeconds(10), $"lead {name} to be qualified");
            owners.Add(moved.GetProperty("ownerUserId").GetString()!);

            var timeline = await Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{Id(lead)}/timeline");
            var entry = timeline.GetProperty("items").EnumerateArray().First(a => a.GetProperty("kind").GetString() == "stageChanged");
            Assert.Equal("automations[0]", entry.GetProperty("details").GetProperty("automation").GetString());
            Assert.Equal("45", entry.GetProperty("details").GetProperty("score").GetString());
            Assert.Equal("st_qualified", entry.GetProperty("details").GetProperty("toStageId").GetString());
        }
        Assert.Equal([rotation[0], rotation[1], rotation[0]], owners);
    }

    [Fact]
    public async Task An_automation_never_moves_a_lead_out_of_won_or_lost_nor_backwards()
    {
        (await Http.PutAsJsonAsync("/api/v1/scoring-rules", Rules(automations: [new { minTotal = 10, stageId = "st_contacted" }]))).EnsureSuccessStatusCode();
        var won = await CreateAsync(new { firstName = "Won", company = "W", stageId = "st_won", wonValue = 500000 });
        var lost = await CreateAsync(new { firstName = "Lost", company = "L", stageId = "st_lost", lostReason = "budget" });
        var proposal = await CreateAsync(new { firstName = "Proposal", company = "P", stageId = "st_proposal" });
        var fresh = await CreateAsync(new { firstName = "Fresh", company = "F" });

        foreach (var lead in new[] { won, lost, proposal }) (await Http.PostAsJsonAsync($"/api/v1/leads/{Id(lead)}/activities", new { kind = "call" })).EnsureSuccessStatusCode();

        Assert.Equal("st_contacted", (await Eventually.Get(() => Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{Id(fresh)}"),
            l => l.GetProperty("stageId").GetString() == "st_contacted", TimeSpan.FromSeconds(10), "the new lead to be moved")).GetProperty("stageId").GetString());
        Assert.Equal("st_won", (await Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{Id(won)}")).GetProperty("stageId").GetString());
        Assert.Equal("st_lost", (await Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{Id(lost)}")).GetProperty("stageId").GetString());
        Assert.Equal("st_proposal", (await Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{Id(proposal)}")).GetProperty("stageId").GetString());
    }

    [Fact]
    public async Task A_rule_change_rescores_existing_leads_in_the_background_without_the_put_waiting()
    {
        var leads = new List<string>();
        for (var i = 0; i < 5; i++) leads.Add(Id(await CreateAsync(new { firstName = "L" + i, company = "Co " + i })));
        var list = await Http.GetFromJsonAsync<JsonElement>("/api/v1/leads?sort=-score");
        Assert.All(list.GetProperty("items").EnumerateArray(), l => Assert.Equal(10, l.GetProperty("score").GetProperty("total").GetInt32()));

        var put = await Http.PutAsJsonAsync("/api/v1/scoring-rules", Rules(fit: [new { kind = "companyPresent", points = 45 }]));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        // The list is the table: it shows the new scores once the pass (or each lead's next activation) has written them.
        var rescored = await Eventually.Get(() => Http.GetFromJsonAsync<JsonElement>("/api/v1/leads?sort=-score"),
            l => l.GetProperty("items").EnumerateArray().All(x => x.GetProperty("score").GetProperty("rulesVersion").GetInt32() == 2),
            TimeSpan.FromSeconds(20), "every lead to be rescored under version 2");
        Assert.All(rescored.GetProperty("items").EnumerateArray(), l => Assert.Equal(45, l.GetProperty("score").GetProperty("total").GetInt32()));
        Assert.Equal(45, (await Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{leads[0]}/score")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_lead_scored_under_older_rules_rescores_when_it_next_activates()
    {
        // A row written without its grain (as ContactLeadLinks and imports do) carries score_rules_version 0.
        var id = Flexoraa.Leads.LeadKeys.NewLeadId();
        await OwnerSql.ExecuteAsync(_frontend, "INSERT INTO leads (tenant_id, id, display_name, company, source) VALUES (@tenant, @id, 'Lazy', 'Lazy Co', 'whatsapp')",
            ("tenant", _owner.TenantId), ("id", id));

        var lead = await Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{id}");

        Assert.Equal((10, 1), (lead.GetProperty("score").GetProperty("total").GetInt32(), lead.GetProperty("score").GetProperty("rulesVersion").GetInt32()));
        var row = await OwnerSql.QueryAsync(_frontend, "SELECT score, score_rules_version FROM leads WHERE tenant_id = @tenant AND id = @id", ("tenant", _owner.TenantId), ("id", id));
        Assert.Equal((10, 1L), (Convert.ToInt32(row[0]["score"], System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt64(row[0]["score_rules_version"], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task The_list_filters_by_score_range_and_grade_and_sorts_by_score()
    {
        (await Http.PutAsJsonAsync("/api/v1/scoring-rules", Rules(fit: [new { kind = "tagPresent", value = "hot", points = 50 }, new { kind = "companyPresent", points = 35 }]))).EnsureSuccessStatusCode();
        var hot = Id(await CreateAsync(new { firstName = "Hot", company = "H", tags = new[] { "hot" } }));
        var warm = Id(await CreateAsync(new { firstName = "Warm", company = "W" }));
        var cold = Id(await CreateAsync(new { firstName = "Cold" }));

        Assert.Equal([hot, warm, cold], await IdsAsync("/api/v1/leads?sort=-score"));
        Assert.Equal([cold, warm, hot], await IdsAsync("/api/v1/leads?sort=score"));
        Assert.Equal([warm], await IdsAsync("/api/v1/leads?scoreMin=30&scoreMax=40"));
        // Fit is capped at 50: hot has 50 and warm 35 (both C, from 30), cold 0 (D).
        Assert.Equal([cold], await IdsAsync("/api/v1/leads?grade=d"));
        Assert.Equal([hot, warm], await IdsAsync("/api/v1/leads?grade=B,C&sort=-score"));
        var firstPage = await Http.GetFromJsonAsync<JsonElement>("/api/v1/leads?sort=-score&limit=2");
        var next = firstPage.GetProperty("nextCursor").GetString()!;
        Assert.Equal([cold], await IdsAsync($"/api/v1/leads?sort=-score&limit=2&cursor={Uri.EscapeDataString(next)}"));

        await AssertValidationAsync(await Http.GetAsync("/api/v1/leads?scoreMin=101"), "scoreMin");
        await AssertValidationAsync(await Http.GetAsync("/api/v1/leads?scoreMin=50&scoreMax=10"), "scoreMin");
        await AssertValidationAsync(await Http.GetAsync("/api/v1/leads?grade=E"), "grade");
    }

    [Fact]
    public async Task Another_tenants_lead_score_is_a_404()
    {
        var lead = await CreateAsync(new { firstName = "Mine", company = "Mine Co" });
        var stranger = await TestUser.SignUpAsync(_frontend, company: "Stranger Co");

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.GetAsync($"/api/v1/leads/{Id(lead)}/score")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/api/v1/leads/ld_aaaaaaaaaaaaaaaa/score")).StatusCode);
    }

    [Fact]
    public async Task Imported_leads_are_scored_by_the_same_rules_as_live_ones()
    {
        var csv = "First Name,Company Name,Job Title,Email\r\nAsha,Rao Textiles,Director,asha@raotextiles.in\r\nVikram,,,vikram@gmail.com\r\n";
        var response = await Http.PostAsync("/api/v1/lead-imports", new StringContent(csv, new UTF8Encoding(false), "text/csv"));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());

        var scored = await Eventually.Get(() => Http.GetFromJsonAsync<JsonElement>("/api/v1/leads?source=import&sort=-score"),
            l => l.GetProperty("items").GetArrayLength() == 2 && l.GetProperty("items").EnumerateArray().All(x => x.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Object),
            TimeSpan.FromSeconds(30), "both imported leads to be scored");
        var items = scored.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(("Asha", 25), (items[0].GetProperty("firstName").GetString(), items[0].GetProperty("score").GetProperty("total").GetInt32()));
        Assert.Equal(("Vikram", 0), (items[1].GetProperty("firstName").GetString(), items[1].GetProperty("score").GetProperty("total").GetInt32()));
        Assert.Equal(-10, items[1].GetProperty("score").GetProperty("fit").GetInt32());
    }

    private async Task<List<string>> IdsAsync(string url) =>
        [.. (await Http.GetFromJsonAsync<JsonElement>(url)).GetProperty("items").EnumerateArray().Select(l => l.GetProperty("id").GetString()!)];

    private async Task<JsonElement> CreateAsync(object body)
    {
        var response = await Http.PostAsJsonAsync("/api/v1/leads", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string Id(JsonElement lead) => lead.GetProperty("id").GetString()!;

    private async Task AssertInvalidAsync(object rules, string path) => await AssertValidationAsync(await Http.PutAsJsonAsync("/api/v1/scoring-rules", rules), path);

    private static async Task AssertValidationAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {body}");
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), body);
    }
}

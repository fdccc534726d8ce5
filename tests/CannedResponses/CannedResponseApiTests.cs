using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Flexoraa.Tenants;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.CannedResponses;

/// <summary>
/// <c>/api/v1/canned-responses</c>: create, read, list, update and delete with every validation, shortcuts unique per tenant
/// (also under concurrent creates), another tenant's id a 404, who may manage them, the '/' menu, and the audit trail.
/// </summary>
public sealed class CannedResponseApiTests(FrontendFixture fixture) : IClassFixture<FrontendFixture>
{
    private const string Path = "/api/v1/canned-responses";
    private readonly TestFrontend _frontend = fixture.Frontend;

    [Fact]
    public async Task A_response_is_created_read_listed_updated_and_deleted()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Canned Co");

        var created = await owner.Http.PostAsJsonAsync(Path, new { shortcut = "/Greet", title = " Greeting ", content = "Hi {{contact.first_name | \"there\"}}, {{agent.first_name}} here." });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal($"{Path}/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("greet", body.GetProperty("shortcut").GetString());
        Assert.Equal("Greeting", body.GetProperty("title").GetString());
        Assert.Equal(["contact.first_name", "agent.first_name"], body.GetProperty("variables").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(owner.UserId, body.GetProperty("createdBy").GetString());

        var read = await owner.Http.GetFromJsonAsync<JsonElement>($"{Path}/{id}");
        Assert.Equal(body.GetProperty("content").GetString(), read.GetProperty("content").GetString());
        Assert.Equal(body.GetProperty("createdAt").GetDateTimeOffset(), read.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal([id], await ListIdsAsync(owner, ""));

        var updated = await PatchAsync(owner, id, """{"content": "Hello {{contact.name}}", "title": null, "shortcut": "hello"}""");
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var after = await updated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("hello", after.GetProperty("shortcut").GetString());
        Assert.Equal("Hello {{contact.name}}", after.GetProperty("content").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("title").ValueKind);
        Assert.True(after.GetProperty("updatedAt").GetDateTimeOffset() >= after.GetProperty("createdAt").GetDateTimeOffset());

        var onlyTitle = await (await PatchAsync(owner, id, """{"title": "Hello"}""")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Hello {{contact.name}}", onlyTitle.GetProperty("content").GetString());
        Assert.Equal("Hello", onlyTitle.GetProperty("title").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await owner.Http.DeleteAsync($"{Path}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Http.GetAsync($"{Path}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Http.DeleteAsync($"{Path}/{id}")).StatusCode);
        Assert.Empty(await ListIdsAsync(owner, ""));
    }

    [Theory]
    [InlineData("""{"content": "hi"}""", "shortcut")]
    [InlineData("""{"shortcut": "", "content": "hi"}""", "shortcut")]
    [InlineData("""{"shortcut": "has space", "content": "hi"}""", "shortcut")]
    [InlineData("""{"shortcut": "dot.ted", "content": "hi"}""", "shortcut")]
    [InlineData("""{"shortcut": "grüß", "content": "hi"}""", "shortcut")]
    [InlineData("""{"shortcut": "/", "content": "hi"}""", "shortcut")]
    [InlineData("""{"shortcut": "abcdefghijklmnopqrstuvwxyz0123456", "content": "hi"}""", "shortcut")]
    [InlineData("""{"shortcut": "ok"}""", "content")]
    [InlineData("""{"shortcut": "ok", "content": "   "}""", "content")]
    [InlineData("""{"shortcut": "ok", "content": "Hi {{contact.name"}""", "content")]
    [InlineData("""{"shortcut": "ok", "content": "Hi contact.name}}"}""", "content")]
    [InlineData("""{"shortcut": "ok", "content": "Hi {{contact.name | there}}"}""", "content")]
    public async Task An_invalid_field_on_create_is_400_naming_it(string json, string field)
    {
        var owner = await TestUser.SignUpAsync(_frontend);

        var response = await owner.Http.PostAsync(Path, Json(json));

        await AssertFieldErrorAsync(response, field);
        Assert.Empty(await ListIdsAsync(owner, ""));
    }

    [Fact]
    public async Task Too_long_content_and_title_are_400_naming_them_and_the_limits_themselves_are_accepted()
    {
        var owner = await TestUser.SignUpAsync(_frontend);

        await AssertFieldErrorAsync(await owner.Http.PostAsJsonAsync(Path, new { shortcut = "long", content = new string('x', 4097) }), "content");
        await AssertFieldErrorAsync(await owner.Http.PostAsJsonAsync(Path, new { shortcut = "long", content = "x", title = new string('t', 121) }), "title");
        var atLimits = await owner.Http.PostAsJsonAsync(Path, new { shortcut = new string('a', 32), content = new string('x', 4096), title = new string('t', 120) });

        Assert.Equal(HttpStatusCode.Created, atLimits.StatusCode);
    }

    [Fact]
    public async Task An_unknown_variable_is_400_naming_content_and_the_variable()
    {
        var owner = await TestUser.SignUpAsync(_frontend);

        var response = await owner.Http.PostAsJsonAsync(Path, new { shortcut = "bad", content = "Hi {{contact.email}}" });

        var message = await AssertFieldErrorAsync(response, "content");
        Assert.Contains("{{contact.email}}", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{}""", "body")]
    [InlineData("""[]""", "body")]
    [InlineData("""{"shortcut": "Not Valid"}""", "shortcut")]
    [InlineData("""{"shortcut": 5}""", "shortcut")]
    [InlineData("""{"content": ""}""", "content")]
    [InlineData("""{"content": null}""", "content")]
    [InlineData("""{"content": "{{agent.nickname}}"}""", "content")]
    [InlineData("""{"title": 7}""", "title")]
    public async Task An_invalid_update_is_400_naming_the_field_and_changes_nothing(string json, string field)
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var id = await CreateAsync(owner, "keep", "Kept as is");

        await AssertFieldErrorAsync(await PatchAsync(owner, id, json), field);

        var unchanged = await owner.Http.GetFromJsonAsync<JsonElement>($"{Path}/{id}");
        Assert.Equal("keep", unchanged.GetProperty("shortcut").GetString());
        Assert.Equal("Kept as is", unchanged.GetProperty("content").GetString());
    }

    [Fact]
    public async Task A_taken_shortcut_is_409_naming_shortcut_whatever_its_case_on_create_and_update()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        await CreateAsync(owner, "greet", "Hi");
        var other = await CreateAsync(owner, "bye", "Bye");

        foreach (var taken in new[] { "greet", "Greet", "/GREET" })
        {
            await AssertConflictOnShortcutAsync(await owner.Http.PostAsJsonAsync(Path, new { shortcut = taken, content = "again" }));
        }
        await AssertConflictOnShortcutAsync(await PatchAsync(owner, other, """{"shortcut": "GREET"}"""));
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(owner, other, """{"shortcut": "bye", "content": "Bye now"}""")).StatusCode);
        Assert.Equal(2, (await ListIdsAsync(owner, "")).Count);
    }

    [Fact]
    public async Task Concurrent_creates_of_one_shortcut_give_one_201_and_the_rest_409()
    {
        var owner = await TestUser.SignUpAsync(_frontend);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            owner.Http.PostAsJsonAsync(Path, new { shortcut = i % 2 == 0 ? "race" : "RACE", content = $"attempt {i}" })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var conflict in responses.Where(r => r.StatusCode != HttpStatusCode.Created)) await AssertConflictOnShortcutAsync(conflict);
        Assert.Single(await ListIdsAsync(owner, ""));
    }

    [Fact]
    public async Task Two_tenants_may_use_the_same_shortcut_and_see_only_their_own()
    {
        var first = await TestUser.SignUpAsync(_frontend);
        var second = await TestUser.SignUpAsync(_frontend);

        var a = await CreateAsync(first, "price", "Our prices");
        var b = await CreateAsync(second, "price", "Their prices");

        Assert.Equal([a], await ListIdsAsync(first, ""));
        Assert.Equal([b], await ListIdsAsync(second, ""));
    }

    [Fact]
    public async Task Another_tenants_response_is_404_on_get_update_and_delete_and_stays_unchanged()
    {
        var victim = await TestUser.SignUpAsync(_frontend);
        var attacker = await TestUser.SignUpAsync(_frontend);
        var id = await CreateAsync(victim, "secret", "Victim's reply");

        Assert.Equal(HttpStatusCode.NotFound, (await attacker.Http.GetAsync($"{Path}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PatchAsync(attacker, id, """{"content": "hacked"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PatchAsync(attacker, id, """{"content": ""}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await attacker.Http.DeleteAsync($"{Path}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await attacker.Http.GetAsync($"{Path}/cr_not-an-id")).StatusCode);
        Assert.Empty(await ListIdsAsync(attacker, ""));
        Assert.Empty((await attacker.Http.GetFromJsonAsync<JsonElement>($"{Path}/suggest?prefix=sec")).GetProperty("items").EnumerateArray());

        var intact = await victim.Http.GetFromJsonAsync<JsonElement>($"{Path}/{id}");
        Assert.Equal("Victim's reply", intact.GetProperty("content").GetString());
    }

    [Theory]
    [InlineData(TenantRole.Sdr)]
    [InlineData(TenantRole.Member)]
    public async Task Sdrs_and_members_use_responses_but_cannot_manage_them(TenantRole role)
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var id = await CreateAsync(owner, "faq", "See our FAQ");
        var user = await TestMembership.JoinAsync(_frontend, owner.TenantId, role);

        Assert.Equal([id], await ListIdsAsync(user, ""));
        Assert.Equal(HttpStatusCode.OK, (await user.Http.GetAsync($"{Path}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.Http.GetAsync($"{Path}/suggest?prefix=f")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.Http.PostAsJsonAsync(Path, new { shortcut = "mine", content = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PatchAsync(user, id, """{"content": "changed"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.Http.DeleteAsync($"{Path}/{id}")).StatusCode);
        Assert.Equal("See our FAQ", (await owner.Http.GetFromJsonAsync<JsonElement>($"{Path}/{id}")).GetProperty("content").GetString());
    }

    [Fact]
    public async Task Admins_and_admin_api_keys_manage_responses()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var admin = await TestMembership.JoinAsync(_frontend, owner.TenantId, TenantRole.Admin);
        var key = await owner.Http.PostAsJsonAsync($"/api/v1/tenants/{owner.TenantId}/api-keys", new { name = "crm", role = "admin" });
        var created = await key.Content.ReadFromJsonAsync<JsonElement>();
        using var keyClient = _frontend.NewClient();
        keyClient.DefaultRequestHeaders.Add("X-Api-Key", created.GetProperty("key").GetString());

        var byAdmin = await admin.Http.PostAsJsonAsync(Path, new { shortcut = "admin", content = "From the admin" });
        var byKey = await keyClient.PostAsJsonAsync(Path, new { shortcut = "api", content = "From the CRM" });

        Assert.Equal(HttpStatusCode.Created, byAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Created, byKey.StatusCode);
        Assert.Equal(created.GetProperty("id").GetString(), (await byKey.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task The_list_is_by_shortcut_paged_by_cursor_and_searchable()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var ids = new Dictionary<string, string>
        {
            ["refund"] = await CreateAsync(owner, "refund", "Refunds take 5 days", "Money back"),
            ["a-1"] = await CreateAsync(owner, "a-1", "First"),
            ["a_2"] = await CreateAsync(owner, "a_2", "100% guaranteed"),
            ["delivery"] = await CreateAsync(owner, "delivery", "Ships in 2 days"),
            ["b"] = await CreateAsync(owner, "b", "Nothing here"),
        };

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await owner.Http.GetFromJsonAsync<JsonElement>($"{Path}?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("shortcut").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(["a-1", "a_2", "b", "delivery", "refund"], seen);
        Assert.Equal([ids["delivery"], ids["refund"]], await ListIdsAsync(owner, "q=DAYS"));
        Assert.Equal([ids["refund"]], await ListIdsAsync(owner, "q=money"));
        Assert.Equal([ids["delivery"]], await ListIdsAsync(owner, "q=deliv"));
        Assert.Equal([ids["a_2"]], await ListIdsAsync(owner, "q=" + Uri.EscapeDataString("100%")));
        Assert.Equal([ids["a_2"]], await ListIdsAsync(owner, "q=a_"));
        await AssertFieldErrorAsync(await owner.Http.GetAsync($"{Path}?q={new string('q', 101)}"), "q");
        await AssertFieldErrorAsync(await owner.Http.GetAsync($"{Path}?limit=0"), "limit");
        await AssertFieldErrorAsync(await owner.Http.GetAsync($"{Path}?cursor=garbage!"), "cursor");
    }

    [Fact]
    public async Task Suggestions_are_the_first_ten_shortcuts_with_the_prefix_in_shortcut_order()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        foreach (var shortcut in new[] { "greet", "gr", "grab", "great-deal", "hello", "agree" }) await CreateAsync(owner, shortcut, "x");
        for (var i = 11; i >= 0; i--) await CreateAsync(owner, $"z{i:D2}", "x");

        Assert.Equal(["gr", "grab", "great-deal", "greet"], await SuggestAsync(owner, "gr"));
        Assert.Equal(["gr", "grab", "great-deal", "greet"], await SuggestAsync(owner, "%2FGR"));
        Assert.Equal(["great-deal", "greet"], await SuggestAsync(owner, "gre"));
        Assert.Empty(await SuggestAsync(owner, "nothing"));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"z{i:D2}"), await SuggestAsync(owner, "z"));
        Assert.Equal(["agree", "gr", "grab", "great-deal", "greet", "hello", "z00", "z01", "z02", "z03"], await SuggestAsync(owner, ""));
        await AssertFieldErrorAsync(await owner.Http.GetAsync($"{Path}/suggest?prefix=gr%21"), "prefix");
    }

    [Fact]
    public async Task Every_change_is_in_the_audit_log_with_actor_and_target()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var id = await CreateAsync(owner, "audited", "v1");
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(owner, id, """{"shortcut": "audited-2", "content": "v2"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.Http.DeleteAsync($"{Path}/{id}")).StatusCode);

        var entries = await AuditAsync(owner, $"targetType=canned_response&targetId={id}");

        Assert.Equal(["canned_response.deleted", "canned_response.updated", "canned_response.created"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries, e => Assert.Equal(owner.UserId, e.GetProperty("actor").GetProperty("userId").GetString()));
        Assert.Equal("audited", entries[2].GetProperty("details").GetProperty("shortcut").GetString());
        Assert.Equal("shortcut,content", entries[1].GetProperty("details").GetProperty("fields").GetString());
        Assert.Equal("audited", entries[1].GetProperty("details").GetProperty("previousShortcut").GetString());
        Assert.Equal("audited-2", entries[0].GetProperty("details").GetProperty("shortcut").GetString());
        Assert.Single(await AuditAsync(owner, "action=canned_response.created"));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static Task<HttpResponseMessage> PatchAsync(TestUser user, string id, string json) => user.Http.PatchAsync($"{Path}/{id}", Json(json));

    private static async Task<string> CreateAsync(TestUser user, string shortcut, string content, string? title = null)
    {
        var response = await user.Http.PostAsJsonAsync(Path, new { shortcut, content, title });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body.GetProperty("id").GetString()!;
    }

    private static async Task<List<string>> ListIdsAsync(TestUser user, string query)
    {
        var page = await user.Http.GetFromJsonAsync<JsonElement>($"{Path}?{query}");
        return [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];
    }

    private static async Task<List<string>> SuggestAsync(TestUser user, string prefix)
    {
        var page = await user.Http.GetFromJsonAsync<JsonElement>($"{Path}/suggest?prefix={prefix}");
        return [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("shortcut").GetString()!)];
    }

    private static async Task<List<JsonElement>> AuditAsync(TestUser user, string query)
    {
        var page = await user.Http.GetFromJsonAsync<JsonElement>($"/api/v1/audit?{query}");
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    /// <summary>Asserts a 400 whose errors name <paramref name="field"/>; returns the message.</summary>
    private static async Task<string> AssertFieldErrorAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {body}");
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out var messages), $"no error for '{field}': {body}");
        return string.Join(" ", messages.EnumerateArray().Select(m => m.GetString()));
    }

    private static async Task AssertConflictOnShortcutAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"{response.StatusCode}: {body}");
        Assert.True(body.GetProperty("errors").TryGetProperty("shortcut", out _), body.ToString());
    }
}

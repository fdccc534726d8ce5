using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Flexoraa.Tenants;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Leads;

/// <summary>Custom lead field definitions at /api/v1/lead-fields, and how leads and the list use them.</summary>
public sealed class LeadFieldApiTests(FrontendFixture fixture) : IClassFixture<FrontendFixture>, IAsyncLifetime
{
    private readonly TestFrontend _frontend = fixture.Frontend;
    private TestUser _owner = null!;
    private HttpClient Http => _owner.Http;

    public async Task InitializeAsync() => _owner = await TestUser.SignUpAsync(_frontend, company: "Field Co");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_field_is_defined_read_changed_and_deleted_and_its_key_and_type_stay()
    {
        var created = await Http.PostAsJsonAsync("/api/v1/lead-fields", new { key = "plan", label = "Plan", type = "singleSelect", options = new[] { "Gold", "Silver" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/lead-fields/plan", created.Headers.Location!.ToString());
        var field = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("singleSelect", field.GetProperty("type").GetString());

        Assert.Equal(HttpStatusCode.Conflict, (await Http.PostAsJsonAsync("/api/v1/lead-fields", new { key = "plan", type = "text" })).StatusCode);
        var renamed = await Http.PatchAsJsonAsync("/api/v1/lead-fields/plan", new { label = "Plan tier", options = new[] { "Gold", "Silver", "Bronze" } });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("Plan tier", (await renamed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("label").GetString());
        await AssertInvalidAsync(await Http.PatchAsJsonAsync("/api/v1/lead-fields/plan", new { type = "text" }), "type");

        var list = await Http.GetFromJsonAsync<JsonElement>("/api/v1/lead-fields");
        Assert.Equal(["plan"], list.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("key").GetString()));
        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync("/api/v1/lead-fields/plan")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/api/v1/lead-fields/plan")).StatusCode);
    }

    [Fact]
    public async Task A_bad_definition_is_a_400_naming_the_field()
    {
        await AssertInvalidAsync(await Http.PostAsJsonAsync("/api/v1/lead-fields", new { key = "has space", type = "text" }), "key");
        await AssertInvalidAsync(await Http.PostAsJsonAsync("/api/v1/lead-fields", new { key = "x" }), "type");
        await AssertInvalidAsync(await Http.PostAsJsonAsync("/api/v1/lead-fields", new { key = "x", type = "singleSelect" }), "options");
        await AssertInvalidAsync(await Http.PostAsJsonAsync("/api/v1/lead-fields", new { key = "x", type = "number", options = new[] { "1" } }), "options");
        await AssertInvalidAsync(await Http.PostAsJsonAsync("/api/v1/lead-fields", new { key = "x", type = "singleSelect", options = new[] { "a", "" } }), "options[1]");
    }

    [Fact]
    public async Task Lead_values_are_checked_against_their_type_spelt_canonically_and_unknown_keys_are_refused_once_fields_exist()
    {
        // Before any definition, custom fields are free text.
        var early = await CreateAsync(new { firstName = "Early", customFields = new { anything = "goes" } });
        Assert.Equal("goes", early.GetProperty("customFields").GetProperty("anything").GetString());

        await DefineAsync(new { key = "budget", type = "number" });
        await DefineAsync(new { key = "renewal", type = "date" });
        await DefineAsync(new { key = "vip", type = "boolean" });
        await DefineAsync(new { key = "tier", type = "singleSelect", options = new[] { "Gold", "Silver" } });
        await DefineAsync(new { key = "notes", type = "text" });

        var lead = await CreateAsync(new { firstName = "Typed", customFields = new { budget = "5000.50", renewal = "2026-03-31", vip = "TRUE", tier = "gold", notes = "=x" } });
        var values = lead.GetProperty("customFields");
        Assert.Equal("5000.5", values.GetProperty("budget").GetString());
        Assert.Equal("2026-03-31", values.GetProperty("renewal").GetString());
        Assert.Equal("true", values.GetProperty("vip").GetString());
        Assert.Equal("Gold", values.GetProperty("tier").GetString());

        await AssertInvalidAsync(await Http.PostAsJsonAsync("/api/v1/leads", new { firstName = "X", customFields = new { budget = "lots" } }), "customFields.budget");
        await AssertInvalidAsync(await Http.PostAsJsonAsync("/api/v1/leads", new { firstName = "X", customFields = new { renewal = "31/03/2026" } }), "customFields.renewal");
        await AssertInvalidAsync(await Http.PostAsJsonAsync("/api/v1/leads", new { firstName = "X", customFields = new { vip = "maybe" } }), "customFields.vip");
        await AssertInvalidAsync(await Http.PostAsJsonAsync("/api/v1/leads", new { firstName = "X", customFields = new { tier = "Platinum" } }), "customFields.tier");
        await AssertInvalidAsync(await Http.PostAsJsonAsync("/api/v1/leads", new { firstName = "X", customFields = new { budgte = "1" } }), "customFields.budgte");
        await AssertInvalidAsync(await PatchAsync(lead.GetProperty("id").GetString()!, new { customFields = new { vip = "no" } }), "customFields.vip");

        // A value under a key that is no longer defined can still be removed.
        var removed = await PatchAsync(early.GetProperty("id").GetString()!, new { customFields = new Dictionary<string, string?> { ["anything"] = null } });
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
    }

    [Fact]
    public async Task The_list_filters_by_a_custom_field_value_compared_as_its_type()
    {
        await DefineAsync(new { key = "seats", type = "number" });
        await DefineAsync(new { key = "region", type = "singleSelect", options = new[] { "North", "South" } });
        await CreateAsync(new { firstName = "Ten", customFields = new { seats = "10", region = "North" } });
        await CreateAsync(new { firstName = "TenSouth", customFields = new { seats = "10.0", region = "South" } });
        await CreateAsync(new { firstName = "Five", customFields = new { seats = "5", region = "North" } });

        Assert.Equal<string?>(["Ten", "TenSouth"], await NamesAsync("/api/v1/leads?sort=name&field.seats=10.00"));
        Assert.Equal<string?>(["Ten"], await NamesAsync("/api/v1/leads?sort=name&field.seats=10&field.region=north"));
        await AssertInvalidAsync(await Http.GetAsync("/api/v1/leads?field.seats=many"), "field.seats");
        await AssertInvalidAsync(await Http.GetAsync("/api/v1/leads?field.nowhere=1"), "field.nowhere");
    }

    [Fact]
    public async Task Removing_an_option_that_leads_hold_is_a_409()
    {
        await DefineAsync(new { key = "size", type = "singleSelect", options = new[] { "S", "M", "L" } });
        await CreateAsync(new { firstName = "Medium", customFields = new { size = "M" } });
        Assert.Equal(HttpStatusCode.Conflict, (await Http.PatchAsJsonAsync("/api/v1/lead-fields/size", new { options = new[] { "S", "L" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.PatchAsJsonAsync("/api/v1/lead-fields/size", new { options = new[] { "M", "L" } })).StatusCode);
    }

    [Fact]
    public async Task Only_owners_and_admins_define_fields_and_another_tenant_sees_none_of_them()
    {
        await DefineAsync(new { key = "secret_field", type = "text" });
        var sdr = await TestMembership.JoinAsync(_frontend, _owner.TenantId, TenantRole.Sdr);
        Assert.Equal(HttpStatusCode.OK, (await sdr.Http.GetAsync("/api/v1/lead-fields/secret_field")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sdr.Http.PostAsJsonAsync("/api/v1/lead-fields", new { key = "mine", type = "text" })).StatusCode);

        var stranger = await TestUser.SignUpAsync(_frontend, company: "Field Stranger Co");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.GetAsync("/api/v1/lead-fields/secret_field")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.PatchAsJsonAsync("/api/v1/lead-fields/secret_field", new { label = "Mine" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.DeleteAsync("/api/v1/lead-fields/secret_field")).StatusCode);
        Assert.Empty((await stranger.Http.GetFromJsonAsync<JsonElement>("/api/v1/lead-fields")).GetProperty("items").EnumerateArray());
    }

    private async Task DefineAsync(object body)
    {
        var response = await Http.PostAsJsonAsync("/api/v1/lead-fields", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"defining answered {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<JsonElement> CreateAsync(object body)
    {
        var response = await Http.PostAsJsonAsync("/api/v1/leads", body);
        var lead = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create answered {response.StatusCode}: {lead}");
        return lead;
    }

    private async Task<HttpResponseMessage> PatchAsync(string id, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/leads/{id}")
        {
            Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("If-Match", "*");
        return await Http.SendAsync(request);
    }

    private async Task<List<string?>> NamesAsync(string url) =>
        [.. (await Http.GetFromJsonAsync<JsonElement>(url)).GetProperty("items").EnumerateArray().Select(l => l.GetProperty("firstName").GetString())];

    private static async Task AssertInvalidAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400 for {field}, got {response.StatusCode}: {body}");
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), $"the 400 does not name {field}: {body}");
    }
}

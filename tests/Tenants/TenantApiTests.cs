using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Tenants;

/// <summary>The tenant endpoints over HTTP against a frontend that co-hosts a silo on PostgreSQL.</summary>
public sealed class TenantApiTests(FrontendFixture fixture) : IClassFixture<FrontendFixture>, IAsyncLifetime
{
    private readonly TestFrontend _frontend = fixture.Frontend;
    private TestUser _owner = null!;
    private HttpClient Http => _owner.Http;

    public async Task InitializeAsync() => _owner = await TestUser.SignUpAsync(_frontend, company: "Owner Co");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Creating_a_tenant_returns_it_with_defaults_for_an_indian_business()
    {
        var response = await Http.PostAsJsonAsync("/api/v1/tenants", new { name = "  Sharma Electronics  ", website = "https://sharma.example" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var tenant = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = tenant.GetProperty("id").GetString()!;
        Assert.Matches("^tn_[a-z0-9]{16}$", id);
        Assert.Equal($"/api/v1/tenants/{id}", response.Headers.Location!.ToString());
        var profile = tenant.GetProperty("profile");
        Assert.Equal("Sharma Electronics", profile.GetProperty("name").GetString());
        Assert.Equal("IN", profile.GetProperty("country").GetString());
        Assert.Equal("INR", profile.GetProperty("currency").GetString());
        Assert.Equal("Asia/Kolkata", profile.GetProperty("timeZone").GetString());
        Assert.Equal("trial", tenant.GetProperty("plan").GetString());
        Assert.Equal("off", tenant.GetProperty("settings").GetProperty("ai").GetProperty("mode").GetString());
    }

    [Fact]
    public async Task Patching_changes_only_the_fields_sent_and_bumps_the_version()
    {
        var (id, http) = await NewTenantAsync("Patch Me");

        var response = await http.PatchAsJsonAsync($"/api/v1/tenants/{id}", new
        {
            industry = "Real estate",
            ai = new { mode = "auto", persona = "Friendly property advisor", handoffKeywords = new[] { "agent" }, onlyOutsideBusinessHours = true },
            businessHours = new { enabled = true, windows = new[] { new { day = "saturday", opens = "10:00:00", closes = "14:00:00" } }, awayMessage = "Back Monday" },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tenant = await http.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{id}");
        Assert.Equal("Patch Me", tenant.GetProperty("profile").GetProperty("name").GetString());
        Assert.Equal("Real estate", tenant.GetProperty("profile").GetProperty("industry").GetString());
        Assert.Equal("auto", tenant.GetProperty("settings").GetProperty("ai").GetProperty("mode").GetString());
        Assert.Equal("saturday", tenant.GetProperty("settings").GetProperty("businessHours").GetProperty("windows")[0].GetProperty("day").GetString());
        Assert.Equal(2, tenant.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task An_invalid_field_gets_a_400_problem_that_names_it_and_nothing_is_stored()
    {
        var (id, http) = await NewTenantAsync("Valid Name");

        var response = await http.PatchAsJsonAsync($"/api/v1/tenants/{id}", new { name = "Still valid", timeZone = "Mars/Olympus_Mons" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("timeZone", out _));
        var tenant = await http.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{id}");
        Assert.Equal("Valid Name", tenant.GetProperty("profile").GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":"X","country":"ZZ"}""", "country")]
    [InlineData("""{"name":"X","website":"ftp://nope"}""", "website")]
    public async Task Creating_with_a_bad_field_names_that_field(string body, string field)
    {
        var response = await Http.PostAsync("/api/v1/tenants", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
    }

    [Fact]
    public async Task Malformed_json_gets_a_400_problem_not_a_500()
    {
        var response = await Http.PostAsync("/api/v1/tenants", new StringContent("""{"name": "unterminated""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Malformed JSON", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_body_over_the_size_limit_gets_a_413_problem()
    {
        var huge = JsonSerializer.Serialize(new { name = "Big", industry = new string('x', 2 * 1024 * 1024) });

        var response = await Http.PostAsync("/api/v1/tenants", new StringContent(huge, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("tn_doesnotexist0000")]
    [InlineData("not-a-tenant-id")]
    public async Task An_unknown_tenant_is_a_404_problem(string id)
    {
        var get = await Http.GetAsync($"/api/v1/tenants/{id}");
        var patch = await Http.PatchAsJsonAsync($"/api/v1/tenants/{id}", new { name = "Ghost" });

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);
        Assert.Equal("application/problem+json", get.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_tenant_made_at_sign_up_is_readable_by_its_owner_and_the_company_name_is_its_name()
    {
        var tenant = await Http.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{_owner.TenantId}");

        Assert.Equal("Owner Co", tenant.GetProperty("profile").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Without_a_token_the_tenant_api_answers_401()
    {
        var response = await _frontend.Http.GetAsync($"/api/v1/tenants/{_owner.TenantId}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>A fresh owner and tenant for one test, so tests do not see each other's changes.</summary>
    private async Task<(string TenantId, HttpClient Http)> NewTenantAsync(string name)
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: name);
        return (owner.TenantId, owner.Http);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Platform;

/// <summary>
/// Text the database or a channel cannot hold (U+0000, lone surrogates, invalid UTF-8) is refused at the edge with a 400
/// whose <c>errors</c> name the field, whichever endpoint it is sent to; malformed bodies are 400s that name no internal type.
/// </summary>
public sealed class EdgeInputTests : IAsyncLifetime
{
    private TestFrontend _frontend = null!;
    private TestUser _owner = null!;
    private Dictionary<string, string> _ids = null!;

    public async Task InitializeAsync()
    {
        _frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync());
        _owner = await TestUser.SignUpAsync(_frontend, company: "Edge Traders");
        _ids = await SeededTenant.CreateAsync(_frontend, _owner, "Edge Traders");
    }

    public async Task DisposeAsync() => await _frontend.DisposeAsync();

    private string Conversation => Uri.EscapeDataString(_ids["conversationId"]);

    private static ByteArrayContent Json(string json) => Json(Encoding.UTF8.GetBytes(json));

    private static ByteArrayContent Json(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static async Task<JsonElement> ExpectFieldErrorAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {body}");
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), $"the problem does not name '{field}': {body}");
        return problem;
    }

    [Fact]
    public async Task A_NUL_in_a_sign_up_field_is_a_400_naming_that_field()
    {
        using var anonymous = _frontend.NewClient();
        var response = await anonymous.PostAsync("/api/v1/auth/signup",
            Json("""{"email":"nul@example.com","password":"correct horse battery","displayName":"Ann\u0000","companyName":"Nul Co"}"""));
        await ExpectFieldErrorAsync(response, "displayName");
    }

    [Fact]
    public async Task A_NUL_in_a_login_email_is_a_400_naming_the_email()
    {
        using var anonymous = _frontend.NewClient();
        var response = await anonymous.PostAsync("/api/v1/auth/login", Json("""{"email":"a\u0000@example.com","password":"x"}"""));
        await ExpectFieldErrorAsync(response, "email");
    }

    [Fact]
    public async Task A_tenant_name_with_NUL_is_a_400_naming_the_name()
    {
        var created = await _owner.Http.PostAsync("/api/v1/tenants", Json("""{"name":"Evil\u0000Co"}"""));
        await ExpectFieldErrorAsync(created, "name");
        var renamed = await _owner.Http.PatchAsync($"/api/v1/tenants/{_owner.TenantId}", Json("""{"profile":{"name":"Evil\u0000Co"}}"""));
        await ExpectFieldErrorAsync(renamed, "profile.name");
    }

    [Fact]
    public async Task A_null_business_hours_window_is_a_400_naming_the_window()
    {
        var response = await _owner.Http.PatchAsync($"/api/v1/tenants/{_owner.TenantId}", Json("""{"businessHours":{"enabled":false,"windows":[null]}}"""));
        await ExpectFieldErrorAsync(response, "businessHours.windows[0]");
    }

    [Fact]
    public async Task A_NUL_in_a_note_is_a_400_naming_the_body_field()
    {
        var response = await _owner.Http.PostAsync($"/api/v1/conversations/{Conversation}/notes", Json("""{"body":"see \u0000 here"}"""));
        await ExpectFieldErrorAsync(response, "body");
    }

    [Theory]
    [InlineData("q")]
    [InlineData("tag")]
    [InlineData("assignee")]
    [InlineData("channelAccountId")]
    public async Task A_NUL_in_an_inbox_filter_is_a_400_naming_the_filter(string filter)
    {
        var response = await _owner.Http.GetAsync($"/api/v1/conversations?{filter}=a%00b");
        await ExpectFieldErrorAsync(response, filter);
    }

    [Fact]
    public async Task A_NUL_in_an_audit_filter_is_a_400_naming_the_filter()
    {
        var response = await _owner.Http.GetAsync("/api/v1/audit?action=a%00b");
        await ExpectFieldErrorAsync(response, "action");
    }

    [Fact]
    public async Task A_NUL_in_a_path_value_is_a_400()
    {
        // Kestrel itself refuses %00 in a path before routing; the edge check covers route values for any other server.
        var response = await _owner.Http.GetAsync("/api/v1/canned-responses/cr_%00");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_reply_is_a_400_naming_the_text()
    {
        var response = await _owner.Http.PostAsync($"/api/v1/conversations/{Conversation}/messages", Json("""{"text":"\ud800"}"""));
        await ExpectFieldErrorAsync(response, "text");
    }

    [Fact]
    public async Task A_lone_surrogate_as_a_conversation_status_is_a_400_naming_the_status()
    {
        var response = await _owner.Http.PatchAsync($"/api/v1/conversations/{Conversation}", Json("""{"status":"\ud800"}"""));
        await ExpectFieldErrorAsync(response, "status");
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_property_name_is_a_400_naming_the_property()
    {
        var response = await _owner.Http.PostAsync("/api/v1/canned-responses", Json("""{"shortcut":"ok","content":"ok","\udc00":1}"""));
        await ExpectFieldErrorAsync(response, "\ufffd");
    }

    [Fact]
    public async Task Invalid_UTF8_in_a_canned_response_patch_is_a_400_naming_the_body()
    {
        var response = await _owner.Http.PatchAsync($"/api/v1/canned-responses/{_ids["cannedResponseId"]}", Json([0xFF, 0xFE]));
        await ExpectFieldErrorAsync(response, "body");
    }

    [Fact]
    public async Task Invalid_UTF8_inside_a_string_is_a_400_naming_the_field()
    {
        byte[] body = [.. "{\"shortcut\":\"ok\",\"content\":\""u8, 0xC3, 0x28, .. "\"}"u8];
        var response = await _owner.Http.PostAsync("/api/v1/canned-responses", Json(body));
        await ExpectFieldErrorAsync(response, "content");
    }

    [Fact]
    public async Task A_duplicate_JSON_key_is_a_400_naming_the_key()
    {
        var response = await _owner.Http.PostAsync("/api/v1/canned-responses", Json("""{"shortcut":"one","shortcut":"two","content":"x"}"""));
        await ExpectFieldErrorAsync(response, "shortcut");
    }

    [Fact]
    public async Task A_truncated_multipart_reply_is_a_400_naming_the_body()
    {
        var response = await PostRawReplyFormAsync(
            "--edge\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\nhalf a fi");
        await ExpectFieldErrorAsync(response, "body");
    }

    [Fact]
    public async Task A_multipart_file_name_with_NUL_is_a_400_naming_the_file()
    {
        var response = await PostRawReplyFormAsync(
            "--edge\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''a%00.png\r\nContent-Type: image/png\r\n\r\nPNG\r\n--edge--\r\n");
        await ExpectFieldErrorAsync(response, "file");
    }

    [Fact]
    public async Task A_body_of_the_wrong_type_is_a_400_that_names_the_field_and_no_internal_type()
    {
        var response = await _owner.Http.PostAsync("/api/v1/canned-responses", Json("""{"shortcut":12,"content":"x"}"""));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("System.", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Flexoraa.", body, StringComparison.Ordinal);
        Assert.Contains("shortcut", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_body_is_a_400_that_does_not_talk_about_services()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/canned-responses") { Content = new ByteArrayContent([]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await _owner.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("Did you mean", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Flexoraa.", body, StringComparison.Ordinal);
    }

    /// <summary>Posts a hand-written multipart body (boundary <c>edge</c>) as a reply, exactly as given, damage included.</summary>
    private async Task<HttpResponseMessage> PostRawReplyFormAsync(string raw)
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(raw));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=edge");
        return await _owner.Http.PostAsync($"/api/v1/conversations/{Conversation}/messages", content);
    }
}

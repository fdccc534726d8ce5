using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Platform;

/// <summary>
/// Cursors are opaque and tamper-evident: a cursor the API did not issue for this very list is a 400 naming
/// <c>cursor</c> on every paginated endpoint, never a 500 or a database error; a cursor it did issue still pages.
/// </summary>
public sealed class CursorTamperingTests : IAsyncLifetime
{
    private TestFrontend _frontend = null!;
    private TestUser _owner = null!;
    private Dictionary<string, string> _ids = null!;

    public async Task InitializeAsync()
    {
        _frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync());
        // Two channel accounts below: more than Trial allows.
        _owner = await (await TestUser.SignUpAsync(_frontend, company: "Cursor Traders")).OnPlanAsync(_frontend, Flexoraa.Tenants.TenantPlan.Growth);
        _ids = await SeededTenant.CreateAsync(_frontend, _owner, "Cursor Traders");
        // A second item of each kind, so every list below has a next page at limit=1.
        (await _owner.Http.PostAsJsonAsync($"/api/v1/tenants/{_owner.TenantId}/api-keys", new { name = "second key", role = "member" })).EnsureSuccessStatusCode();
        (await _owner.Http.PostAsJsonAsync($"/api/v1/tenants/{_owner.TenantId}/invitations", new { email = "second@cursor.example", role = "member" })).EnsureSuccessStatusCode();
        (await _owner.Http.PostAsJsonAsync("/api/v1/canned-responses", new { shortcut = "second", content = "Second" })).EnsureSuccessStatusCode();
        (await _owner.Http.PostAsJsonAsync("/api/v1/channels", new
        {
            channel = "messenger", pageId = "1234509876543", pageAccessToken = "EAAG-second-page-token", appSecret = "second-app-secret",
        })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _frontend.DisposeAsync();

    /// <summary>Every paginated list, with the name of its cursor parameter.</summary>
    private string[] Lists() =>
    [
        "/api/v1/conversations?cursor=",
        "/api/v1/channels?cursor=",
        "/api/v1/canned-responses?cursor=",
        $"/api/v1/tenants/{_owner.TenantId}/api-keys?cursor=",
        $"/api/v1/tenants/{_owner.TenantId}/members?cursor=",
        $"/api/v1/tenants/{_owner.TenantId}/invitations?cursor=",
        "/api/v1/audit?cursor=",
        "/api/v1/search/messages?q=cursor&cursor=",
        $"/api/v1/conversations/{Uri.EscapeDataString(_ids["conversationId"])}?before=",
    ];

    private static string Encoded(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static TheoryData<string, string> CraftedCursors() => new()
    {
        { "the empty object", "e30" },
        { "a null id", Encoded("""{"id":null}""") },
        { "a +05:00 offset", Encoded("""{"createdAt":"2025-01-01T10:00:00+05:00","id":"x","lastMessageAt":"2025-01-01T10:00:00+05:00","occurredAt":"2025-01-01T10:00:00+05:00","joinedAt":"2025-01-01T10:00:00+05:00","userId":"x","shortcut":"x","rank":1}""") },
        { "an unsigned but well-formed key", Encoded("""{"createdAt":"2025-01-01T10:00:00Z","id":"x"}""") },
        { "garbage", "!!not-a-cursor!!" },
    };

    [Theory]
    [MemberData(nameof(CraftedCursors))]
    public async Task A_crafted_cursor_is_a_400_naming_the_cursor_on_every_list(string what, string cursor)
    {
        var failures = new List<string>();
        foreach (var list in Lists()) await ExpectInvalidCursorAsync(list, cursor, what, failures);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task A_real_cursor_pages_and_the_same_cursor_with_one_character_changed_is_a_400()
    {
        var failures = new List<string>();
        foreach (var list in Lists().Where(l => !l.Contains("search", StringComparison.Ordinal) && !l.Contains("before", StringComparison.Ordinal)
                                               && !l.Contains("/conversations?", StringComparison.Ordinal) && !l.Contains("/members", StringComparison.Ordinal)))
        {
            var first = await _owner.Http.GetFromJsonAsync<JsonElement>(list.Replace("cursor=", "limit=1", StringComparison.Ordinal));
            var next = first.GetProperty("nextCursor").GetString();
            Assert.False(next is null, $"{list} has no second page to test with.");
            var second = await _owner.Http.GetAsync(list + next + "&limit=1");
            var page = await second.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(second.StatusCode == HttpStatusCode.OK, $"{list} refused its own cursor: {page}");
            Assert.NotEqual(first.GetProperty("items")[0].GetRawText(), page.GetProperty("items")[0].GetRawText());

            var middle = next!.Length / 2;
            var flipped = next[..middle] + (next[middle] == 'A' ? 'B' : 'A') + next[(middle + 1)..];
            await ExpectInvalidCursorAsync(list, flipped, "one character changed", failures);
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task A_cursor_issued_by_one_list_is_refused_by_another_of_the_same_shape()
    {
        // API keys and channels both page by (createdAt, id): a key cursor must not be taken for a channel cursor.
        var keys = await _owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{_owner.TenantId}/api-keys?limit=1");
        var cursor = keys.GetProperty("nextCursor").GetString()!;
        var failures = new List<string>();
        await ExpectInvalidCursorAsync("/api/v1/channels?cursor=", cursor, "an API-key cursor", failures);
        await ExpectInvalidCursorAsync($"/api/v1/tenants/{_owner.TenantId}/invitations?cursor=", cursor, "an API-key cursor", failures);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private async Task ExpectInvalidCursorAsync(string list, string cursor, string what, List<string> failures)
    {
        var field = list.EndsWith("before=", StringComparison.Ordinal) ? "before" : "cursor";
        using var response = await _owner.Http.GetAsync(list + cursor);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.BadRequest)
        {
            failures.Add($"{list} with {what} answered {(int)response.StatusCode}: {body}");
            return;
        }
        var errors = JsonDocument.Parse(body).RootElement.TryGetProperty("errors", out var e) ? e : default;
        if (errors.ValueKind != JsonValueKind.Object || !errors.TryGetProperty(field, out _)) failures.Add($"{list} with {what} did not name '{field}': {body}");
        if (body.Contains("timestamp", StringComparison.OrdinalIgnoreCase) || body.Contains("Npgsql", StringComparison.Ordinal)) failures.Add($"{list} with {what} leaked: {body}");
    }
}

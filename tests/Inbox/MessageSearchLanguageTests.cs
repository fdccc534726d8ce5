using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tests.ChannelAccounts;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Inbox;

/// <summary>
/// Message search stems words in the tenant's search language (a tenant setting; migration 0026 stores each row's
/// configuration), through signed webhooks, the tenant settings endpoint and the search and list APIs.
/// </summary>
public sealed class MessageSearchLanguageTests(MetaAppFrontend fixture) : IClassFixture<MetaAppFrontend>
{
    private readonly TestFrontend _frontend = fixture.Frontend;

    [Fact]
    public async Task An_english_tenant_finds_chairs_when_it_searches_for_chair_and_its_snippet_marks_the_word_as_written()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        await SetLanguageAsync(inbox, "english");
        const string contact = "919811100001";
        await inbox.SendAsync(contact, "Do you have blue chairs in stock?", DateTimeOffset.UtcNow.AddMinutes(-5));
        await inbox.SendAsync(contact, "And a red table", DateTimeOffset.UtcNow.AddMinutes(-4));
        await inbox.WaitForMessagesAsync();

        var hit = Assert.Single(await SearchAsync(inbox, "chair"));
        Assert.Contains("<mark>chairs</mark>", hit.GetProperty("snippet").GetString(), StringComparison.Ordinal);
        Assert.Equal("english", await StoredConfigAsync(inbox, "Do you have blue chairs in stock?"));
        // Each row is checked in its own language, so an excluded word is excluded in its stemmed form too.
        Assert.Empty(await SearchAsync(inbox, "blue -chairs"));
        Assert.Single(await SearchAsync(inbox, "tables"));
        // The conversation list's q filter reads the messages the same way.
        var list = await inbox.Owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/conversations?q=chair");
        Assert.Equal(inbox.ConversationIdOf(contact), Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_spanish_tenant_finds_casas_when_it_searches_for_casa()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        await SetLanguageAsync(inbox, "Spanish ");
        await inbox.SendAsync("919811100002", "Busco casas cerca de la playa", DateTimeOffset.UtcNow.AddMinutes(-5));
        await inbox.WaitForMessagesAsync();

        Assert.Single(await SearchAsync(inbox, "casa"));
        Assert.Equal("spanish", await StoredConfigAsync(inbox, "Busco casas cerca de la playa"));
    }

    [Fact]
    public async Task A_tenant_that_switches_language_still_finds_its_older_messages_in_the_language_they_were_indexed_in()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        const string contact = "919811100003";
        // Written under the default (simple: exact words), then under English, then the tenant moves to Spanish.
        await inbox.SendAsync(contact, "Two sofas please", DateTimeOffset.UtcNow.AddMinutes(-9));
        await inbox.WaitForMessagesAsync();
        Assert.Equal("simple", await StoredConfigAsync(inbox, "Two sofas please"));
        await SetLanguageAsync(inbox, "english");
        // The silo of the tenant grain takes the change at once (other silos of a cluster within a minute).
        await inbox.SendAsync("919811100004", "I was running late", DateTimeOffset.UtcNow.AddMinutes(-8));
        await inbox.WaitForMessagesAsync();
        Assert.Equal("english", await StoredConfigAsync(inbox, "I was running late"));

        var tenant = await SetLanguageAsync(inbox, "spanish");

        Assert.Equal("spanish", tenant.GetProperty("settings").GetProperty("searchLanguage").GetString());
        Assert.Equal(["english"], tenant.GetProperty("settings").GetProperty("earlierSearchLanguages").EnumerateArray().Select(l => l.GetString()));
        Assert.Single(await SearchAsync(inbox, "runs"));
        Assert.Single(await SearchAsync(inbox, "sofas"));
        Assert.Empty(await SearchAsync(inbox, "sofa"));
    }

    [Theory]
    [InlineData("klingon")]
    [InlineData("")]
    [InlineData("english; DROP TABLE messages")]
    public async Task An_unknown_search_language_is_a_400_that_names_the_field_and_the_languages_allowed(string language)
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);

        var response = await inbox.Owner.Http.PatchAsJsonAsync($"/api/v1/tenants/{inbox.TenantId}", new { searchLanguage = language });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var message = problem.GetProperty("errors").GetProperty("searchLanguage")[0].GetString()!;
        foreach (var allowed in new[] { "english", "spanish", "portuguese", "simple" }) Assert.Contains(allowed, message, StringComparison.Ordinal);
        var tenant = await inbox.Owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{inbox.TenantId}");
        Assert.Equal("simple", tenant.GetProperty("settings").GetProperty("searchLanguage").GetString());
    }

    private static async Task<JsonElement> SetLanguageAsync(InboxTenant inbox, string language)
    {
        var response = await inbox.Owner.Http.PatchAsJsonAsync($"/api/v1/tenants/{inbox.TenantId}", new { searchLanguage = language });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body;
    }

    private static async Task<List<JsonElement>> SearchAsync(InboxTenant inbox, string q) =>
        [.. (await inbox.Owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/search/messages?q=" + Uri.EscapeDataString(q))).GetProperty("items").EnumerateArray()];

    private async Task<string?> StoredConfigAsync(InboxTenant inbox, string body) =>
        (string?)(await OwnerSql.QueryAsync(_frontend, "SELECT search_config::text AS c FROM messages WHERE tenant_id = @t AND body = @b", ("t", inbox.TenantId), ("b", body)))[0]["c"];
}

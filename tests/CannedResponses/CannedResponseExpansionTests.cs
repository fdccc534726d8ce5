using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tenants;
using Flexoraa.Tests.ChannelAccounts;
using Flexoraa.Tests.Inbox;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.CannedResponses;

/// <summary>
/// <c>POST /api/v1/conversations/{id}/canned-responses/expand</c> over conversations that real signed webhooks created:
/// every variable from the conversation, the caller and the tenant; fallbacks; the rest of the text kept; the errors.
/// </summary>
public sealed class CannedResponseExpansionTests(MetaAppFrontend fixture) : IClassFixture<MetaAppFrontend>
{
    private const string AllVariables =
        "name={{contact.name}}; first={{contact.first_name}}; phone={{contact.phone}}; agent={{agent.name}}; " +
        "agentFirst={{agent.first_name}}; tenant={{tenant.name}}; conversation={{conversation.id}}";

    private readonly TestFrontend _frontend = fixture.Frontend;

    [Fact]
    public async Task Each_variable_is_filled_from_the_conversation_the_agent_and_the_tenant()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend, company: "Sunrise Traders");
        var id = await ConversationAsync(inbox, "919876543210", "Priya Sharma");
        await CreateAsync(inbox.Owner, "all", AllVariables);
        var agent = "Test " + inbox.Owner.Email[..8];

        var expanded = await ExpandAsync(inbox.Owner.Http, id, "/all");

        Assert.Equal(HttpStatusCode.OK, expanded.StatusCode);
        var body = await expanded.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(
            $"name=Priya Sharma; first=Priya; phone=+919876543210; agent={agent}; agentFirst=Test; tenant=Sunrise Traders; conversation={id}",
            body.GetProperty("text").GetString());
        Assert.Equal("all", body.GetProperty("shortcut").GetString());
        Assert.StartsWith("cr_", body.GetProperty("cannedResponseId").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_leading_shortcut_is_replaced_and_the_rest_of_the_text_kept()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var id = await ConversationAsync(inbox, "919876500001", "Priya Sharma");
        await CreateAsync(inbox.Owner, "greet", "Hi {{contact.first_name}},");

        Assert.Equal("Hi Priya, see you soon", await ExpandedTextAsync(inbox.Owner.Http, id, "/greet see you soon"));
        Assert.Equal("Hi Priya,", await ExpandedTextAsync(inbox.Owner.Http, id, "/greet"));
        Assert.Equal("Hi Priya,\nThanks! /greet stays", await ExpandedTextAsync(inbox.Owner.Http, id, "/GREET\nThanks! /greet stays"));
    }

    [Fact]
    public async Task Missing_values_give_the_fallback_or_nothing_and_never_a_tag()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var id = await ConversationAsync(inbox, "919876500002", name: null);
        await CreateAsync(inbox.Owner, "fb", "Hi {{contact.name | \"there\"}}, {{agent.first_name | \"our team\"}} here{{contact.first_name}}.");
        var key = await inbox.Owner.Http.PostAsJsonAsync($"/api/v1/tenants/{inbox.TenantId}/api-keys", new { name = "bot", role = "member" });
        using var bot = _frontend.NewClient();
        bot.DefaultRequestHeaders.Add("X-Api-Key", (await key.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString());

        var text = await ExpandedTextAsync(bot, id, "/fb");

        Assert.Equal("Hi there, our team here.", text);
    }

    [Fact]
    public async Task Text_without_a_known_shortcut_is_404_naming_it_and_text_without_a_slash_is_400()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var id = await ConversationAsync(inbox, "919876500003", "Priya");
        await CreateAsync(inbox.Owner, "greet", "Hi");

        var unknown = await ExpandAsync(inbox.Owner.Http, id, "/gret hello");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var problem = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("gret", problem.GetProperty("shortcut").GetString());
        Assert.Contains("/gret", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await ExpandAsync(inbox.Owner.Http, id, "/gr!et")).StatusCode);

        foreach (var text in new[] { "greet", " /greet", "", "/", "/ greet" })
        {
            var response = await ExpandAsync(inbox.Owner.Http, id, text);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"'{text}': {response.StatusCode} {body}");
            Assert.True(body.GetProperty("errors").TryGetProperty("text", out _), body.ToString());
        }
        var missing = await inbox.Owner.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/canned-responses/expand", new { });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Fact]
    public async Task Another_tenants_conversation_is_404_and_their_shortcuts_are_not_found()
    {
        var victim = await InboxTenant.CreateAsync(_frontend, company: "Victim Traders");
        var id = await ConversationAsync(victim, "919876500004", "Priya Sharma");
        var attacker = await InboxTenant.CreateAsync(_frontend, company: "Attacker Co");
        var own = await ConversationAsync(attacker, "919876500005", "Someone");
        await CreateAsync(attacker.Owner, "mine", "{{contact.name}}");
        await CreateAsync(victim.Owner, "theirs", "{{tenant.name}}");

        var foreign = await ExpandAsync(attacker.Owner.Http, id, "/mine");
        var foreignBadBody = await ExpandAsync(attacker.Owner.Http, id, "no slash");
        var theirShortcut = await ExpandAsync(attacker.Owner.Http, own, "/theirs");

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.DoesNotContain("Priya", await foreign.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, foreignBadBody.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, theirShortcut.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ExpandAsync(attacker.Owner.Http, "cv_malformed", "/mine")).StatusCode);
    }

    [Theory]
    [InlineData(TenantRole.Sdr)]
    [InlineData(TenantRole.Member)]
    public async Task Sdrs_and_members_expand_responses_with_their_own_name(TenantRole role)
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var id = await ConversationAsync(inbox, "919876500006", "Priya Sharma");
        await CreateAsync(inbox.Owner, "me", "{{agent.name}} for {{contact.first_name}}");
        var user = await TestMembership.JoinAsync(_frontend, inbox.TenantId, role);

        Assert.Equal($"Test {role} for Priya", await ExpandedTextAsync(user.Http, id, "/me"));
    }

    private static async Task<string> ConversationAsync(InboxTenant inbox, string contact, string? name)
    {
        await inbox.SendAsync(contact, "hello", DateTimeOffset.UtcNow, name: name);
        await inbox.WaitForMessagesAsync();
        return inbox.ConversationIdOf(contact);
    }

    private static async Task CreateAsync(TestUser user, string shortcut, string content)
    {
        var response = await user.Http.PostAsJsonAsync("/api/v1/canned-responses", new { shortcut, content });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static Task<HttpResponseMessage> ExpandAsync(HttpClient http, string conversationId, string text) =>
        http.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/canned-responses/expand", new { text });

    private static async Task<string> ExpandedTextAsync(HttpClient http, string conversationId, string text)
    {
        var response = await ExpandAsync(http, conversationId, text);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}");
        return body.GetProperty("text").GetString()!;
    }
}

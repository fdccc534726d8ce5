using System.Net;
using System.Text;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Webhooks;

/// <summary>
/// Signed webhooks carrying what PostgreSQL cannot store as it is: an acknowledged message is stored (normalised)
/// within seconds, never lost to a write that fails forever, and a flood of unusable items fills dead letters only up
/// to their caps.
/// </summary>
public sealed class HostileWebhookTests(DatabaseFrontend host) : IClassFixture<DatabaseFrontend>
{
    private const string TenantAppSecret = "the-tenants-own-app-secret";
    private readonly SignedWebhookClient _client = new(host.Frontend, host.ConnectionString);

    [Fact]
    public async Task A_whatsapp_message_with_a_nul_in_its_text_and_profile_name_is_acknowledged_and_stored_with_the_replacement_character()
    {
        var owner = await TestUser.SignUpAsync(host.Frontend);
        await SignedWebhookClient.ConnectAsync(owner, "whatsapp", "555100001", TenantAppSecret);
        var body = Encoding.UTF8.GetBytes(
            """{"object":"whatsapp_business_account","entry":[{"id":"8856996819413533","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"16505553333","phone_number_id":"555100001"},"contacts":[{"profile":{"name":"Kerry\u0000Fisher"},"wa_id":"919100000001"}],"messages":[{"from":"919100000001","id":"wamid.nul.whatsapp","timestamp":"1603059201","type":"text","text":{"body":"before\u0000after"}}]},"field":"messages"}]}]}""");

        var response = await _client.PostAsync("whatsapp", body, TenantAppSecret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await StoredAsync("wamid.nul.whatsapp");
        Assert.Equal("before\uFFFDafter", await _client.ScalarAsync("SELECT body FROM messages WHERE external_id = 'wamid.nul.whatsapp'"));
        Assert.Equal("before\\u0000after", await _client.ScalarAsync("SELECT raw->'text'->>'body' FROM messages WHERE external_id = 'wamid.nul.whatsapp'"));
        Assert.Equal("Kerry\uFFFDFisher", await _client.ScalarAsync("SELECT contact_name FROM conversations WHERE contact_id = '919100000001'"));
    }

    [Theory]
    [InlineData("messenger", "page", "555200001")]
    [InlineData("instagram", "instagram", "555300001")]
    public async Task A_messenger_or_instagram_message_with_a_nul_and_a_lone_surrogate_is_acknowledged_and_stored_with_the_replacement_character(
        string channel, string objectName, string accountId)
    {
        var owner = await TestUser.SignUpAsync(host.Frontend);
        await SignedWebhookClient.ConnectAsync(owner, channel, accountId, TenantAppSecret);
        var mid = $"m.nul.{channel}";
        var body = Encoding.UTF8.GetBytes(
            $$$"""{"object":"{{{objectName}}}","entry":[{"id":"{{{accountId}}}","time":1458692752478,"messaging":[{"sender":{"id":"PSID-{{{channel}}}"},"recipient":{"id":"{{{accountId}}}"},"timestamp":1458692752478,"message":{"mid":"{{{mid}}}","text":"before\u0000after\ud800"}}]}]}""");

        var response = await _client.PostAsync(channel, body, TenantAppSecret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await StoredAsync(mid);
        Assert.Equal("before\uFFFDafter\uFFFD", await _client.ScalarAsync("SELECT body FROM messages WHERE external_id = @id", ("id", mid)));
    }

    [Fact]
    public async Task Thousands_of_unusable_items_for_one_account_keep_at_most_the_per_account_cap_of_dead_letters()
    {
        const string floodSecret = "an-app-secret-that-floods-one-account";
        await SignedWebhookClient.ConnectAsync(await TestUser.SignUpAsync(host.Frontend), "whatsapp", "555999000", floodSecret);
        var messages = string.Join(",", Enumerable.Range(0, 3000).Select(i =>
            $$$"""{"from":"919100000002","id":"wamid.flood.{{{i}}}","timestamp":"1603059201","type":"text","text":{"body":"flood"}}"""));
        var body = Encoding.UTF8.GetBytes(
            $$$"""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"metadata":{"phone_number_id":"555999001"},"messages":[{{{messages}}}]},"field":"messages"}]}]}""");

        var response = await _client.PostAsync("whatsapp", body, floodSecret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(100L, await _client.CountAsync("SELECT count(*) FROM webhook_dead_letters WHERE external_account_id = '555999001'"));
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync("whatsapp", body, floodSecret)).StatusCode);
        Assert.Equal(100L, await _client.CountAsync("SELECT count(*) FROM webhook_dead_letters WHERE external_account_id = '555999001'"));
    }

    [Fact]
    public async Task Thousands_of_unusable_items_naming_invented_accounts_keep_at_most_the_per_app_cap_of_dead_letters()
    {
        const string floodSecret = "an-app-secret-that-invents-accounts";
        await SignedWebhookClient.ConnectAsync(await TestUser.SignUpAsync(host.Frontend), "whatsapp", "555999100", floodSecret);
        var entries = string.Join(",", Enumerable.Range(0, 3000).Select(i =>
            $$$"""{"id":"1","changes":[{"value":{"metadata":{"phone_number_id":"777{{{i:000000}}}"},"messages":[{"from":"9191","id":"wamid.invented.{{{i}}}","timestamp":"1603059201","type":"text","text":{"body":"x"}}]},"field":"messages"}]}"""));
        var body = Encoding.UTF8.GetBytes($$$"""{"object":"whatsapp_business_account","entry":[{{{entries}}}]}""");

        var response = await _client.PostAsync("whatsapp", body, floodSecret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1000L, await _client.CountAsync("SELECT count(*) FROM webhook_dead_letters WHERE external_account_id LIKE '777%'"));
    }

    private async Task StoredAsync(string externalId) => await Eventually.Get(
        () => _client.CountAsync("SELECT count(*) FROM messages WHERE external_id = @id", ("id", externalId)),
        c => c >= 1, TimeSpan.FromSeconds(20), $"message {externalId} stored");
}

using System.Net;
using System.Text;
using System.Text.Json;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Webhooks;
using Microsoft.Extensions.Configuration;

namespace Flexoraa.Tests.Platform;

/// <summary>
/// Webhooks have their own body limit, larger than the API's 1 MiB, because Meta batches up to 1,000 changes in one
/// delivery; either limit, when exceeded, is a 413 problem that names it.
/// </summary>
public sealed class RequestBodyLimitTests : IAsyncLifetime
{
    private const string AppSecret = "body-limit-app-secret";
    private const long WebhookLimit = 3 * 1024 * 1024;

    private string _connectionString = null!;
    private TestFrontend _frontend = null!;
    private SignedWebhookClient _webhooks = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync();
        _frontend = await TestFrontend.StartAsync(_connectionString, null, null, $"--Flexoraa:Meta:MaxWebhookBodyBytes={WebhookLimit}");
        _webhooks = new SignedWebhookClient(_frontend, _connectionString);
    }

    public async Task DisposeAsync() => await _frontend.DisposeAsync();

    [Fact]
    public void By_default_the_api_takes_1_MiB_and_webhooks_16_MiB()
    {
        var limits = RequestBodyLimits.From(new ConfigurationBuilder().Build());

        Assert.Equal(1024 * 1024, limits.ApiBytes);
        Assert.Equal(16 * 1024 * 1024, limits.WebhookBytes);
    }

    [Fact]
    public async Task A_2_MiB_signed_webhook_batch_is_accepted_and_all_its_messages_are_stored()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        await SignedWebhookClient.ConnectAsync(owner, "whatsapp", "555700001", AppSecret);
        var body = Batch("555700001", "wamid.big", count: 600, textLength: 3500);
        Assert.InRange(body.Length, 2 * 1024 * 1024, WebhookLimit - 1);

        var response = await _webhooks.PostAsync("whatsapp", body, AppSecret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.Get(
            () => _webhooks.CountAsync("SELECT count(*) FROM messages WHERE tenant_id = @t AND external_id LIKE 'wamid.big.%'", ("t", owner.TenantId)),
            n => n == 600, TimeSpan.FromSeconds(90), "the batch's 600 messages");
    }

    [Fact]
    public async Task A_2_MiB_api_body_is_413_with_a_problem_naming_the_1_MiB_limit()
    {
        var json = "{\"email\":\"big@example.com\",\"password\":\"" + new string('p', 2 * 1024 * 1024) + "\",\"displayName\":\"Big\",\"companyName\":\"Big Co\"}";
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        var response = await _frontend.Http.PostAsync("/api/v1/auth/signup", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        Assert.Contains("1 MiB (1048576 bytes)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_webhook_over_its_own_limit_is_413_naming_that_limit_and_stores_nothing()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        await SignedWebhookClient.ConnectAsync(owner, "whatsapp", "555700002", AppSecret);
        var body = Batch("555700002", "wamid.huge", count: 1000, textLength: 3500);
        Assert.True(body.Length > WebhookLimit);

        var response = await _webhooks.PostAsync("whatsapp", body, AppSecret);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("3 MiB (3145728 bytes)", (await ProblemAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await _webhooks.CountAsync("SELECT count(*) FROM messages WHERE tenant_id = @t", ("t", owner.TenantId)));
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>One WhatsApp delivery with <paramref name="count"/> text messages from as many contacts.</summary>
    private static byte[] Batch(string phoneNumberId, string idPrefix, int count, int textLength)
    {
        var text = new string('x', textLength);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var changes = Enumerable.Range(0, count).Select(i =>
        {
            var from = $"9193{i:D8}";
            return "{\"value\":{\"messaging_product\":\"whatsapp\"," +
                $"\"metadata\":{{\"display_phone_number\":\"16505553333\",\"phone_number_id\":\"{phoneNumberId}\"}}," +
                $"\"contacts\":[{{\"profile\":{{\"name\":\"Contact {i}\"}},\"wa_id\":\"{from}\"}}]," +
                $"\"messages\":[{{\"from\":\"{from}\",\"id\":\"{idPrefix}.{i}\",\"timestamp\":\"{timestamp}\",\"type\":\"text\",\"text\":{{\"body\":\"{text}\"}}}}]}},\"field\":\"messages\"}}";
        });
        return Encoding.UTF8.GetBytes("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"8856996819413533\",\"changes\":[" + string.Join(",", changes) + "]}]}");
    }
}

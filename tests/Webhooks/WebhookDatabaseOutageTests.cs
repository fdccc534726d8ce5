using System.Net;
using System.Net.Http.Json;
using Flexoraa.Channels.Meta;
using Flexoraa.Silo.Postgres;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Webhooks;

/// <summary>When PostgreSQL is down, a webhook cannot be made durable, so it must be refused with 503 for Meta to retry.</summary>
public sealed class WebhookDatabaseOutageTests : IAsyncLifetime
{
    private const string AppSecret = "outage-app-secret";
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "flexoraa-outage-" + Guid.NewGuid().ToString("N")[..12]);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await new LocalPostgresServer(Path.Combine(_dataDirectory, "postgres")).StopAsync(immediate: true);
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task With_postgres_down_a_webhook_gets_503_with_retry_after_instead_of_200()
    {
        var frontend = await TestFrontend.StartAsync(null, _dataDirectory, null, configure: null, $"--Flexoraa:Meta:AppSecret={AppSecret}");
        try
        {
            var owner = await TestUser.SignUpAsync(frontend);
            (await owner.Http.PostAsJsonAsync("/api/v1/channels", new { channel = "whatsapp", phoneNumberId = "888000111", wabaId = "1", accessToken = "t" })).EnsureSuccessStatusCode();
            var healthy = WebhookIngressTests.TextMessage("888000111", "wamid.before.outage", "919000088888");
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(frontend, healthy)).StatusCode);
            await new LocalPostgresServer(Path.Combine(_dataDirectory, "postgres")).StopAsync(immediate: true);
            var response = await PostAsync(frontend, WebhookIngressTests.TextMessage("888000111", "wamid.during.outage", "919000088888"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(response.Headers.Contains("Retry-After"));

            // Meta's retry after the database is back succeeds: nothing was lost, just delayed.
            await new LocalPostgresServer(Path.Combine(_dataDirectory, "postgres")).StartAsync();
            var retried = await Eventually.Get(
                async () => (await PostAsync(frontend, WebhookIngressTests.TextMessage("888000111", "wamid.during.outage", "919000088888"))).StatusCode,
                s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "the retried webhook to be accepted");
            Assert.Equal(HttpStatusCode.OK, retried);
        }
        finally
        {
            await frontend.DisposeAsync();
        }
    }

    private static async Task<HttpResponseMessage> PostAsync(TestFrontend frontend, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = content };
        request.Headers.Add(MetaWebhookSignature.HeaderName, new MetaWebhookSignature(AppSecret).Compute(body));
        return await frontend.Http.SendAsync(request);
    }
}

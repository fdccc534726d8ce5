using System.Net;
using System.Net.Http.Json;
using Flexoraa.Channels.Meta;
using Flexoraa.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Runtime;

namespace Flexoraa.Tests.Webhooks;

/// <summary>
/// The durability promise under failure: on a two-silo cluster, webhooks keep coming while one silo is killed with
/// SIGKILL, and every message that was acknowledged with 200 ends up in <c>messages</c> exactly once.
/// </summary>
public sealed class WebhookFailoverTests
{
    private const string AppSecret = "failover-app-secret";

    [Fact]
    public async Task Every_acknowledged_message_is_stored_exactly_once_when_a_silo_is_killed_mid_stream()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        var clusterId = "failover-" + Guid.NewGuid().ToString("N")[..8];
        var serviceId = "svc-" + Guid.NewGuid().ToString("N")[..8];
        string[] shared = [$"--Orleans:ServiceId={serviceId}", "--Orleans:StreamQueueCount=4"];

        // Silo 1 is co-hosted by the frontend that receives the webhooks; silo 2 is its own process, to be killed.
        await using var frontend = await TestFrontend.StartAsync(connectionString, null, clusterId, configure: null,
            [.. shared, $"--Flexoraa:Meta:AppSecret={AppSecret}"]);
        using var victim = SiloProcess.Start(connectionString, clusterId, serviceId, shared);
        var management = frontend.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        await Eventually.Get(async () => (await management.GetHosts(onlyActive: true)).Count, n => n == 2, TimeSpan.FromSeconds(60), "the second silo to join");

        var owner = await TestUser.SignUpAsync(frontend);
        (await owner.Http.PostAsJsonAsync("/api/v1/channels", new { channel = "whatsapp", phoneNumberId = "777000111", wabaId = "1", accessToken = "t" })).EnsureSuccessStatusCode();

        var signer = new MetaWebhookSignature(AppSecret);
        var acknowledged = new List<string>();
        for (var i = 0; i < 150; i++)
        {
            var id = $"wamid.failover.{i}";
            // Forty contacts spread the conversations, and so the work, over both silos.
            var body = WebhookIngressTests.TextMessage("777000111", id, $"91900010{i % 40:D4}");
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = content };
            request.Headers.Add(MetaWebhookSignature.HeaderName, signer.Compute(body));
            using var response = await frontend.Http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.OK) acknowledged.Add(id);

            if (i == 50) victim.Kill();
            await Task.Delay(20);
        }

        Assert.True(acknowledged.Count >= 140, $"only {acknowledged.Count} of 150 webhooks were acknowledged");
        var stored = await Eventually.Get(() => StoredAsync(connectionString), s => acknowledged.All(s.ContainsKey), TimeSpan.FromSeconds(150),
            "every acknowledged message in the read model");
        Assert.All(acknowledged, id => Assert.Equal(1, stored[id]));
    }

    private static async Task<Dictionary<string, int>> StoredAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT external_id, count(*)::int FROM messages WHERE external_id LIKE 'wamid.failover.%' GROUP BY external_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var result = new Dictionary<string, int>();
        while (await reader.ReadAsync()) result[reader.GetString(0)] = reader.GetInt32(1);
        return result;
    }
}

using System.Net;
using System.Net.Http.Json;
using Flexoraa.Channels.Meta;
using Flexoraa.Tests.Infrastructure;
using Npgsql;

namespace Flexoraa.Tests.Webhooks;

/// <summary>
/// The durability promise under failure: on a two-silo cluster, webhooks keep coming while one silo is killed, and every
/// message that was acknowledged with 200 ends up in <c>messages</c> exactly once.
/// </summary>
public sealed class WebhookFailoverTests
{
    private const string AppSecret = "failover-app-secret";

    [Fact]
    public async Task Every_acknowledged_message_is_stored_exactly_once_when_a_silo_is_killed_mid_stream()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        await using var cluster = await PostgresTestCluster.StartAsync(connectionString, silos: 2);
        // The frontend is an Orleans client of that cluster, as in cluster mode.
        await using var frontend = await TestFrontend.StartAsync(connectionString, null, cluster.Options.ClusterId, configure: null,
            "--Flexoraa:CoHostSilo=false", $"--Orleans:ServiceId={cluster.Options.ServiceId}",
            $"--Orleans:StreamQueueCount={PostgresTestCluster.FastFailover.StreamQueueCount}",
            $"--Flexoraa:Meta:AppSecret={AppSecret}");
        var owner = await TestUser.SignUpAsync(frontend);
        (await owner.Http.PostAsJsonAsync("/api/v1/channels", new { channel = "whatsapp", phoneNumberId = "777000111", wabaId = "1", accessToken = "t" })).EnsureSuccessStatusCode();

        var signer = new MetaWebhookSignature(AppSecret);
        var acknowledged = new List<string>();
        var killed = false;
        for (var i = 0; i < 120; i++)
        {
            var id = $"wamid.failover.{i}";
            var body = WebhookIngressTests.TextMessage("777000111", id, $"91900010{i % 20:D4}");
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = content };
            request.Headers.Add(MetaWebhookSignature.HeaderName, signer.Compute(body));
            using var response = await frontend.Http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.OK) acknowledged.Add(id);

            if (i == 40 && !killed)
            {
                await cluster.KillSiloAsync(cluster.Silos[1]);
                killed = true;
            }
            await Task.Delay(25);
        }

        Assert.True(acknowledged.Count >= 100, $"only {acknowledged.Count} of 120 webhooks were acknowledged");
        var stored = await Eventually.Get(() => StoredAsync(connectionString), s => acknowledged.All(s.ContainsKey), TimeSpan.FromSeconds(120),
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

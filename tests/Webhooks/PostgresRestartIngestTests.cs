using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Flexoraa.Silo.Hosting;
using Flexoraa.Silo.Postgres;
using Flexoraa.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Flexoraa.Tests.Webhooks;

/// <summary>
/// PostgreSQL restarts while webhooks keep coming. What was acknowledged before, during or after must be stored exactly
/// once; what was refused (503, so Meta retries) may be stored at most once. The stream provider's pooled connections
/// and its notification listener have to notice the restart and come back by themselves.
/// </summary>
public sealed class PostgresRestartIngestTests : IAsyncLifetime
{
    private const string AppSecret = "restart-app-secret";
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "flexoraa-restart-" + Guid.NewGuid().ToString("N")[..12]);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await new LocalPostgresServer(Path.Combine(_dataDirectory, "postgres")).StopAsync(immediate: true);
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Every_message_acknowledged_around_a_postgres_restart_is_stored_exactly_once()
    {
        await using var frontend = await TestFrontend.StartAsync(null, _dataDirectory, null, configure: null, $"--Flexoraa:Meta:AppSecret={AppSecret}");
        var owner = await TestUser.SignUpAsync(frontend);
        (await owner.Http.PostAsJsonAsync("/api/v1/channels", new { channel = "whatsapp", phoneNumberId = "888000222", wabaId = "1", accessToken = "t" })).EnsureSuccessStatusCode();
        var database = frontend.Services.GetRequiredService<FlexoraaDatabase>();
        // The test's own reads must not reuse pooled connections the restart broke; the app's pools are left alone, since
        // recovering from them is part of what is tested.
        var client = new SignedWebhookClient(frontend, new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        var answers = new ConcurrentDictionary<string, HttpStatusCode>();
        using var stop = new CancellationTokenSource();
        var next = 0;

        var senders = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var id = $"wamid.restart.{Interlocked.Increment(ref next)}";
                try
                {
                    using var response = await client.PostAsync("whatsapp", WebhookIngressTests.TextMessage("888000222", id, $"9190000{next % 40:D5}"), AppSecret);
                    answers[id] = response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    answers[id] = 0;
                }
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(2));
        await database.LocalServer!.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await database.LocalServer.StartAsync();
        await Eventually.Get(() => Task.FromResult(answers.Values.Count(s => s == HttpStatusCode.OK)), _ => true, TimeSpan.FromSeconds(1), "a moment");
        var acknowledgedBeforeTheEnd = await Eventually.Get(
            () => Task.FromResult(answers.Count(a => a.Value == HttpStatusCode.OK && int.Parse(a.Key.Split('.')[2], CultureInfo.InvariantCulture) > next - 50)),
            n => n > 0, TimeSpan.FromSeconds(60), "webhooks to be acknowledged again after the restart");
        await stop.CancelAsync();
        await Task.WhenAll(senders);

        var acknowledged = answers.Where(a => a.Value == HttpStatusCode.OK).Select(a => a.Key).ToHashSet();
        Assert.Contains(answers.Values, s => s != HttpStatusCode.OK);   // the outage was real: something was refused
        Assert.True(acknowledgedBeforeTheEnd > 0);
        await Eventually.Get(
            () => client.CountAsync("SELECT count(*) FROM messages WHERE external_id = ANY(@ids)", ("ids", acknowledged.ToArray())),
            n => n >= acknowledged.Count, TimeSpan.FromSeconds(90), $"all {acknowledged.Count} acknowledged messages to be stored");
        Assert.Equal(acknowledged.Count, await client.CountAsync("SELECT count(*) FROM messages WHERE external_id = ANY(@ids)", ("ids", acknowledged.ToArray())));
        Assert.Equal(0, await client.CountAsync(
            "SELECT count(*) FROM (SELECT external_id FROM messages WHERE external_id LIKE 'wamid.restart.%' GROUP BY external_id HAVING count(*) > 1) AS twice"));
    }
}

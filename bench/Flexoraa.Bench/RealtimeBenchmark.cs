using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Flexoraa.FrontendApi.Hosting;
using Flexoraa.Silo.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Flexoraa.Bench;

/// <summary>
/// Webhook → SignalR latency: a client connected to <c>/hubs/inbox</c> records when each message's <c>MessageReceived</c>
/// arrives, while signed webhooks are sent at fixed rates; plus how many idle connections one frontend holds.
/// </summary>
public static class RealtimeBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        int Get(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }
        var hubConnections = Get("--hub-connections", 2000);
        var seconds = Get("--seconds", 5);
        var rates = new[] { 100, 1000, 0 };

        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
        var data = Path.Combine(Path.GetTempPath(), "flexoraa-rtbench-" + Guid.NewGuid().ToString("N")[..8]);
        var app = await FlexoraaApp.BuildAsync(
        [
            "--urls=http://127.0.0.1:0", $"--Flexoraa:DataDirectory={data}", $"--Flexoraa:Meta:AppSecret={IngestBenchmark.AppSecret}",
            "--Flexoraa:RateLimits:AuthPerIpPerMinute=100000", "--Flexoraa:RateLimits:PerUserPerMinute=100000000",
            "--Flexoraa:RateLimits:PerTenantPerMinute=100000000", "--Logging:LogLevel:Default=Warning",
            "--Orleans:SiloPort=21113", "--Orleans:GatewayPort=40002",
        ]);
        await app.StartAsync();
        var connections = new List<HubConnection>();
        try
        {
            var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            var token = await IngestBenchmark.ConnectChannelAsync(url, app.Services.GetRequiredService<FlexoraaDatabase>().ConnectionString);

            var received = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            var watcher = Connect(url, token);
            watcher.On<JsonElement>("MessageReceived", e => received.TryAdd(e.GetProperty("messageId").GetString()!, DateTimeOffset.UtcNow));
            await watcher.StartAsync();
            connections.Add(watcher);

            Console.WriteLine();
            Console.WriteLine("| rate | sent | delivered to the hub client | p50 ms | p99 ms |");
            Console.WriteLine("|---|---|---|---|---|");
            foreach (var rate in rates)
            {
                var messages = rate == 0 ? 3000 : rate * seconds;
                var runId = Guid.NewGuid().ToString("N")[..8];
                var load = new WebhookLoad(url, IngestBenchmark.AppSecret, IngestBenchmark.PhoneNumberId, new LoadOptions(messages, 32, rate, 100), runId);
                var result = await load.RunAsync();
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (DateTime.UtcNow < deadline && Enumerable.Range(0, messages).Count(i => received.ContainsKey(load.MessageId(i))) < result.Accepted) await Task.Delay(200);
                var latencies = Enumerable.Range(0, messages)
                    .Where(i => received.ContainsKey(load.MessageId(i)))
                    .Select(i => (received[load.MessageId(i)] - result.SentAt[i]).TotalMilliseconds).Order().ToList();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {(rate == 0 ? $"max ({result.AckedPerSecond:0} acked/s)" : rate + " msg/s")} | {messages} | {latencies.Count} | {Percentiles.Of(latencies, 50):0.0} | {Percentiles.Of(latencies, 99):0.0} |"));
            }

            // Idle connections one frontend holds: open them in parallel batches and count the ones that start.
            var opened = 0;
            var failed = 0;
            for (var batch = 0; batch < hubConnections; batch += 100)
            {
                var started = await Task.WhenAll(Enumerable.Range(0, Math.Min(100, hubConnections - batch)).Select(async _ =>
                {
                    var c = Connect(url, token);
                    try
                    {
                        await c.StartAsync();
                        lock (connections) connections.Add(c);
                        return true;
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException or TimeoutException)
                    {
                        await c.DisposeAsync();
                        return false;
                    }
                }));
                opened += started.Count(s => s);
                failed += started.Count(s => !s);
            }
            Console.WriteLine();
            Console.WriteLine($"Concurrent hub connections held by one frontend: {opened} of {hubConnections} attempted ({failed} failed); " +
                $"process working set {Environment.WorkingSet / (1024 * 1024)} MiB.");
        }
        finally
        {
            await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()));
            await app.StopAsync();
            await app.DisposeAsync();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        return 0;
    }

    private static HubConnection Connect(Uri url, string token) => new HubConnectionBuilder()
        .WithUrl(new Uri(url, "/hubs/inbox"), HttpTransportType.WebSockets, o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
        .Build();
}

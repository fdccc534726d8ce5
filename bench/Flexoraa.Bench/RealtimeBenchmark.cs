using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Flexoraa.Channels;
using Flexoraa.FrontendApi.Hosting;
using Flexoraa.FrontendApi.Realtime;
using Flexoraa.Realtime;
using Flexoraa.Silo.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Flexoraa.Bench;

/// <summary>
/// Webhook → SignalR latency: a client connected to <c>/hubs/inbox</c> records when each message's <c>MessageReceived</c>
/// arrives, while signed webhooks are sent at fixed rates; the <c>tenant-updates</c> hop alone (publish to the tenant's
/// sequencer → client); then how many idle connections one frontend holds, what each costs, and how long one event takes
/// to reach all of them. The idle connections live in a child process (<see cref="HubClientsProcess"/>).
/// Arguments starting with <c>--Orleans:</c> or <c>--Flexoraa:</c> are passed to the host, e.g.
/// <c>--Orleans:LiveStreamPullPeriod=00:00:00.005</c>.
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
        var hubConnections = Get("--hub-connections", 20000);
        var seconds = Get("--seconds", 5);
        var hostArgs = args.Where(a => a.StartsWith("--Orleans:", StringComparison.Ordinal) || a.StartsWith("--Flexoraa:", StringComparison.Ordinal)).ToArray();

        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; {OpenFilesLimit()}");
        if (hostArgs.Length > 0) Console.WriteLine($"Host arguments: {string.Join(' ', hostArgs)}");
        var data = Path.Combine(Path.GetTempPath(), "flexoraa-rtbench-" + Guid.NewGuid().ToString("N")[..8]);
        var calls = new GrainCallCounter();
        var app = await FlexoraaApp.BuildAsync(
        [
            "--urls=http://127.0.0.1:0", $"--Flexoraa:DataDirectory={data}", $"--Flexoraa:Meta:AppSecret={IngestBenchmark.AppSecret}",
            "--Flexoraa:RateLimits:AuthPerIpPerMinute=100000", "--Flexoraa:RateLimits:PerUserPerMinute=100000000",
            "--Flexoraa:RateLimits:PerTenantPerMinute=100000000", "--Logging:LogLevel:Default=Warning",
            "--Orleans:SiloPort=21113", "--Orleans:GatewayPort=40002", .. hostArgs,
        ], b => b.Services.AddSingleton<IOutgoingGrainCallFilter>(calls));
        await app.StartAsync();
        var connections = new List<HubConnection>();
        try
        {
            var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            var token = await IngestBenchmark.ConnectChannelAsync(url, app.Services.GetRequiredService<FlexoraaDatabase>().ConnectionString);
            var tenantId = TenantOf(token);

            var received = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            var watcher = Connect(url, token);
            watcher.On<JsonElement>("MessageReceived", e => received.TryAdd(e.GetProperty("externalId").GetString()!, DateTimeOffset.UtcNow));
            await watcher.StartAsync();
            connections.Add(watcher);

            // Warm-up: the first message of each contact activates its conversation, links a lead and registers the
            // stream; the rows below measure the steady state of a busy inbox, not 100 first contacts.
            var warmUp = new WebhookLoad(url, IngestBenchmark.AppSecret, IngestBenchmark.PhoneNumberId, new LoadOptions(300, 32, 0, 100), "warmup");
            var warmed = await warmUp.RunAsync();
            var warmLatencies = await LatenciesAsync(received, 300, warmUp.MessageId, i => warmed.SentAt[i], warmed.Accepted);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Warm-up (first messages of 100 contacts, not in the table): {warmLatencies.Count} delivered, p50 {Percentiles.Of(warmLatencies, 50):0.0} ms, p99 {Percentiles.Of(warmLatencies, 99):0.0} ms"));

            Console.WriteLine();
            Console.WriteLine("Webhook → hub client:");
            Console.WriteLine("| rate | sent | delivered to the hub client | p50 ms | p99 ms |");
            Console.WriteLine("|---|---|---|---|---|");
            foreach (var rate in new[] { 100, 1000, 0 })
            {
                var messages = rate == 0 ? 3000 : rate * seconds;
                var load = new WebhookLoad(url, IngestBenchmark.AppSecret, IngestBenchmark.PhoneNumberId, new LoadOptions(messages, 32, rate, 100), Guid.NewGuid().ToString("N")[..8]);
                var result = await load.RunAsync();
                var latencies = await LatenciesAsync(received, messages, load.MessageId, i => result.SentAt[i], result.Accepted);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {(rate == 0 ? $"max ({result.AckedPerSecond:0} acked/s)" : rate + " msg/s")} | {messages} | {latencies.Count} | {Percentiles.Of(latencies, 50):0.0} | {Percentiles.Of(latencies, 99):0.0} |"));
            }

            Console.WriteLine();
            Console.WriteLine("The tenant-updates hop alone (ITenantUpdatesGrain.Publish → live stream → relay → hub client):");
            Console.WriteLine("| rate | published | delivered | p50 ms | p99 ms |");
            Console.WriteLine("|---|---|---|---|---|");
            var updates = app.Services.GetRequiredService<IGrainFactory>().GetGrain<ITenantUpdatesGrain>(tenantId);
            foreach (var rate in new[] { 100, 1000, 0 })
            {
                var messages = rate == 0 ? 20000 : rate * seconds;
                var (sentAt, perSecond, id) = await PublishAsync(updates, tenantId, messages, rate);
                var latencies = await LatenciesAsync(received, messages, id, i => sentAt[i], messages);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {(rate == 0 ? $"max ({perSecond:0}/s)" : rate + "/s")} | {messages} | {latencies.Count} | {Percentiles.Of(latencies, 50):0.0} | {Percentiles.Of(latencies, 99):0.0} |"));
            }

            if (hubConnections > 0) await HoldConnectionsAsync(url, token, hubConnections, calls, app.Services.GetRequiredService<TenantUpdatesSubscriptions>(), received);
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

    private static async Task HoldConnectionsAsync(Uri url, string token, int count, GrainCallCounter calls, TenantUpdatesSubscriptions relay, ConcurrentDictionary<string, DateTimeOffset> received)
    {
        GC.Collect();
        var workingSetBefore = Process.GetCurrentProcess().WorkingSet64;
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var callsBefore = calls.Snapshot();
        var subscribesBefore = relay.SubscribeCalls;

        // The clients get their own process and a raised descriptor limit (we run as root), so neither the server's
        // limit nor the clients' memory is shared with the server being measured.
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"ulimit -n 1048576 2>/dev/null || ulimit -n $(ulimit -Hn); exec dotnet \"{typeof(RealtimeBenchmark).Assembly.Location}\" realtime-clients {url} {token} {count}");
        using var clients = Process.Start(start)!;
        var opened = await clients.StandardOutput.ReadLineAsync() ?? "";
        GC.Collect();
        var workingSetAfter = Process.GetCurrentProcess().WorkingSet64;
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        var held = int.Parse(opened.Split(' ')[1], CultureInfo.InvariantCulture);

        Console.WriteLine();
        Console.WriteLine($"Idle hub connections (client process: {opened})");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Held by one frontend: {held} of {count}; server working set {workingSetBefore / 1048576} → {workingSetAfter / 1048576} MiB, " +
            $"managed heap {heapBefore / 1048576} → {heapAfter / 1048576} MiB (≈ {(heapAfter - heapBefore) / Math.Max(1, held) / 1024.0:0.0} KiB per connection); " +
            $"open descriptors {Directory.GetFiles("/proc/self/fd").Length}."));
        // Orleans' own calls (the live queues' polling) run whether anyone connects or not; they are listed apart.
        var delta = GrainCallCounter.Delta(callsBefore, calls.Snapshot()).ToList();
        string Describe(IEnumerable<(string Call, long Count)> list) => string.Join(", ", list.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Call} {d.Count} ({d.Count / (double)Math.Max(1, held):0.00} per connection)")));
        var ours = delta.Where(d => !d.Call.StartsWith("Orleans.", StringComparison.Ordinal)).ToList();
        Console.WriteLine($"Stream subscriptions taken while connecting: {relay.SubscribeCalls - subscribesBefore}. Grain calls made while connecting: " +
            (ours.Count == 0 ? "none" : Describe(ours)) + $"; Orleans-internal in the same period: {Describe(delta.Except(ours))}.");

        // One event to every held connection of the tenant: the hub's group fan-out.
        for (var i = 0; i < 3; i++)
        {
            var load = new WebhookLoad(url, IngestBenchmark.AppSecret, IngestBenchmark.PhoneNumberId, new LoadOptions(1, 1, 0, 1), $"fanout{i}{Guid.NewGuid():N}"[..16]);
            await clients.StandardInput.WriteLineAsync($"expect {load.MessageId(0)}");
            await clients.StandardInput.FlushAsync();
            await clients.StandardOutput.ReadLineAsync(); // ready
            var result = await load.RunAsync();
            var sentTicks = result.SentAt[0].UtcTicks;
            var parts = (await clients.StandardOutput.ReadLineAsync() ?? "fanout 0 0 0 0").Split(' ');
            double Ms(string ticks) => (long.Parse(ticks, CultureInfo.InvariantCulture) - sentTicks) / (double)TimeSpan.TicksPerMillisecond;
            var watcherMs = received.TryGetValue(load.MessageId(0), out var at) ? (at - result.SentAt[0]).TotalMilliseconds : double.NaN;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"One webhook message to all held connections of the tenant: reached {parts[1]} of {held}; webhook → connection p50 {Ms(parts[2]):0} ms, p99 {Ms(parts[3]):0} ms, last {Ms(parts[4]):0} ms (watcher {watcherMs:0} ms)."));
            await Task.Delay(2000);
        }
        await clients.StandardInput.WriteLineAsync("quit");
        await clients.StandardInput.FlushAsync();
        await clients.WaitForExitAsync();
    }

    private static async Task<(DateTimeOffset[] SentAt, double PerSecond, Func<int, string> Id)> PublishAsync(ITenantUpdatesGrain updates, string tenantId, int messages, int rate)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        string Id(int i) => $"wamid.hop.{run}.{i}";
        var sentAt = new DateTimeOffset[messages];
        var started = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < messages)
            {
                if (rate > 0)
                {
                    var due = TimeSpan.FromSeconds(i / (double)rate) - started.Elapsed;
                    if (due > TimeSpan.Zero) await Task.Delay(due);
                }
                sentAt[i] = DateTimeOffset.UtcNow;
                await updates.Publish(new MessageReceived(tenantId, "cv_bench", sentAt[i], Id(i), ChannelKind.WhatsApp, MessageDirection.Inbound, MessageKind.Text, "ct_bench", null, "hi"));
            }
        }));
        return (sentAt, messages / started.Elapsed.TotalSeconds, Id);
    }

    private static async Task<List<double>> LatenciesAsync(ConcurrentDictionary<string, DateTimeOffset> received, int messages, Func<int, string> id, Func<int, DateTimeOffset> sentAt, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && Enumerable.Range(0, messages).Count(i => received.ContainsKey(id(i))) < expected) await Task.Delay(200);
        return [.. Enumerable.Range(0, messages).Where(i => received.ContainsKey(id(i))).Select(i => (received[id(i)] - sentAt(i)).TotalMilliseconds).Order()];
    }

    private static string TenantOf(string accessToken)
    {
        var payload = accessToken.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        using var json = JsonDocument.Parse(Convert.FromBase64String(payload));
        return json.RootElement.EnumerateObject().First(p => p.Name == "tid").Value.GetString()!;
    }

    private static string OpenFilesLimit()
    {
        try
        {
            return "server " + File.ReadLines("/proc/self/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal)).Replace("  ", " ", StringComparison.Ordinal).Trim();
        }
        catch (IOException)
        {
            return "open files limit unknown";
        }
    }

    private static HubConnection Connect(Uri url, string token) => new HubConnectionBuilder()
        .WithUrl(new Uri(url, "/hubs/inbox"), HttpTransportType.WebSockets, o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
        .Build();
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Flexoraa.Bench;

/// <summary>
/// <c>realtime-clients URL TOKEN COUNT</c>: the idle hub connections of the connection test, in a process of their own so
/// the server's file descriptors and memory are measured apart from the clients'. It reads commands from stdin:
/// <c>expect MESSAGEID</c> (answers <c>ready</c>, then the arrival ticks once every connection has that message), <c>quit</c>.
/// </summary>
public static class HubClientsProcess
{
    public static async Task<int> RunAsync(string[] args)
    {
        var url = new Uri(args[1]);
        var token = args[2];
        var count = int.Parse(args[3], CultureInfo.InvariantCulture);
        var connections = new HubConnection[count];
        var arrivals = new long[count];
        var expected = "";
        var opened = 0;
        var failed = 0;
        var connectMs = new ConcurrentBag<double>();
        var next = -1;
        var storm = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, 64).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var index = i;
                var c = new HubConnectionBuilder()
                    .WithUrl(new Uri(url, "/hubs/inbox"), HttpTransportType.WebSockets, o =>
                    {
                        o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                        o.SkipNegotiation = true;
                    })
                    .Build();
                c.ServerTimeout = TimeSpan.FromMinutes(5);
                c.On<JsonElement>("MessageReceived", e =>
                {
                    if (e.GetProperty("externalId").GetString() == Volatile.Read(ref expected)) Interlocked.CompareExchange(ref arrivals[index], DateTime.UtcNow.Ticks, 0);
                });
                var started = Stopwatch.StartNew();
                try
                {
                    await c.StartAsync();
                    connectMs.Add(started.Elapsed.TotalMilliseconds);
                    connections[index] = c;
                    Interlocked.Increment(ref opened);
                }
                catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException or TimeoutException or System.Net.WebSockets.WebSocketException)
                {
                    Interlocked.Increment(ref failed);
                    if (failed <= 3) await Console.Error.WriteLineAsync($"connect failed: {e.GetType().Name}: {e.Message}");
                    await c.DisposeAsync();
                }
            }
        });
        await Task.WhenAll(workers);
        var perSecond = opened / storm.Elapsed.TotalSeconds;
        var sorted = connectMs.Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"opened {opened} failed {failed} connect-p50 {Percentiles.Of(sorted, 50):0.0} connect-p99 {Percentiles.Of(sorted, 99):0.0} connects-per-second {perSecond:0} client-ws-mib {Environment.WorkingSet / (1024 * 1024)}"));

        while (await Console.In.ReadLineAsync() is { } line)
        {
            var parts = line.Split(' ');
            if (parts[0] == "quit") break;
            if (parts[0] != "expect") continue;
            Array.Clear(arrivals);
            Volatile.Write(ref expected, parts[1]);
            Console.WriteLine("ready");
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline && arrivals.Where((_, i) => connections[i] is not null).Any(a => a == 0)) await Task.Delay(50);
            // Absolute arrival times (one clock on one machine): the parent knows when it sent.
            var got = arrivals.Where(a => a != 0).Select(a => (double)a).Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"fanout {got.Count} {Percentiles.Of(got, 50):0} {Percentiles.Of(got, 99):0} {(got.Count > 0 ? got[^1] : 0):0}"));
        }
        await Task.WhenAll(connections.Where(c => c is not null).Select(c => c.DisposeAsync().AsTask()));
        return 0;
    }
}

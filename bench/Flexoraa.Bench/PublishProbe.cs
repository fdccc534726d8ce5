using System.Diagnostics;
using Flexoraa.Channels;
using Flexoraa.Conversations;
using Flexoraa.FrontendApi.Hosting;
using Flexoraa.Silo.Hosting;
using Flexoraa.Streaming;
using Npgsql;
using Orleans.Runtime;

namespace Flexoraa.Bench;

/// <summary>
/// Where does ingest time go? Times the two halves of a webhook's durable work in isolation, at the same concurrency:
/// publishing to the ADO.NET stream through Orleans, and a plain INSERT of the same payload size through Npgsql.
/// </summary>
public static class PublishProbe
{
    public static async Task<int> RunAsync(LoadOptions options)
    {
        var data = Path.Combine(Path.GetTempPath(), "flexoraa-probe-" + Guid.NewGuid().ToString("N")[..8]);
        var app = await FlexoraaApp.BuildAsync(["--urls=http://127.0.0.1:0", $"--Flexoraa:DataDirectory={data}", "--Logging:LogLevel:Default=Warning",
            "--Orleans:SiloPort=21112", "--Orleans:GatewayPort=40001"]);
        await app.StartAsync();
        try
        {
            var streams = app.Services.GetRequiredService<IClusterClient>().GetStreamProvider(StreamProviders.Durable);
            var owner = app.Services.GetRequiredService<FlexoraaDatabase>().ConnectionString;
            var item = new ChannelMessage(ChannelKind.WhatsApp, "100", "919000000001", DateTimeOffset.UtcNow, "wamid.x", MessageDirection.Inbound, MessageKind.Text,
                "Bench", new string('x', 60), [], null, null, null, null, null, null, null, [], new string('y', 300));

            var publish = await TimeAsync(options, i =>
            {
                // A namespace no grain subscribes to, so only the producer side is measured.
                var stream = streams.GetStream<InboundChannelEvent>(StreamId.Create("bench-probe", $"tn_probe/cv_{i % 2000}"));
                return stream.OnNextAsync(new InboundChannelEvent("tn_probe", "ch_probe", item with { ExternalMessageId = $"wamid.{i}" }, DateTimeOffset.UtcNow));
            });
            Console.WriteLine($"Orleans ADO.NET stream publish: {publish}");

            await using var db = NpgsqlDataSource.Create(owner);
            await using (var create = db.CreateCommand("CREATE TABLE IF NOT EXISTS bench_probe (id bigserial primary key, payload bytea not null)")) await create.ExecuteNonQueryAsync();
            var payload = new byte[600];
            var insert = await TimeAsync(options, async _ =>
            {
                await using var command = db.CreateCommand("INSERT INTO bench_probe (payload) VALUES (@p)");
                command.Parameters.AddWithValue("p", payload);
                await command.ExecuteNonQueryAsync();
            });
            Console.WriteLine($"Npgsql INSERT, one per transaction:  {insert}");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        return 0;
    }

    private static async Task<string> TimeAsync(LoadOptions options, Func<int, Task> work)
    {
        var next = -1;
        var latencies = new double[options.Messages];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Connections).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < options.Messages)
            {
                var start = Stopwatch.GetTimestamp();
                await work(i);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return $"{options.Messages / elapsed:0} ops/s, p50 {Percentiles.Of(latencies, 50):0.0} ms, p99 {Percentiles.Of(latencies, 99):0.0} ms ({options.Connections} concurrent)";
    }
}

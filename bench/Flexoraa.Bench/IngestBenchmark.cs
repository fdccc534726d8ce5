using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Channels.Meta;
using Flexoraa.FrontendApi.Hosting;
using Flexoraa.Silo.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;

namespace Flexoraa.Bench;

/// <summary>
/// Ingest benchmark: Flexoraa in local mode (its own PostgreSQL, co-hosted silo) against a bare ASP.NET Core endpoint
/// that only checks the signature, both driven by the same <see cref="WebhookLoad"/> in the same run.
/// For Flexoraa the latency is POST → the row being committed in <c>messages</c> (its <c>received_at</c>);
/// for the bare endpoint it is POST → response, since it stores nothing.
/// </summary>
public static class IngestBenchmark
{
    internal const string AppSecret = "bench-app-secret";
    internal const string PhoneNumberId = "100000000000001";

    private static string[] _hostArgs = [];

    /// <summary>Arguments starting with <c>--Orleans:</c> or <c>--Flexoraa:</c> go to the Flexoraa host, e.g. <c>--Orleans:StreamQueueCount=2</c>.</summary>
    public static async Task<int> RunAsync(LoadOptions options, string[] hostArgs)
    {
        _hostArgs = hostArgs;
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
        Console.WriteLine($"Load: {options.Messages} messages in webhooks of {options.PerWebhook}, {options.Connections} connections, {(options.RatePerSecond > 0 ? options.RatePerSecond + " webhooks/s" : "flat out")}, {options.Contacts} contacts");

        var bare = await RunBareAsync(options);
        var (floor, flexoraa) = await RunFlexoraaAsync(options);

        Console.WriteLine();
        Console.WriteLine("| target | accepted | acked msg/s | end-to-end msg/s | p50 ms | p99 ms |");
        Console.WriteLine("|---|---|---|---|---|---|");
        Console.WriteLine(bare);
        Console.WriteLine(floor);
        Console.WriteLine(flexoraa);
        return 0;
    }

    private static async Task<string> RunBareAsync(LoadOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        var signature = new MetaWebhookSignature(AppSecret);
        app.MapPost("/webhooks/whatsapp", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            return signature.Verify(buffer.ToArray(), request.Headers[MetaWebhookSignature.HeaderName].ToString()) ? Results.Ok("EVENT_RECEIVED") : Results.Unauthorized();
        });
        await app.StartAsync();
        var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        var result = await new WebhookLoad(url, AppSecret, PhoneNumberId, options, "bare" + Guid.NewGuid().ToString("N")[..6]).RunAsync();
        await app.StopAsync();
        return Row("bare ASP.NET Core POST (signature check only)", result, result.AckedPerSecond, AckLatencies(result));
    }

    private static List<double> AckLatencies(LoadResult result) =>
        Enumerable.Range(0, result.Status.Length).Where(i => result.Status[i] == 200)
            .Select(i => (result.AckedAt[i] - result.SentAt[i]).TotalMilliseconds).Order().ToList();

    /// <summary>The durable floor on the same PostgreSQL server as Flexoraa, run just before Flexoraa's own load.</summary>
    private static async Task<string> RunFloorAsync(LoadOptions options, string ownerConnectionString)
    {
        await using var floor = new DurableFloor(ownerConnectionString);
        var url = await floor.StartAsync();
        var result = await new WebhookLoad(url, AppSecret, PhoneNumberId, options, "floor" + Guid.NewGuid().ToString("N")[..6]).RunAsync();
        return Row("durable floor (signature check, raw body group-committed to PostgreSQL)", result, result.AckedPerSecond, AckLatencies(result));
    }

    private static async Task<(string Floor, string Flexoraa)> RunFlexoraaAsync(LoadOptions options)
    {
        var data = Path.Combine(Path.GetTempPath(), "flexoraa-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var app = await FlexoraaApp.BuildAsync(
        [
            "--urls=http://127.0.0.1:0", $"--Flexoraa:DataDirectory={data}", $"--Flexoraa:Meta:AppSecret={AppSecret}",
            "--Flexoraa:Meta:VerifyToken=bench-verify", "--Flexoraa:RateLimits:AuthPerIpPerMinute=100000",
            "--Flexoraa:RateLimits:PerUserPerMinute=100000000", "--Flexoraa:RateLimits:PerTenantPerMinute=100000000",
            "--Logging:LogLevel:Default=Warning", "--Orleans:SiloPort=21111", "--Orleans:GatewayPort=40000", .. _hostArgs,
        ]);
        await app.StartAsync();
        try
        {
            var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            var owner = app.Services.GetRequiredService<FlexoraaDatabase>().ConnectionString;
            await ConnectChannelAsync(url, owner);
            var floor = await RunFloorAsync(options, owner);

            var runId = Guid.NewGuid().ToString("N")[..8];
            var load = new WebhookLoad(url, AppSecret, PhoneNumberId, options, runId);
            var result = await load.RunAsync();

            var stored = await WaitForRowsAsync(owner, runId, result.Accepted);
            var latencies = new List<double>();
            var lastStored = DateTimeOffset.MinValue;
            for (var i = 0; i < options.Messages; i++)
            {
                if (stored.TryGetValue(load.MessageId(i), out var at))
                {
                    latencies.Add((at - result.SentAt[i / options.PerWebhook]).TotalMilliseconds);
                    if (at > lastStored) lastStored = at;
                }
            }
            latencies.Sort();
            var endToEnd = stored.Count / (lastStored - result.Started).TotalSeconds;
            Console.WriteLine($"Flexoraa: {stored.Count} of {result.Accepted} acknowledged messages are in the read model.");
            PrintHeapPerConversation(Math.Min(options.Contacts, options.Messages));
            return (floor, Row("Flexoraa local mode (webhook → stream → ConversationGrain → messages)", result, endToEnd, latencies));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// The managed heap that survives a full collection (gen1 + gen2 + large and pinned objects) divided by the
    /// conversations the run activated: what each active conversation costs a silo, everything it drags in included
    /// (activation, grain state, stream cursors, caches). The rest of the process is in the figure too, so it is an upper
    /// bound that gets tighter the more conversations a run has.
    /// </summary>
    private static void PrintHeapPerConversation(int conversations)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        var survived = info.GenerationInfo.ToArray().Skip(1).Sum(g => g.SizeAfterBytes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Heap after a full GC: {survived / 1048576.0:0.0} MiB for {conversations} conversations = {survived / 1024.0 / conversations:0.0} KiB per conversation (upper bound)."));
    }

    /// <summary>Signs up, connects the benchmark's WhatsApp number and returns the owner's access token.</summary>
    internal static async Task<string> ConnectChannelAsync(Uri url, string ownerConnectionString)
    {
        using var http = new HttpClient { BaseAddress = url };
        var email = $"bench-{Guid.NewGuid():N}@example.com";
        (await http.PostAsJsonAsync("/api/v1/auth/signup", new { email, password = "bench password 123", displayName = "Bench", companyName = "Bench Co" })).EnsureSuccessStatusCode();
        string body;
        await using (var connection = new NpgsqlConnection(ownerConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT body FROM outbound_emails WHERE recipient = @to ORDER BY id DESC LIMIT 1", connection);
            command.Parameters.AddWithValue("to", email);
            body = (string)(await command.ExecuteScalarAsync())!;
        }
        var token = body[(body.IndexOf("Sign-up token: ", StringComparison.Ordinal) + 15)..].Split('\n')[0].Trim();
        var confirmed = await http.PostAsJsonAsync("/api/v1/auth/signup/confirm", new { token });
        var session = await confirmed.Content.ReadFromJsonAsync<JsonElement>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("accessToken").GetString());
        var channel = await http.PostAsJsonAsync("/api/v1/channels", new { channel = "whatsapp", phoneNumberId = PhoneNumberId, wabaId = "200000000000001", accessToken = "bench-access-token" });
        if (!channel.IsSuccessStatusCode) throw new InvalidOperationException($"Connecting the channel failed: {await channel.Content.ReadAsStringAsync()}");
        return session.GetProperty("accessToken").GetString()!;
    }

    private static async Task<Dictionary<string, DateTimeOffset>> WaitForRowsAsync(string ownerConnectionString, string runId, int expected)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        var rows = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync();
        while (DateTime.UtcNow < deadline)
        {
            await using var count = new NpgsqlCommand("SELECT count(*) FROM messages WHERE external_id LIKE @prefix", connection);
            count.Parameters.AddWithValue("prefix", $"wamid.bench.{runId}.%");
            if ((long)(await count.ExecuteScalarAsync())! >= expected) break;
            await Task.Delay(200);
        }
        await using var read = new NpgsqlCommand("SELECT external_id, received_at FROM messages WHERE external_id LIKE @prefix", connection);
        read.Parameters.AddWithValue("prefix", $"wamid.bench.{runId}.%");
        await using var reader = await read.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows[reader.GetString(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        return rows;
    }

    private static string Row(string name, LoadResult result, double endToEndPerSecond, List<double> sortedLatencies) =>
        string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {result.Accepted}/{result.Status.Length * result.PerWebhook} | {result.AckedPerSecond:0} | {endToEndPerSecond:0} | {Percentiles.Of(sortedLatencies, 50):0.0} | {Percentiles.Of(sortedLatencies, 99):0.0} |");
}

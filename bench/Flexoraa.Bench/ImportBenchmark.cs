using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Flexoraa.FrontendApi.Hosting;
using Flexoraa.Silo.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;
using NpgsqlTypes;

namespace Flexoraa.Bench;

/// <summary>
/// Lead import benchmark (issue 13): a generated N-row CSV imported end to end through <c>POST /api/v1/lead-imports</c>
/// (upload, row count, parse, validate, deduplicate, COPY batches and merges, the import's counters) until the job says
/// completed and the leads are in the list, against a raw binary COPY of the same rows into a plain table on the same
/// PostgreSQL server in the same run. Goal: under 5 s for 100,000 rows and at least 30% of raw COPY's speed.
/// </summary>
public static class ImportBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = args.SkipWhile(a => a != "--rows").Skip(1).Select(int.Parse).DefaultIfEmpty(100_000).First();
        var hostArgs = args.Where(a => a.StartsWith("--Flexoraa:", StringComparison.Ordinal) || a.StartsWith("--Logging:", StringComparison.Ordinal)).ToArray();
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
        var csv = Generate(rows);
        Console.WriteLine($"File: {rows} rows, {csv.Length / 1048576.0:0.0} MiB");

        var data = Path.Combine(Path.GetTempPath(), "flexoraa-import-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var app = await FlexoraaApp.BuildAsync(
        [
            "--urls=http://127.0.0.1:0", $"--Flexoraa:DataDirectory={data}", "--Logging:LogLevel:Default=Warning", $"--Flexoraa:Meta:AppSecret={IngestBenchmark.AppSecret}",
            "--Flexoraa:RateLimits:PerUserPerMinute=100000000", "--Flexoraa:RateLimits:PerTenantPerMinute=100000000",
            "--Orleans:SiloPort=21112", "--Orleans:GatewayPort=40001", .. hostArgs,
        ]);
        await app.StartAsync();
        try
        {
            var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            var owner = app.Services.GetRequiredService<FlexoraaDatabase>().ConnectionString;
            var token = await IngestBenchmark.ConnectChannelAsync(url, owner);
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(10) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

            if (args.Contains("--without-index"))
            {
                // For the profile: how much of the insert is maintaining one index (e.g. ix_leads_search, the trigram GIN).
                var index = args.SkipWhile(a => a != "--without-index").Skip(1).First();
                await using var connection = new NpgsqlConnection(owner);
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP INDEX IF EXISTS \"{index.Replace("\"", "", StringComparison.Ordinal)}\"", connection);
                await drop.ExecuteNonQueryAsync();
                Console.WriteLine($"Dropped index {index} for this run.");
            }
            var copy = await RawCopyAsync(owner, rows);
            var (import, uploadSeconds, endToEnd) = await ImportAsync(http, csv);
            var visible = await http.GetFromJsonAsync<JsonElement>("/api/v1/leads?source=import&limit=1");
            Console.WriteLine($"Import: status {import.GetProperty("status").GetString()}, created {import.GetProperty("created").GetInt32()}, " +
                $"failed {import.GetProperty("failed").GetInt32()}; the list shows {visible.GetProperty("items").GetArrayLength()} on its first page.");

            var job = import.GetProperty("finishedAt").GetDateTimeOffset() - import.GetProperty("createdAt").GetDateTimeOffset();
            Console.WriteLine();
            Console.WriteLine("| what | rows | seconds | rows/s | vs raw COPY |");
            Console.WriteLine("|---|---|---|---|---|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| raw binary COPY into a plain table | {rows} | {copy:0.00} | {rows / copy:0} | 100% |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| Flexoraa import end to end (POST → completed) | {rows} | {endToEnd:0.00} | {rows / endToEnd:0} | {copy / endToEnd * 100:0.0}% |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| of which the upload request (store + count rows) | | {uploadSeconds:0.00} | | |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| of which the job (queued → completed) | | {job.TotalSeconds:0.00} | | |"));
            return 0;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static byte[] Generate(int rows)
    {
        var text = new StringBuilder(rows * 110);
        text.Append("First Name,Last Name,Email,Mobile Phone,Company,Job Title,Tags\n");
        for (var i = 0; i < rows; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"Lead{i},Bench,lead{i}@example{i % 97}.com,+9198{i:D8},Company {i % 5000},Buyer,\"bench,t{i % 10}\"\n");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The floor: the same rows, already parsed, binary-copied into a plain table with no index.</summary>
    private static async Task<double> RawCopyAsync(string ownerConnectionString, int rows)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand(
            "CREATE TABLE bench_raw_leads (first_name text, last_name text, email text, phone text, company text, title text, tags text[])", connection))
        {
            await create.ExecuteNonQueryAsync();
        }
        var watch = Stopwatch.StartNew();
        await using (var copy = await connection.BeginBinaryImportAsync("COPY bench_raw_leads FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < rows; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync($"Lead{i}", NpgsqlDbType.Text);
                await copy.WriteAsync("Bench", NpgsqlDbType.Text);
                await copy.WriteAsync($"lead{i}@example{i % 97}.com", NpgsqlDbType.Text);
                await copy.WriteAsync($"+9198{i:D8}", NpgsqlDbType.Text);
                await copy.WriteAsync($"Company {i % 5000}", NpgsqlDbType.Text);
                await copy.WriteAsync("Buyer", NpgsqlDbType.Text);
                await copy.WriteAsync(new[] { "bench", $"t{i % 10}" }, NpgsqlDbType.Array | NpgsqlDbType.Text);
            }
            await copy.CompleteAsync();
        }
        return watch.Elapsed.TotalSeconds;
    }

    /// <returns>The finished import, the seconds the upload request took, and the wall-clock seconds from POST to seeing it completed (polled every 20 ms).</returns>
    private static async Task<(JsonElement Import, double UploadSeconds, double TotalSeconds)> ImportAsync(HttpClient http, byte[] csv)
    {
        var watch = Stopwatch.StartNew();
        var content = new ByteArrayContent(csv);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var response = await http.PostAsync("/api/v1/lead-imports?fileName=bench.csv", content);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"The upload failed: {await response.Content.ReadAsStringAsync()}");
        var upload = watch.Elapsed.TotalSeconds;
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("import").GetProperty("id").GetString();
        while (true)
        {
            var import = (await http.GetFromJsonAsync<JsonElement>($"/api/v1/lead-imports/{id}")).GetProperty("import");
            if (import.GetProperty("status").GetString() is "completed" or "failed" or "cancelled") return (import, upload, watch.Elapsed.TotalSeconds);
            await Task.Delay(20);
        }
    }
}

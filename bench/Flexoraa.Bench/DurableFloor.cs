using System.Threading.Channels;
using Flexoraa.Channels.Meta;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;
using NpgsqlTypes;

namespace Flexoraa.Bench;

/// <summary>
/// The durable floor: the least any webhook endpoint that keeps Meta's events safely must do. It checks the signature,
/// group-commits the raw body to PostgreSQL (one multi-row insert per commit, whatever has queued up) and answers 200
/// after the commit. Nothing is parsed, routed or delivered. Flexoraa's ingest is measured against it in the same run
/// on the same database server.
/// </summary>
public sealed class DurableFloor(string connectionString) : IAsyncDisposable
{
    private readonly Channel<(byte[] Body, TaskCompletionSource Done)> _queue = Channel.CreateUnbounded<(byte[], TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private WebApplication? _app;
    private NpgsqlDataSource? _database;
    private Task? _writer;

    public async Task<Uri> StartAsync()
    {
        _database = NpgsqlDataSource.Create(connectionString);
        await using (var create = _database.CreateCommand("CREATE TABLE IF NOT EXISTS bench_floor (id bigserial PRIMARY KEY, body bytea NOT NULL, at timestamptz NOT NULL DEFAULT now())"))
        {
            await create.ExecuteNonQueryAsync();
        }
        _writer = Task.Run(WriteAsync);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        var signature = new MetaWebhookSignature(IngestBenchmark.AppSecret);
        _app.MapPost("/webhooks/whatsapp", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            if (!signature.Verify(body, request.Headers[MetaWebhookSignature.HeaderName].ToString())) return Results.Unauthorized();
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await _queue.Writer.WriteAsync((body, done));
            await done.Task;
            return Results.Ok("EVENT_RECEIVED");
        });
        await _app.StartAsync();
        return new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    private async Task WriteAsync()
    {
        var batch = new List<(byte[] Body, TaskCompletionSource Done)>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < 2_048 && _queue.Reader.TryRead(out var item)) batch.Add(item);
            try
            {
                await using var insert = _database!.CreateCommand("INSERT INTO bench_floor (body) SELECT unnest($1)");
                insert.Parameters.Add(new NpgsqlParameter { Value = batch.Select(b => b.Body).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
                await insert.ExecuteNonQueryAsync();
                foreach (var (_, done) in batch) done.TrySetResult();
            }
            catch (Exception e)
            {
                foreach (var (_, done) in batch) done.TrySetException(e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _queue.Writer.TryComplete();
        if (_writer is not null) await _writer;
        if (_database is not null) await _database.DisposeAsync();
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Serialization;
using Orleans.Streams;

namespace Flexoraa.Silo.Streaming.Postgres;

/// <summary>
/// Flexoraa's persistent stream provider on PostgreSQL, built for ingest: an append-only log per queue written by group
/// commit, read in batches by sequence with a committed offset per queue, trimmed in ranges, and readers woken by
/// <c>LISTEN/NOTIFY</c> (<see cref="PostgresStreamLog"/>). It keeps the contract of Orleans' ADO.NET provider — a
/// publish completes only after its commit, delivery is at least once, consumers drop repeats — at a fraction of its
/// per-event cost (<c>docs/benchmarks.md</c>).
/// <para>
/// A failure handler registered as a keyed <see cref="IStreamFailureHandler"/> under the provider's name replaces the
/// default one, which keeps failed deliveries in <c>flexoraa_stream_dead_letters</c>.
/// </para>
/// </summary>
public sealed class PostgresQueueAdapterFactory : IQueueAdapterFactory, IAsyncDisposable
{
    private readonly string _name;
    private readonly PostgresStreamOptions _options;
    private readonly HashRingBasedStreamQueueMapper _mapper;
    private readonly SimpleQueueAdapterCache _cache;
    private readonly NpgsqlDataSource _database;
    private readonly PostgresStreamLog _log;
    private readonly StreamAppender _appender;
    private readonly StreamNotificationListener _listener;
    private readonly Serializer<PostgresBatchContainer> _serializer;
    private readonly IStreamFailureHandler _failureHandler;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _clock;
    private readonly int _queueCount;
    private Task? _queuesEnsured;

    private PostgresQueueAdapterFactory(string name, IServiceProvider services)
    {
        _name = name;
        _options = services.GetRequiredService<IOptionsMonitor<PostgresStreamOptions>>().Get(name);
        if (string.IsNullOrEmpty(_options.ConnectionString)) throw new InvalidOperationException($"Stream provider '{name}' has no connection string.");
        var hashOptions = services.GetRequiredService<IOptionsMonitor<HashRingStreamQueueMapperOptions>>().Get(name);
        _queueCount = hashOptions.TotalQueueCount;
        _loggers = services.GetRequiredService<ILoggerFactory>();
        _mapper = new HashRingBasedStreamQueueMapper(hashOptions, name);
        _cache = new SimpleQueueAdapterCache(services.GetRequiredService<IOptionsMonitor<SimpleQueueCacheOptions>>().Get(name), name, _loggers);
        // Its own small pool: publishes and reads are short and many, and must not queue behind grain storage.
        _database = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_options.ConnectionString) { NoResetOnClose = true, ApplicationName = $"flexoraa-stream-{name}" }.ConnectionString);
        _log = new PostgresStreamLog(_database, name);
        var logger = _loggers.CreateLogger<PostgresQueueAdapterFactory>();
        _appender = new StreamAppender(_log, _options.MaxAppendBatch, logger);
        _listener = new StreamNotificationListener(_options.ConnectionString, name, logger);
        _serializer = services.GetRequiredService<Serializer<PostgresBatchContainer>>();
        _clock = services.GetService<TimeProvider>() ?? TimeProvider.System;
        _failureHandler = services.GetKeyedService<IStreamFailureHandler>(name)
            ?? new StreamDeadLetterHandler(_log, _mapper, _loggers.CreateLogger<StreamDeadLetterHandler>());
    }

    /// <summary>The factory Orleans' <c>AddPersistentStreams</c> calls for the provider <paramref name="name"/>.</summary>
    public static IQueueAdapterFactory Create(IServiceProvider services, string name) => new PostgresQueueAdapterFactory(name, services);

    public async Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken)
    {
        await EnsureQueuesAsync(cancellationToken);
        return new PostgresQueueAdapter(_name, _mapper, _appender, _serializer, CreateReceiver);
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    private Task EnsureQueuesAsync(CancellationToken cancellationToken) =>
        _queuesEnsured is { IsCompletedSuccessfully: true } done ? done : _queuesEnsured = _log.EnsureQueuesAsync(_queueCount, cancellationToken);

    private PostgresQueueReceiver CreateReceiver(QueueId queueId) =>
        new(_log, (int)queueId.GetNumericId(), _options, _listener, _serializer, _clock, _loggers.CreateLogger<PostgresQueueReceiver>());

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult(_failureHandler);

    public async ValueTask DisposeAsync()
    {
        await _appender.DisposeAsync();
        await _listener.DisposeAsync();
        await _database.DisposeAsync();
    }
}

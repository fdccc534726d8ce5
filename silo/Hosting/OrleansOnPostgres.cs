using System.Net;
using Flexoraa.Silo.Streaming;
using Flexoraa.Silo.Streaming.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Flexoraa.Streaming;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Streams;
using Orleans.Serialization;
using Orleans.Storage;
using Microsoft.Extensions.Options;

namespace Flexoraa.Silo.Hosting;

/// <summary>
/// The one Orleans configuration Flexoraa runs with, in local mode, in cluster mode and in the tests:
/// ADO.NET clustering, grain storage, reminders and durable streams, all on PostgreSQL through Npgsql.
/// Clustering, ids and endpoints are separate from the providers so the test cluster can own those.
/// </summary>
public static class OrleansOnPostgres
{
    public const string Invariant = "Npgsql";

    /// <summary>Grain storage, reminders and durable streams on a silo.</summary>
    public static ISiloBuilder AddFlexoraaProviders(this ISiloBuilder silo, string connectionString, ClusterSettings settings)
    {
        foreach (var name in new[] { StorageProviders.Default, StorageProviders.PubSub })
        {
            silo.AddAdoNetGrainStorage(name, (OptionsBuilder<AdoNetGrainStorageOptions> options) => options.Configure<Serializer>((o, serializer) =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = connectionString;
                // Orleans' own serializer honours the [Id]s of our state types, so state stays readable as types evolve;
                // the default JSON serializer would also populate shared default instances in place.
                o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            }));
        }
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
        silo.AddPersistentStreams(StreamProviders.Durable, PostgresQueueAdapterFactory.Create, c =>
        {
            ConfigureDurable(c, connectionString, settings);
            c.ConfigurePullingAgent(ob => ob.Configure(o =>
            {
                o.GetQueueMsgsTimerPeriod = settings.StreamPullPeriod;
                o.BatchContainerBatchSize = settings.StreamDeliveryBatch;
            }));
        });
        silo.AddFlexoraaLiveStreams(connectionString, settings);
        silo.AddActivityPropagation();
        return silo;
    }

    /// <summary>Durable streams for an Orleans client, so a frontend can publish and subscribe.</summary>
    public static IClientBuilder AddFlexoraaStreams(this IClientBuilder client, string connectionString, ClusterSettings settings)
    {
        client.AddPersistentStreams(StreamProviders.Durable, PostgresQueueAdapterFactory.Create, c => ConfigureDurable(c, connectionString, settings));
        client.AddFlexoraaLiveStreams(connectionString, settings);
        client.AddActivityPropagation();
        return client;
    }

    /// <summary>
    /// <c>durable</c> carries <c>channel-inbound</c>, whose only consumers are implicit subscribers
    /// (<c>ConversationGrain</c>). Implicit-only pub-sub matters for ingest: with explicit pub-sub every new stream (every
    /// new contact) would first activate a pub-sub rendezvous grain and read its state from PostgreSQL, and that grain
    /// would then stay in memory beside the conversation.
    /// </summary>
    private static void ConfigureDurable(IPersistentStreamConfigurator c, string connectionString, ClusterSettings settings)
    {
        c.Configure<PostgresStreamOptions>(ob => ob.Configure(o =>
        {
            o.ConnectionString = connectionString;
            o.SafetyPollPeriod = settings.StreamSafetyPollPeriod;
            o.IdleWait = settings.StreamIdleWait;
        }));
        c.Configure<HashRingStreamQueueMapperOptions>(ob => ob.Configure(o => o.TotalQueueCount = settings.StreamQueueCount));
        c.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
    }

    /// <summary>
    /// The <c>live</c> provider for <c>tenant-updates</c>: the same PostgreSQL log (one store, one code path), with few
    /// queues looked at often, so the fan-out hop adds milliseconds. Its events need no long-term durability —
    /// <c>TenantUpdatesGrain</c>'s numbering and resync buffer are what clients recover from — so they expire after a
    /// minute, and a consumer that cannot be reached (a crashed frontend host) is dropped instead of being retried for
    /// ever (<see cref="UnreachableConsumerRemoval"/>).
    /// </summary>
    private static ISiloBuilder AddFlexoraaLiveStreams(this ISiloBuilder silo, string connectionString, ClusterSettings settings)
    {
        silo.Services.AddKeyedSingleton<IStreamFailureHandler>(StreamProviders.Live, (sp, _) =>
            new UnreachableConsumerRemoval(sp, StreamProviders.Live, sp.GetRequiredService<ILogger<UnreachableConsumerRemoval>>()));
        silo.AddPersistentStreams(StreamProviders.Live, PostgresQueueAdapterFactory.Create, c =>
        {
            ConfigureLive(c, connectionString, settings);
            c.ConfigurePullingAgent(ob => ob.Configure(o =>
            {
                o.GetQueueMsgsTimerPeriod = settings.LiveStreamPullPeriod;
                o.MaxEventDeliveryTime = settings.LiveStreamMaxDeliveryTime;
            }));
        });
        return silo;
    }

    private static IClientBuilder AddFlexoraaLiveStreams(this IClientBuilder client, string connectionString, ClusterSettings settings) =>
        client.AddPersistentStreams(StreamProviders.Live, PostgresQueueAdapterFactory.Create, c => ConfigureLive(c, connectionString, settings));

    private static void ConfigureLive(IPersistentStreamConfigurator c, string connectionString, ClusterSettings settings)
    {
        c.Configure<PostgresStreamOptions>(ob => ob.Configure(o =>
        {
            o.ConnectionString = connectionString;
            o.SafetyPollPeriod = settings.StreamSafetyPollPeriod;
            o.IdleWait = settings.StreamIdleWait;
            // An update nobody took within a minute is of no use to anyone: clients that were away resync or reload.
            o.Retention = TimeSpan.FromMinutes(1);
            o.KeepDeadLetters = false;
        }));
        c.Configure<HashRingStreamQueueMapperOptions>(ob => ob.Configure(o => o.TotalQueueCount = settings.LiveStreamQueueCount));
        c.ConfigureStreamPubSub(StreamPubSubType.ExplicitGrainBasedOnly);
    }

    public static ISiloBuilder UseFlexoraaClustering(this ISiloBuilder silo, string connectionString) =>
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });

    public static IClientBuilder UseFlexoraaClustering(this IClientBuilder client, string connectionString) =>
        client.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });

    /// <summary>A silo of a PostgreSQL-clustered deployment: ids, endpoints, clustering and providers.</summary>
    public static ISiloBuilder UseFlexoraaCluster(this ISiloBuilder silo, string connectionString, ClusterSettings settings)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        var advertised = settings.AdvertisedIP is { Length: > 0 } ip ? IPAddress.Parse(ip) : IPAddress.Loopback;
        silo.ConfigureEndpoints(advertised, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: settings.AdvertisedIP is { Length: > 0 });
        return silo.UseFlexoraaClustering(connectionString).AddFlexoraaProviders(connectionString, settings);
    }

    /// <summary>An Orleans client (a frontend that does not co-host a silo) of a PostgreSQL-clustered deployment.</summary>
    public static IClientBuilder UseFlexoraaCluster(this IClientBuilder client, string connectionString, ClusterSettings settings)
    {
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        return client.UseFlexoraaClustering(connectionString).AddFlexoraaStreams(connectionString, settings);
    }
}

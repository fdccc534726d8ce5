using System.Net;
using Flexoraa.Silo.Streaming;
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
        silo.AddAdoNetStreams(StreamProviders.Durable, (SiloAdoNetStreamConfigurator c) =>
        {
            c.ConfigureAdoNet(ob => ob.Configure(o => ConfigureStreams(o, connectionString, settings)));
            c.ConfigurePartitioning(settings.StreamQueueCount);
            c.ConfigureStreamPubSub(StreamPubSubType.ExplicitGrainBasedAndImplicit);
        });
        silo.AddFlexoraaLiveStreams(settings);
        silo.AddActivityPropagation();
        return silo;
    }

    /// <summary>Durable streams for an Orleans client, so a frontend can publish and subscribe.</summary>
    public static IClientBuilder AddFlexoraaStreams(this IClientBuilder client, string connectionString, ClusterSettings settings)
    {
        client.AddAdoNetStreams(StreamProviders.Durable, (ClusterClientAdoNetStreamConfigurator c) =>
        {
            c.ConfigureAdoNet(ob => ob.Configure(o => ConfigureStreams(o, connectionString, settings)));
            c.ConfigurePartitioning(settings.StreamQueueCount);
            c.ConfigureStreamPubSub(StreamPubSubType.ExplicitGrainBasedAndImplicit);
        });
        client.AddFlexoraaLiveStreams(settings);
        client.AddActivityPropagation();
        return client;
    }

    /// <summary>
    /// The in-memory <c>live</c> provider: queues are grains, so a publish is a grain call and a poll is a grain call,
    /// never a database round trip. Subscriptions still live in the durable pub-sub store, so they survive a silo restart.
    /// Events stay cached only briefly: a consumer that falls further behind resyncs instead.
    /// </summary>
    private static ISiloBuilder AddFlexoraaLiveStreams(this ISiloBuilder silo, ClusterSettings settings) =>
        silo.AddPersistentStreams(StreamProviders.Live, LiveStreamAdapterFactory.Create, c =>
        {
            c.Configure<HashRingStreamQueueMapperOptions>(ob => ob.Configure(o => o.TotalQueueCount = settings.LiveStreamQueueCount));
            c.ConfigurePullingAgent(ob => ob.Configure(o =>
            {
                o.GetQueueMsgsTimerPeriod = settings.LiveStreamPullPeriod;
                o.MaxEventDeliveryTime = settings.LiveStreamMaxDeliveryTime;
            }));
            c.Configure<StreamCacheEvictionOptions>(ob => ob.Configure(o =>
            {
                o.DataMinTimeInCache = TimeSpan.FromSeconds(10);
                o.DataMaxAgeInCache = TimeSpan.FromMinutes(1);
            }));
            c.ConfigureStreamPubSub(StreamPubSubType.ExplicitGrainBasedOnly);
        });

    private static IClientBuilder AddFlexoraaLiveStreams(this IClientBuilder client, ClusterSettings settings) =>
        client.AddMemoryStreams(StreamProviders.Live, c =>
        {
            c.ConfigurePartitioning(settings.LiveStreamQueueCount);
            c.ConfigureStreamPubSub(StreamPubSubType.ExplicitGrainBasedOnly);
        });

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

    private static void ConfigureStreams(AdoNetStreamOptions options, string connectionString, ClusterSettings settings)
    {
        options.Invariant = Invariant;
        options.ConnectionString = connectionString;
        // A message a silo took but did not confirm (it crashed) becomes visible again after this long.
        options.VisibilityTimeout = settings.StreamVisibilityTimeout;
    }
}

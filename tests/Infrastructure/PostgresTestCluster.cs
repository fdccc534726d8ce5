using Flexoraa.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Flexoraa.Tests.Infrastructure;

/// <summary>
/// In-process Orleans clusters that use the production providers on a real PostgreSQL database:
/// ADO.NET clustering (not the test membership), storage, reminders and durable streams.
/// </summary>
public static class PostgresTestCluster
{
    /// <summary>Fewer queues than production, so the queues a killed silo owned move to a survivor quickly.</summary>
    public static ClusterSettings FastFailover { get; } = new() { StreamQueueCount = 4 };

    public static InProcessTestClusterBuilder Builder(string connectionString, short silos, string? serviceId = null, ClusterSettings? settings = null)
    {
        settings ??= FastFailover;
        var builder = new InProcessTestClusterBuilder(silos);
        UseRealMembership(builder.Options);
        if (serviceId is not null) builder.Options.ServiceId = serviceId;
        // Each silo host gets the same domain services production registers, bound to this test's database.
        var database = FlexoraaDatabase.ConnectAsync(connectionString, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).GetAwaiter().GetResult();
        builder.ConfigureHost(host => host.Services.AddFlexoraaDomain(database));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseFlexoraaClustering(connectionString).AddFlexoraaProviders(connectionString, settings);
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
            });
        });
        builder.ConfigureClient(client => client.UseFlexoraaClustering(connectionString).AddFlexoraaStreams(connectionString, settings));
        return builder;
    }

    /// <summary>
    /// InProcessTestCluster swaps in an in-memory membership table unless told otherwise, and the switch is not public
    /// in Orleans 10.4.2. The tests exist to prove ADO.NET clustering, so flip it; fail loudly if a later Orleans renames it.
    /// </summary>
    private static void UseRealMembership(InProcessTestClusterOptions options)
    {
        var property = typeof(InProcessTestClusterOptions).GetProperty(
            "UseTestClusterMembership", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("InProcessTestClusterOptions.UseTestClusterMembership is gone; update PostgresTestCluster.");
        property.SetValue(options, false);
    }

    public static async Task<InProcessTestCluster> StartAsync(string connectionString, short silos, string? serviceId = null)
    {
        var cluster = Builder(connectionString, silos, serviceId).Build();
        await cluster.DeployAsync();
        return cluster;
    }
}

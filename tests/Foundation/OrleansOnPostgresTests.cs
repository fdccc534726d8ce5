using Flexoraa.Streaming;
using Flexoraa.Tenants;
using Flexoraa.Tests.Infrastructure;
using Npgsql;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace Flexoraa.Tests.Foundation;

/// <summary>Orleans' real ADO.NET providers on a real PostgreSQL: clustering, storage and durable streams.</summary>
public sealed class OrleansOnPostgresTests
{
    private static readonly TenantProfile Acme = new("Acme Traders", "https://acme.example", "Retail", "IN", "INR", "Asia/Kolkata", "en-IN");
    private static readonly TenantMember Owner = new("us_owner0000000001", "owner@acme.example", "Asha Owner", TenantRole.Owner, DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task Tenant_state_survives_a_full_restart_of_the_cluster()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        var serviceId = "svc-" + Guid.NewGuid().ToString("N")[..8];

        await using (var first = await PostgresTestCluster.StartAsync(connectionString, silos: 1, serviceId))
        {
            var tenant = first.Client.GetGrain<ITenantGrain>("tn_restartcheck0001");
            await tenant.Create(Acme, Owner);
            await tenant.Update(new TenantChanges(Name: "Acme Traders Pvt Ltd", Ai: AiReplySettings.Default with { Mode = AiReplyMode.Auto }));
            await first.StopAllSilosAsync();
        }

        await using var second = await PostgresTestCluster.StartAsync(connectionString, silos: 1, serviceId);
        var restored = await second.Client.GetGrain<ITenantGrain>("tn_restartcheck0001").Get();

        Assert.NotNull(restored);
        Assert.Equal("Acme Traders Pvt Ltd", restored.Profile.Name);
        Assert.Equal(AiReplyMode.Auto, restored.Settings.Ai.Mode);
        Assert.Equal(2, restored.Version);
    }

    [Fact]
    public async Task Two_silos_form_one_cluster_through_the_membership_table_and_grains_survive_a_silo_stopping()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        await using var cluster = await PostgresTestCluster.StartAsync(connectionString, silos: 2);

        var hosts = await cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        Assert.Equal(2, hosts.Count);
        await using (var db = NpgsqlDataSource.Create(connectionString))
        await using (var active = db.CreateCommand("SELECT count(*) FROM orleansmembershiptable WHERE status = 3"))
        {
            // Both silos registered through our PostgreSQL membership queries, not the test membership.
            Assert.Equal(2L, (long)(await active.ExecuteScalarAsync())!);
        }

        var ids = Enumerable.Range(0, 20).Select(i => $"tn_failover{i:D8}").ToList();
        foreach (var id in ids) await cluster.Client.GetGrain<ITenantGrain>(id).Create(Acme with { Name = id }, Owner);

        var secondary = cluster.Silos[1];
        await cluster.StopSiloAsync(secondary);

        foreach (var id in ids)
        {
            // The client may still try the stopped silo's gateway once before it learns it is gone; a real client retries too.
            var tenant = await RetryWhileGatewayChangesAsync(() => cluster.Client.GetGrain<ITenantGrain>(id).Get());
            Assert.Equal(id, tenant?.Profile.Name);
        }
    }

    [Fact]
    public async Task A_durable_stream_message_reaches_its_implicit_subscriber_even_when_the_publishing_silo_is_killed()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        await using var cluster = await PostgresTestCluster.StartAsync(connectionString, silos: 2);
        var publisher = cluster.Silos[1];
        var streams = cluster.GetSiloServiceProvider(publisher.SiloAddress).GetRequiredService<IClusterClient>().GetStreamProvider(StreamProviders.Durable);

        var expected = Enumerable.Range(0, 25).Select(i => $"message-{i:D2}").ToList();
        var keys = Enumerable.Range(0, 5).Select(i => $"probe-{Guid.NewGuid():N}-{i}").ToList();
        foreach (var (message, index) in expected.Select((m, i) => (m, i)))
        {
            var stream = streams.GetStream<string>(StreamId.Create(StreamProbeGrain.Namespace, keys[index % keys.Count]));
            await stream.OnNextAsync(message);
        }
        await cluster.KillSiloAsync(publisher);

        var received = await Eventually.Get(
            async () => (await Task.WhenAll(keys.Select(k => cluster.Client.GetGrain<IStreamProbeGrain>(k).Received()))).SelectMany(m => m).Order(StringComparer.Ordinal).ToList(),
            r => r.Count >= expected.Count,
            TimeSpan.FromSeconds(90),
            "every published message to reach its subscriber");

        Assert.Equal(expected, received);
    }

    private static async Task<T> RetryWhileGatewayChangesAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (attempt < 5 && e is Orleans.Runtime.Messaging.ConnectionFailedException or SiloUnavailableException or OrleansMessageRejectionException)
            {
                await Task.Delay(500);
            }
        }
    }
}

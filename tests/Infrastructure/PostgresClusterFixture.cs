using Orleans.TestingHost;

namespace Flexoraa.Tests.Infrastructure;

/// <summary>One single-silo Orleans cluster on its own fresh database, shared by the tests of a class.</summary>
public sealed class PostgresClusterFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = null!;
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync();
        Cluster = await PostgresTestCluster.StartAsync(ConnectionString, silos: 1);
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
